"""The chair logs a meeting, checks and publishes the minutes, and downloads the PDF; axe everywhere."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_chair_logs_checks_publishes_and_downloads_minutes(page, tmp_path):
    login(page, "chair")
    assert "Öppna uppdrag för dina grupper" in page.locator("main").inner_text()
    assert_accessible(page)  # the start page with this app's panels
    page.screenshot(path="/tmp/agreements-home.png", full_page=True)
    page.get_by_role("link", name="Överenskommelser", exact=True).click()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-overview.png", full_page=True)

    page.get_by_role("link", name="Täby", exact=True).click()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-group.png", full_page=True)

    page.get_by_role("link", name="Dokumentera ett möte i Lokal styrgrupp").click()
    assert_accessible(page)
    # The open assignment from the last meeting is announced before saving.
    assert "Sammanställ antal SIP" in page.locator("main").inner_text()

    # Error state: the place is missing.
    page.locator("#id_place").fill("")
    page.get_by_role("button", name="Spara mötet").click()
    summary = page.locator("#error-summary")
    assert "Plats" in summary.inner_text()
    assert_accessible(page)

    page.locator("#id_place").fill("Täby kommunhus, rum Näsby")
    page.locator("#id_host_principal").select_option(label="Täby kommun")
    page.locator("#id_guests").fill("Eva Gäst, Polisen i Täby")
    page.locator("#id_agenda").fill("Föregående minnesanteckningar\nLäget i BUS individforum")
    page.locator("#id_minutes").fill("Styrgruppen gick igenom läget i BUS individforum.")
    page.locator("#id_decisions").fill(
        "Styrgruppen ger arbetsgruppen i uppdrag att kartlägga väntetider."
    )
    page.locator("#id_assignments-0-title").fill("Kartlägg väntetider till BUS individforum")
    page.locator("#id_assignments-0-owner").fill("Elin Norrby")
    page.locator("#id_assignments-0-due_on").fill("2030-06-30")
    page.screenshot(path="/tmp/agreements-meeting-form.png", full_page=True)
    page.get_by_role("button", name="Spara mötet").click()

    main = page.locator("main")
    assert "Mötet är dokumenterat" in main.inner_text()
    assert "Uppföljning: Sammanställ antal SIP" in main.inner_text()  # carried in automatically
    assert "Kartlägg väntetider till BUS individforum" in main.inner_text()
    assert "Eva Gäst (Polisen i Täby)" in main.inner_text()
    assert_accessible(page)

    # The chair appoints themself as justerare and checks under their own login.
    page.get_by_role("link", name="Utse justerare").click()
    page.get_by_label("Per Almgren").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Justera minnesanteckningarna").click()
    assert_accessible(page)
    page.get_by_role("button", name="Jag har justerat minnesanteckningarna").click()
    assert "Justerat av Per Almgren" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Publicera minnesanteckningarna").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publicera", exact=True).click()
    assert "Minnesanteckningarna är publicerade" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Redigera", exact=True).count() == 0
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-meeting.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner minnesanteckningar (PDF)").click()
    target = tmp_path / "minutes.pdf"
    download_info.value.save_as(target)
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Minnesanteckningar: Lokal styrgrupp" in text
    assert "Kartlägg väntetider" in text
    assert re.search(r"Sida 1 av \d", text)


def test_agreement_pages_are_accessible(page):
    login(page, "chair")
    page.goto("/katalog/")
    page.get_by_role("link", name="Norrtälje", exact=True).click()
    page.get_by_role("link", name=re.compile("Lokal samverkansöverenskommelse")).first.click()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-agreement.png", full_page=True)
    page.get_by_role("link", name="Jämför revisioner").first.click()
    assert "Revision november 2024" in page.locator("main").inner_text()
    assert page.locator("main ins").count() > 0
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-compare.png", full_page=True)

    page.goto("/katalog/")
    page.get_by_role("link", name="Täby", exact=True).click()
    page.get_by_role("link", name="Lokal BUS-överenskommelse för Täby").click()
    assert_accessible(page)
    page.get_by_role("button", name="Påbörja en ny revision").click()
    assert_accessible(page)
    page.locator("#id_valid_to").fill("2001-01-01")
    page.locator("#id_valid_from").fill("2030-01-01")
    page.get_by_role("button", name="Spara").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-revision-edit.png", full_page=True)


def test_county_agreement_and_body_pages_are_accessible(page):
    login(page, "secretariat")
    page.goto("/katalog/")
    page.get_by_role("link", name="BUS-överenskommelsen 2012").click()
    assert "Täby kommun" in page.locator("#routing").locator("xpath=..").inner_text()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-county.png", full_page=True)
    page.goto("/katalog/")
    page.get_by_role("link", name="Nynäshamn", exact=True).click()
    page.get_by_role("link", name="Gemensam styrgrupp").first.click()
    assert "minst 3" in page.locator("main").inner_text()
    assert_accessible(page)
    page.screenshot(path="/tmp/agreements-body.png", full_page=True)


def test_every_other_agreements_screen_is_accessible(page):
    from django.urls import reverse

    from agreements.models import Agreement, Body, LocalGroup, Meeting, MinutesStatus

    taby = Agreement.objects.get(local_group__name="Täby")
    revision = taby.revisions.order_by("-number").first()
    party = revision.parties.order_by("id").first()
    steering = Body.objects.get(agreement=taby, name="Lokal styrgrupp")
    draft = Meeting.objects.filter(body__agreement=taby, minutes_status=MinutesStatus.DRAFT).first()
    urls = [
        reverse("agreements:agreement_create", args=[LocalGroup.objects.get(name="Skärholmen").pk]),
        reverse("agreements:revision_detail", args=[revision.pk]),
        reverse("agreements:party_create", args=[revision.pk]),
        reverse("agreements:signatory_create", args=[party.pk]),
        reverse("agreements:attachment_create", args=[taby.pk]),
        reverse("agreements:plan_item_create", args=[taby.pk]),
        reverse("agreements:body_create", args=[taby.pk]),
        reverse("agreements:body_edit", args=[steering.pk]),
        reverse("agreements:member_create", args=[steering.pk]),
        reverse("agreements:member_edit", args=[steering.members.order_by("id").first().pk]),
        reverse("agreements:meeting_edit", args=[draft.pk]),
        reverse("agreements:meeting_checkers", args=[draft.pk]),
        reverse("agreements:meeting_notice", args=[draft.pk]),
        reverse("agreements:meeting_publish", args=[draft.pk]),
    ]
    login(page, "admin")
    for url in urls:
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)
    # An error state on a simple form.
    page.goto(reverse("agreements:member_create", args=[steering.pk]))
    page.get_by_role("button", name="Spara").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
