"""In the browser: eID through the identity provider's own login page, and TOTP in Swedish."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from bus_portal.models import AuditEvent, ExternalIdentity
from tests.browser.support import assert_accessible, login
from tests.eid.conftest import HSA_ID, configure_portal, require_xmlsec
from tests.eid.idp import IdpApp, IdpServer, TestIdP
from tests.eid.test_totp import PASSWORD, code

pytestmark = pytest.mark.browser


def check(page, name: str) -> None:
    """axe at 1280 and 320 px, with screenshots for a person to look at."""
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=f"/tmp/shots/d/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_signing_in_with_a_siths_card_through_the_idp_lands_on_the_start_page(
    page, live_server, settings, tmp_path
):
    require_xmlsec()
    user = get_user_model().objects.create_user("eva", first_name="Eva", last_name="Ek")
    ExternalIdentity.objects.create(user=user, issuer="hsa-id", subject=HSA_ID)
    site = live_server.url.replace("127.0.0.1", "localhost")

    def app(base_url):
        idp.base_url = base_url.replace("127.0.0.1", "localhost")
        return IdpApp(idp)

    idp = TestIdP("http://localhost")
    with IdpServer(app):
        configure_portal(settings, tmp_path, [idp], site)
        page.goto(f"{site}/konto/logga-in/")
        check(page, "login-eid")
        page.get_by_role("link", name="Logga in med SITHS-kort").click()
        page.get_by_label("Identitet").fill(HSA_ID)
        page.get_by_role("button", name="Legitimera").click()
        page.wait_for_url(f"{site}/")
        assert page.get_by_text("Eva Ek").first.is_visible()

        # Someone the portal does not know gets the Swedish page on how to get access.
        page.context.clear_cookies()
        page.goto(f"{site}/konto/logga-in/")
        page.get_by_role("link", name="Logga in med SITHS-kort").click()
        page.get_by_label("Identitet").fill("SE2321000016-NOONE")
        page.get_by_role("button", name="Legitimera").click()
        page.wait_for_url(f"{site}/konto/eid/inget-konto/")
        assert page.get_by_role("heading", name="Du har inget konto i BUS-portalen").is_visible()
        check(page, "eid-unknown")
        page.goto(f"{site}/konto/eid/misslyckades/")
        check(page, "eid-failed")


@pytest.mark.django_db(transaction=True)
def test_totp_enrolment_recovery_code_and_admin_reset_in_swedish(page, live_server):
    karl = get_user_model().objects.create_user("karl", password=PASSWORD)
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("karl")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/tvafaktor/aktivera/**")
    check(page, "otp-setup")
    device = TOTPDevice.objects.get(user=karl)
    page.get_by_label("Engångskod").fill(code(device))
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_url("**/konto/tvafaktor/reservkoder/**")
    check(page, "otp-recovery-codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="Jag har sparat koderna – fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")

    # Next time: the phone is lost, a recovery code signs in.
    page.get_by_role("button", name="Logga ut").first.click()
    page.get_by_label("Användarnamn").fill("karl")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/tvafaktor/**")
    check(page, "otp-verify")
    page.get_by_role("link", name="Jag har inte min telefon – använd en reservkod").click()
    check(page, "otp-recovery")
    page.get_by_label("Reservkod").fill(codes[0])
    page.get_by_role("button", name="Fortsätt").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_text("9 koder återstår").is_visible()

    # The administrator resets Karl's second factor in the admin; Karl enrols again.
    page.get_by_role("button", name="Logga ut").first.click()
    login(page, "admin")
    page.goto("/admin/bus_portal/user/?q=karl")
    page.locator(f"input[name='_selected_action'][value='{karl.pk}']").check()
    page.locator("select[name='action']").select_option("reset_second_factor")
    page.locator("button[name='index']").click()
    page.get_by_text("Tvåfaktorinloggningen återställdes för 1 användare.").wait_for()
    assert not TOTPDevice.objects.filter(user=karl).exists()
    assert AuditEvent.objects.filter(
        purpose="auth.second_factor.reset", object_id=str(karl.pk), actor__username="admin"
    ).exists()
    page.get_by_role("button", name="Logga ut").first.click()
    page.goto("/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("karl")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in", exact=True).click()
    page.wait_for_url("**/konto/tvafaktor/aktivera/**")


@pytest.mark.django_db(transaction=True)
def test_password_reset_pages(page, live_server):
    page.goto("/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenordet?").click()
    check(page, "password-reset")
    page.get_by_label("E-postadress").fill("nobody@kommun.example")
    page.get_by_role("button", name="Skicka länk").click()
    page.wait_for_url("**/konto/losenord/skickat/")
    check(page, "password-reset-done")
    page.goto("/konto/losenord/nytt/MQ/fel-token/")
    check(page, "password-reset-invalid")
