import subprocess

import pytest

from followup.models import Response, Survey
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _patient(page):
    # Five engineers share two cores: allow slow pages rather than flaky failures.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)


def _open_year() -> int:
    return Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first().year


@pytest.mark.browser
def test_chair_answers_and_the_secretariat_downloads_the_report(page, tmp_path):
    year = _open_year()
    login(page, "chair")
    assert_accessible(page)

    page.get_by_role("link", name="Länsenkäten").first.click()
    assert_accessible(page)
    page.screenshot(path="/tmp/followup-my-surveys.png", full_page=True)
    page.get_by_role("link", name="Besvara enkäten").first.click()
    assert_accessible(page)
    page.get_by_label("Kommun och region").check()
    page.get_by_role("button", name="Börja svara").click()
    assert_accessible(page)

    page.get_by_role("group", name="Finns det en lokal BUS-grupp?").get_by_label("Ja").check()
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_text("Utkastet har sparats.").wait_for()
    assert_accessible(page)
    page.get_by_role(
        "group", name="Vilka verksamheter ingår i den lokala BUS-gruppen?"
    ).get_by_label("Socialtjänst").check()
    page.get_by_role("group", name="Hur fungerar SIP-mallen?").get_by_label("Fungerar bra").check()
    page.screenshot(path="/tmp/followup-response.png", full_page=True)
    page.get_by_role("button", name="Skicka in svaret").click()
    page.get_by_text("Tack! Svaret har skickats in.").wait_for()
    assert_accessible(page)
    response = Response.objects.get(survey__year=year, group__name="Täby")
    assert response.status == Response.Status.SUBMITTED
    assert sorted(a.question.code for a in response.answers.all()) == [
        "group_exists",
        "services",
        "sip_template_rating",
    ]

    page.context.clear_cookies()
    login(page, "secretariat")
    page.get_by_role("link", name="Enkäter", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name=str(year), exact=True).click()
    assert_accessible(page)
    taby_row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Täby", exact=True)
    )
    assert "Inskickat" in taby_row.inner_text()
    page.get_by_role("link", name="Rapport", exact=True).click()
    assert_accessible(page)
    page.screenshot(path="/tmp/followup-report.png", full_page=True)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    pdf = tmp_path / "report.pdf"
    download_info.value.save_as(pdf)

    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    responses = Response.objects.filter(survey__year=year, status="submitted").count()
    assert f"Länsrapport {year}" in text
    assert "Svar\n" in text or "Svar " in text
    assert str(responses) in text


@pytest.mark.browser
def test_the_county_pages_are_accessible(page):
    login(page, "bussam")
    page.goto("/uppfoljning/lan/")
    assert_accessible(page)
    page.get_by_label("Lokal grupp").select_option(label="Täby")
    page.get_by_role("button", name="Visa gruppen").click()
    assert_accessible(page)
    page.screenshot(path="/tmp/followup-county.png", full_page=True)
    page.goto("/uppfoljning/rapport/2025/")
    assert_accessible(page)
    page.goto("/uppfoljning/indikatorer/")
    assert_accessible(page)


@pytest.mark.browser
def test_the_secretariat_sees_import_errors_accessibly(page, tmp_path):
    login(page, "secretariat")
    page.goto(f"/uppfoljning/enkater/{_open_year()}/import/")
    assert_accessible(page)
    bad = tmp_path / "svar.csv"
    bad.write_text(
        "group,areas,participants,group_exists\nTäby,Atlantis,both,maybe\n", encoding="utf-8"
    )
    page.get_by_label("CSV-fil").set_input_files(str(bad))
    page.get_by_role("button", name="Granska filen").click()
    page.get_by_text("Atlantis").wait_for()
    assert_accessible(page)
    page.goto("/uppfoljning/fragor/")
    assert_accessible(page)
    page.goto("/uppfoljning/kontaktpersoner/")
    assert_accessible(page)
    page.goto("/uppfoljning/enkater/ny/")
    assert_accessible(page)
    page.get_by_role("button", name="Skapa enkät").click()
    assert_accessible(page)


@pytest.mark.browser
def test_the_chair_signs_off_the_indicators(page):
    login(page, "chair")
    page.goto("/uppfoljning/indikatorer/")
    assert_accessible(page)
    page.get_by_role("link", name="Siffror 2025").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Lägg till manuella uppgifter").click()
    assert_accessible(page)
    page.get_by_label("Ärenden i BUS individforum").fill("3")
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("De manuella uppgifterna har sparats.").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Fastställ året").click()
    assert_accessible(page)
    page.get_by_role("button", name="Fastställ och lås").click()
    page.get_by_text("Året är fastställt och låst.").first.wait_for()
    assert_accessible(page)
    page.screenshot(path="/tmp/followup-indicators.png", full_page=True)
