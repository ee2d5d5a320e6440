"""In the browser: two tabs of the secretariat reword one question of the bank. The second save
is refused with what the first changed and keeps the second tab's answer codes; saving again
keeps both. axe at 1280 and 320 px; screenshots /tmp/followup-question-conflict-*.png."""

import pytest

from followup.models import AnswerOption, Question
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def test_a_second_tab_does_not_replace_the_first_tabs_wording(page):
    question = Question.objects.create(code="bank_new", section="other", kind="single", text="Ny?")
    AnswerOption.objects.bulk_create(
        [
            AnswerOption(question=question, code="yes", label="Ja", position=0),
            AnswerOption(question=question, code="no", label="Nej", position=1),
        ]
    )
    url = f"/uppfoljning/fragor/{question.pk}/andra/"
    login(page, "secretariat")
    page.goto(url)
    second = page.context.new_page()
    second.goto(url)

    page.get_by_label("Fråga").fill("Finns en lokal BUS-grupp?")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_load_state()

    second.get_by_label("Svarskoder").fill("yes: Ja\npartly: Delvis\nno: Nej")
    second.get_by_role("button", name="Spara").click()
    warning = second.locator("#stale-warning")
    warning.wait_for()
    assert "Finns en lokal BUS-grupp?" in warning.inner_text()
    for width in (1280, 320):
        second.set_viewport_size({"width": width, "height": 900})
        assert_accessible(second)
        second.screenshot(path=f"/tmp/followup-question-conflict-{width}.png", full_page=True)
    second.get_by_role("button", name="Spara").click()
    second.wait_for_load_state()
    question.refresh_from_db()
    assert question.text == "Finns en lokal BUS-grupp?"
    assert question.options == ["yes", "partly", "no"]
