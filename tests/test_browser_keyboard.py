"""Keyboard-only journeys (WCAG 2.1.1, 2.4.3, 2.4.7): no mouse, only Tab, typing, Space and Enter.

Each control is reached by pressing Tab from the top of the page, so the tab order must reach
it; the "add a row" button must leave focus on the new row's first field.
"""

from __future__ import annotations

import pytest

from agreements.models import LocalGroup
from deviations.models import Deviation
from sip.models import Plan
from tests.browser.conftest import assert_accessible, login

pytestmark = pytest.mark.browser


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the focused element matches ``selector``; fail if it is never reached."""
    for _ in range(limit):
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached {selector}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def submit(page, selector: str = "main form button.btn-primary[type=submit]") -> None:
    """Tab to the form's main button and press Enter; a refused form fails with its errors."""
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    assert not summary.count(), summary.inner_text()


def enter_a_date(page, selector: str) -> None:
    """Set a date field with the arrow keys, whatever order the browser shows day, month and year
    in: ArrowUp on each empty part (Tab moves between the parts) gives January 1st this year."""
    tab_to(page, selector)
    for part in range(3):
        page.keyboard.press("ArrowUp")
        if part < 2:
            page.keyboard.press("Tab")
    assert page.locator(selector).input_value(), "the date was not set"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement.id")


@pytest.mark.django_db(transaction=True)
def test_draft_a_sip_with_added_rows_by_keyboard(page):
    login(page, "officer")
    page.goto("/sip/")
    tab_to(page, 'main a[href="/sip/ny/"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    type_into(page, "#id_child_first_name", "Tangent")
    type_into(page, "#id_child_last_name", "Bordsson")
    type_into(page, "#id_personal_number", "201502287632")
    enter_a_date(page, "#id_need_noticed_on")
    type_into(page, "#id_question", "Behöver stöd i skolan.")
    tab_to(page, "#id_participants-0-kind")
    page.keyboard.type("Annan")  # a select takes the option whose text is typed
    type_into(page, "#id_participants-0-name", "Fritidsledaren")
    type_into(page, "#id_measures-0-description", "Läxhjälp")
    type_into(page, "#id_measures-0-other_actor", "Biblioteket")
    tab_to(page, "[data-formset=measures] [data-formset-add]")
    page.keyboard.press("Enter")
    # Focus is on the new row's first field, not on the button or a hidden input.
    assert focused_id(page) == "id_measures-1-description"
    page.keyboard.type("Simträning")
    type_into(page, "#id_measures-1-other_actor", "Simklubben")
    assert_accessible(page)
    submit(page)
    page.get_by_text("Utkastet till plan är sparat.").wait_for()
    plan = Plan.objects.get(child__last_name="Bordsson")
    assert [m.description for m in plan.measures.all()] == ["Läxhjälp", "Simträning"]


@pytest.mark.django_db(transaction=True)
def test_log_a_meeting_by_keyboard(page):
    group = LocalGroup.objects.get(name="Täby")
    login(page, "chair")
    page.goto(f"/katalog/grupper/{group.pk}/")
    tab_to(page, 'main a[href*="/moten/ny"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#id_place")
    page.keyboard.press("Control+A")
    page.keyboard.type("Täby kommunhus, rum Näsby")
    tab_to(page, "#id_host_principal")
    page.keyboard.type("Täby")
    type_into(page, "#id_minutes", "Styrgruppen gick igenom läget.")
    assert_accessible(page)
    submit(page)
    page.get_by_text("Mötet är dokumenterat", exact=False).wait_for()


@pytest.mark.django_db(transaction=True)
def test_write_a_deviation_by_keyboard(page):
    before = Deviation.objects.count()
    login(page, "officer")
    page.goto("/avvikelser/ny/")
    # The long list of principals: filter it, then tick the one left with Space.
    type_into(page, "#id_counterpart_principals_filter", "Region")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.form-check').textContent").strip() == (
        "Region Stockholm"
    )
    page.keyboard.press("Space")
    tab_to(page, "input[name=counterpart_services][value=bup]")
    page.keyboard.press("Space")
    tab_to(page, "#id_category")
    page.keyboard.type("Oklart")
    type_into(page, "#id_description", "Skolan och BUP var oeniga om vem som kallar till SIP.")
    type_into(page, "#id_consequence", "Eleven fick vänta på stöd.")
    tab_to(page, "#id_confirm_no_identification")
    page.keyboard.press("Space")
    assert_accessible(page)
    submit(page, "main form button[type=submit]")  # the first: save as a draft
    page.get_by_text("Utkastet är sparat.").wait_for()
    assert Deviation.objects.count() == before + 1
