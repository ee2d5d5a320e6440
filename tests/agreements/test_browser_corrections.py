"""In the browser: the chair corrects mistakes (a wrongly added party, a test meeting), and two
people saving the same minutes get a merge instead of a lost text. Axe on every page; screenshots
at 1280 and 320 px in /tmp/agr-*.png for a person to look at."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agreements.models import Agreement, Body, Meeting, MinutesStatus, Party, Principal
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def shoot(page, name: str) -> None:
    """Screenshots at desktop width and at 320 px (reflow)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=f"/tmp/agr-{name}-1280.png", full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=f"/tmp/agr-{name}-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.django_db(transaction=True)
def test_the_chair_removes_a_wrongly_added_party_and_a_test_meeting(page):
    taby = Agreement.objects.get(local_group__name="Täby")
    login(page, "chair")
    page.goto(f"/katalog/overenskommelser/{taby.pk}/")
    page.get_by_role("button", name="Påbörja en ny revision").click()
    page.goto(f"/katalog/overenskommelser/{taby.pk}/")
    page.get_by_role("link", name="Lägg till part").click()
    page.get_by_label("Huvudman").select_option(label="Danderyds kommun")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Parten är tillagd.").wait_for()
    assert_accessible(page)
    shoot(page, "agreement-draft-parties")

    page.get_by_role("link", name="Ta bort Danderyds kommun").click()
    assert "Ta bort part" in page.locator("h1").inner_text()
    assert_accessible(page)
    shoot(page, "party-remove")
    page.get_by_role("button", name="Ta bort part").click()
    page.get_by_text("Danderyds kommun är borttagen som part.").wait_for()
    assert not Party.objects.filter(
        revision__agreement=taby, principal__name="Danderyds kommun"
    ).exists()
    trail = page.locator("section", has=page.get_by_role("heading", name="Ändringar och rättelser"))
    assert "Part borttagen" in trail.inner_text() and "Danderyds kommun" in trail.inner_text()
    assert_accessible(page)
    shoot(page, "agreement-trail")

    # A draft test meeting is deleted; it no longer counts in the term rule.
    steering = Body.objects.get(agreement=taby, name="Lokal styrgrupp")
    test_meeting = Meeting.objects.create(
        body=steering,
        held_on=timezone.localdate(),
        place="Testrummet",
        host_principal=Principal.objects.get(name="Täby kommun"),
        minutes="Bara ett test.",
    )
    page.goto(f"/katalog/moten/{test_meeting.pk}/")
    page.get_by_role("link", name="Ta bort mötet").click()
    assert_accessible(page)
    shoot(page, "meeting-delete")
    page.get_by_role("button", name="Ta bort mötet").click()
    page.get_by_text("Mötet är borttaget.").wait_for()
    assert not Meeting.objects.filter(pk=test_meeting.pk).exists()

    # A published one is withdrawn, with the reason shown under the heading.
    published = Meeting.objects.create(
        body=steering,
        held_on=datetime.date(2026, 2, 2),
        place="Testrummet",
        host_principal=Principal.objects.get(name="Täby kommun"),
        minutes="Publicerat test.",
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=datetime.date(2026, 2, 3),
        checker_name="Test",
        published_at=timezone.now(),
    )
    page.goto(f"/katalog/moten/{published.pk}/")
    page.get_by_role("link", name="Stryk som felregistrerat").click()
    page.get_by_role("button", name="Stryk mötet").click()
    page.locator("#error-summary").wait_for()  # the reason is required
    assert_accessible(page)
    page.get_by_label("Skäl").fill("Registrerades som test när portalen infördes.")
    shoot(page, "meeting-withdraw")
    page.get_by_role("button", name="Stryk mötet").click()
    banner = page.locator("#withdrawn")
    banner.wait_for()
    assert "Registrerades som test" in banner.inner_text()
    assert_accessible(page)
    shoot(page, "meeting-withdrawn")


