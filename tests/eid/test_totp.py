"""The second factor for local accounts: one app, a code, ten recovery codes, lockout, reset."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from bus_portal.models import AuditEvent
from eid.models import SignInEvent

PASSWORD = "a-long-real-password-1"


def code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


@pytest.fixture
def karl(db):
    return get_user_model().objects.create_user(
        "karl", email="karl@kommun.example", password=PASSWORD
    )


def enrol(client) -> list[str]:
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user__username="karl")
    response = client.post(reverse("otp_setup"), {"otp_token": code(device)})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def test_enrolment_is_confirmed_by_a_code_and_shows_ten_recovery_codes_once(client, karl):
    codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=karl).confirmed
    again = client.get(reverse("otp_recovery_codes")).content.decode()
    assert not any(c in again for c in codes)
    assert "Du har 10 oanvända reservkoder" in again


def test_the_code_page_has_no_device_picker_and_speaks_swedish(client, karl):
    enrol(client)
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    page = client.get(reverse("otp_verify")).content.decode()
    assert "<select" not in page.split("</header>")[1]
    assert "Engångskod" in page and "reservkod" in page
    response = client.post(reverse("otp_verify"), {"otp_token": "12"})
    assert "Skriv de sex siffrorna som appen visar" in response.content.decode()


def test_a_code_from_the_app_completes_the_sign_in_and_is_logged(client, karl):
    enrol(client)
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 302
    device = TOTPDevice.objects.get(user=karl)
    response = client.post(reverse("otp_verify"), {"otp_token": code(device, 1)})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    methods = list(SignInEvent.objects.filter(user=karl).values_list("method", "succeeded"))
    assert ("password", True) in methods and ("totp", True) in methods


def test_a_recovery_code_works_once(client, karl):
    codes = enrol(client)
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    response = client.post(reverse("otp_recovery"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=karl).count() == 9
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    response = client.post(reverse("otp_recovery"), {"code": codes[0]})
    assert response.status_code == 200
    assert "inte en av dina oanvända reservkoder" in response.content.decode()


def test_five_wrong_codes_lock_the_account_and_a_correct_password_does_not_unlock(client, karl):
    enrol(client)
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    for attempt in range(5):
        response = client.post(reverse("otp_verify"), {"otp_token": f"00000{attempt}"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # The password is right, but the code step stays locked.
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    response = client.get(reverse("otp_verify"))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert SignInEvent.objects.filter(user=karl, method="totp", reason="wrong_code").count() == 5


def test_an_administrator_resets_the_second_factor_and_it_is_audited(client, karl, admin_client):
    enrol(client)
    response = admin_client.post(
        reverse("admin:bus_portal_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [karl.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=karl).exists()
    assert not StaticToken.objects.filter(device__user=karl).exists()
    row = AuditEvent.objects.get(purpose="auth.second_factor.reset")
    assert row.object_id == str(karl.pk) and row.changes == {"fields": ["second_factor"]}
    client.logout()
    client.post(reverse("login"), {"username": "karl", "password": PASSWORD})
    assert client.get(reverse("otp_verify"))["Location"].startswith(reverse("otp_setup"))


def test_password_reset_sends_a_neutral_link_and_sets_a_new_password(client, karl):
    response = client.post(reverse("password_reset"), {"email": "karl@kommun.example"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Återställ ditt lösenord till BUS-portalen"
    link = re.search(r"http://testserver(/konto/losenord/nytt/\S+)", message.body).group(1)
    response = client.get(link)
    assert response.status_code == 302
    new = "ett-helt-nytt-losenord-42"
    response = client.post(response["Location"], {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_reset_complete")
    karl.refresh_from_db()
    assert karl.check_password(new)


def test_password_reset_does_not_reveal_accounts_and_is_rate_limited(client, karl, officer):
    unknown = client.post(reverse("password_reset"), {"email": "nobody@kommun.example"})
    assert unknown["Location"] == reverse("password_reset_done")
    demo = client.post(reverse("password_reset"), {"email": officer.email or "x@y.example"})
    assert demo["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    for _ in range(5):
        client.post(reverse("password_reset"), {"email": "karl@kommun.example"})
    assert len(mail.outbox) == 3  # at most three a hour to one address
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": "a@kommun.example"})
    assert response.status_code == 429
    assert "För många förfrågningar" in response.content.decode()
