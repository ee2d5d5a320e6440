"""The secretariat's import in the browser: a semicolon file from Swedish Excel with a group that has
answered in the portal, the preview, a choice per group, the confirmation; then reopening a closed
survey and changing one. Screenshots at 1280 and 320 px go to /tmp/fu-*.png."""

import pytest

from agreements.models import LocalGroup
from followup.models import Participants, Response, Survey
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _patient(page):
    # Several engineers share two cores: allow slow pages rather than flaky failures.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)


def _screenshots(page, name: str) -> None:
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"/tmp/fu-{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _web_answers(survey: Survey, count: int) -> list[Response]:
    """Joint answers groups gave in the portal (the demo's open survey has some)."""
    return list(
        Response.objects.filter(
            survey=survey, source=Response.Source.WEB, participants=Participants.BOTH
        )
        .select_related("group")
        .order_by("group__name")[:count]
    )


def _row(group: LocalGroup, answer: str) -> str:
    areas = ",".join(area.name for area in group.areas.order_by("name"))
    return f"{group.name};{areas};both;{answer};Fritidsgård från filen"


@pytest.mark.browser
def test_the_secretariat_previews_a_semicolon_file_chooses_per_group_and_confirms(page, tmp_path):
    survey = Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first()
    replaced, kept = _web_answers(survey, 2)
    taby = LocalGroup.objects.get(name="Täby")  # has not answered this year
    content = "\n".join(
        [
            "group;areas;participants;group_exists;services_other",
            _row(replaced.group, "being_formed"),
            _row(kept.group, "being_formed"),
            _row(taby, "yes"),
        ]
    )
    csv_file = tmp_path / "svar.csv"
    csv_file.write_bytes((content + "\n").encode("cp1252"))  # as Swedish Excel saves "CSV"

    login(page, "secretariat")
    page.goto(f"/uppfoljning/enkater/{survey.year}/import/")
    assert_accessible(page)
    page.get_by_label("CSV-fil").set_input_files(str(csv_file))
    page.get_by_role("button", name="Granska filen").click()

    page.get_by_role("heading", name="Granska importen").wait_for()
    assert_accessible(page)
    summary = page.locator("#import-summary").inner_text()
    assert "1 nytt svar" in summary and "2 konflikter" in summary
    assert Response.objects.filter(survey=survey, group=taby).count() == 0  # nothing written yet
    replaced_choice = page.get_by_role(
        "group", name=f"Vad ska hända med svaret som {replaced.group.name} gav i portalen?"
    )
    kept_choice = page.get_by_role(
        "group", name=f"Vad ska hända med svaret som {kept.group.name} gav i portalen?"
    )
    assert kept_choice.get_by_label("Behåll svaret från portalen").is_checked()
    replaced_choice.get_by_label("Ersätt det med filens rad 2").check()
    _screenshots(page, "import-preview")
    page.get_by_role("button", name="Importera").click()

    page.get_by_text("Importerade 2 svar").wait_for()
    assert_accessible(page)
    replaced.refresh_from_db()
    kept.refresh_from_db()
    assert replaced.source == Response.Source.IMPORT
    assert replaced.answers.get(question__code="group_exists").choices == ["being_formed"]
    assert kept.source == Response.Source.WEB
    assert Response.objects.get(survey=survey, group=taby).source == Response.Source.IMPORT


@pytest.mark.browser
def test_the_secretariat_reopens_a_closed_survey_and_changes_an_open_one(page):
    login(page, "secretariat")
    page.goto("/uppfoljning/enkater/2025/")
    page.get_by_role("link", name="Öppna enkäten igen").click()
    page.get_by_role("heading", name="Öppna länsenkäten 2025 igen?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Öppna enkäten igen").click()  # without a reason
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    _screenshots(page, "survey-reopen")
    page.get_by_label("Varför öppnas enkäten igen?").fill("Täbys pappersenkät kom efter stängning")
    page.get_by_role("button", name="Öppna enkäten igen").click()
    page.get_by_text("Enkäten är öppen igen.").wait_for()
    assert Survey.objects.get(year=2025).status == Survey.Status.OPEN
    assert "Täbys pappersenkät kom efter stängning" in page.locator("#reopenings").inner_text()

    page.get_by_role("link", name="Ändra enkäten").click()
    page.get_by_role("heading", name="Ändra länsenkäten 2025").wait_for()
    assert_accessible(page)
    page.get_by_label("Sista svarsdag").fill("2020-01-01")
    page.get_by_role("button", name="Spara").click()
    page.locator("#error-summary").wait_for()
    assert_accessible(page)
    _screenshots(page, "survey-edit")
    assert "har passerat" in page.locator("#error-summary").inner_text()
