import time

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.models import Membership, Unit


@pytest.fixture
def real_user(db):
    """A non-demo account: must pass TOTP."""
    user = get_user_model().objects.create_user("karl", password="a-long-real-password-1")
    Membership.objects.create(user=user, unit=Unit.objects.first(), role="case_officer")
    return user


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_demo_users_log_in_with_the_demo_password_in_demo_mode(client, settings, officer):
    response = _login(client, "officer", settings.DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


@override_settings(DEMO_MODE=False)
def test_demo_password_does_not_work_outside_demo_mode(client, settings, officer):
    response = _login(client, "officer", settings.DEMO_PASSWORD)
    assert response.status_code == 200
    assert "demo" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_it_locks_the_account_after_five_failures(client, settings, officer):
    for _ in range(5):
        _login(client, "officer", "wrong-password")
    response = _login(client, "officer", settings.DEMO_PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_non_demo_accounts_must_set_up_totp_before_any_page(client, real_user):
    _login(client, "karl", "a-long-real-password-1")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    response = client.get(reverse("otp_verify"))
    assert response["Location"].startswith(reverse("otp_setup"))


def test_a_valid_totp_code_completes_login(client, real_user):
    _login(client, "karl", "a-long-real-password-1")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=real_user)
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    response = client.post(reverse("otp_setup"), {"otp_token": f"{token:06d}"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_recovery_codes"))
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_totp_code_is_refused_with_a_clear_message(client, real_user):
    _login(client, "karl", "a-long-real-password-1")
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"otp_token": "000000"})
    assert response.status_code == 200
    assert "Koden stämmer inte" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_idle_sessions_expire_after_thirty_minutes(officer_client):
    session = officer_client.session
    session["last_seen"] = int(time.time()) - 31 * 60
    session.save()
    response = officer_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sessions_expire_ten_hours_after_login(officer_client):
    session = officer_client.session
    session["login_at"] = int(time.time()) - 10 * 3600 - 1
    session["last_seen"] = int(time.time())
    session.save()
    assert officer_client.get(reverse("home")).status_code == 302


def test_logout_ends_the_session(officer_client):
    officer_client.post(reverse("logout"))
    assert officer_client.get(reverse("home")).status_code == 302


def test_logout_is_not_possible_by_get(officer_client):
    assert officer_client.get(reverse("logout")).status_code == 405


@pytest.mark.parametrize("username", ["x" * 151, "ö" * 300, "a" * 100_000])
def test_an_overlong_username_is_a_wrong_login_not_a_500(client, db, username):
    response = _login(client, username, "y" * 5000)
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord" in response.content.decode()