@pytest.mark.django_db(transaction=True)
def test_two_people_saving_the_same_minutes_get_a_merge(page, browser, live_server):
    meeting = Meeting.objects.filter(
        body__agreement__local_group__name="Täby",
        body__name="Arbetsgrupp",
        minutes_status=MinutesStatus.DRAFT,
    ).first()
    edit = f"/katalog/moten/{meeting.pk}/andra/"
    login(page, "chair")
    page.goto(edit)
    other = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    login(other, "chief")
    other.goto(edit)
    other.get_by_label("Minnesanteckningar").fill("Sannas anteckningar om läget i skolorna.")
    other.get_by_role("button", name="Spara mötet").click()
    other.get_by_text("Mötet är sparat.").wait_for()
    other.context.close()

    page.get_by_label("Plats").fill("Täby kommunhus, rum Ekeby")
    page.get_by_role("button", name="Spara mötet").click()
    warning = page.locator("#stale-warning")
    warning.wait_for()
    assert "Sannas anteckningar om läget i skolorna." in warning.inner_text()
    assert page.get_by_label("Minnesanteckningar").input_value() == (
        "Sannas anteckningar om läget i skolorna."
    )
    assert page.get_by_label("Plats").input_value() == "Täby kommunhus, rum Ekeby"
    assert_accessible(page)
    shoot(page, "meeting-conflict")

    page.get_by_role("button", name="Spara mötet").click()
    page.get_by_text("Mötet är sparat.").wait_for()
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.place) == (
        "Sannas anteckningar om läget i skolorna.",
        "Täby kommunhus, rum Ekeby",
    )
    assert_accessible(page)
    shoot(page, "meeting-merged")


@pytest.mark.django_db(transaction=True)
def test_the_new_and_changed_agreement_pages_are_accessible(page):
    from django.urls import reverse

    taby = Agreement.objects.get(local_group__name="Täby")
    revision = taby.revisions.order_by("-number").first()
    party = revision.parties.order_by("id").first()
    signatory = party.signatories.order_by("id").first()
    item = taby.plan_items.filter(meeting=None).first()
    published = Meeting.objects.filter(
        body__agreement=taby, minutes_status=MinutesStatus.PUBLISHED
    ).first()
    login(page, "chair")
    pages = {
        "agreement": reverse("agreements:agreement_detail", args=[taby.pk]),
        "party-edit": reverse("agreements:party_edit", args=[party.pk]),
        "signature-withdraw": reverse("agreements:signature_withdraw", args=[signatory.pk]),
        "plan-item-edit": reverse("agreements:plan_item_edit", args=[item.pk]),
        "plan-item-remove": reverse("agreements:plan_item_remove", args=[item.pk]),
        "attachment-create": reverse("agreements:attachment_create", args=[taby.pk]),
        "review": reverse("agreements:review_record", args=[taby.pk]),
        "meeting-published": reverse("agreements:meeting_detail", args=[published.pk]),
        "meeting-addendum": reverse("agreements:meeting_addendum", args=[published.pk]),
    }
    for name, url in pages.items():
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)
        shoot(page, name)
    # The addendum under the published minutes, with who and when.
    page.goto(pages["meeting-published"])
    page.get_by_label("Rättelse").fill("Rättelse: mötet hölls i rum Näsby, inte Ekeby.")
    page.get_by_role("button", name="Lägg till tillägg").click()
    addenda = page.locator("#addenda").locator("xpath=..")
    assert "Rättelse: mötet hölls i rum Näsby" in addenda.inner_text()
    assert "Tillagt" in addenda.inner_text()
    assert_accessible(page)
    shoot(page, "meeting-addendum-added")
    # An upload of the wrong kind of file is refused with a Swedish message.
    page.goto(pages["attachment-create"])
    page.get_by_label("Titel").fill("Fel fil")
    page.get_by_label("Fil").set_input_files(
        {"name": "sida.html", "mimeType": "text/html", "buffer": b"<html></html>"}
    )
    page.get_by_role("button", name="Ladda upp").click()
    assert "inte av en tillåten typ" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    shoot(page, "attachment-refused")
