"""Query budgets for the SIP pages: the same number of queries on more data (no N+1).

Each test grows what the page shows (plans, measures, participants, consents, versions and
sign-offs, forum cases, audit rows) and checks the page does not pay a query per row.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from agreements.models import Principal, Unit
from bus_portal import audit
from bus_portal.models import AuditAction
from sip import dashboard
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import ForumCase, Plan, PlanVersion, SignOff
from tests.querycount import QUERY_BUDGET, assert_query_budget
from tests.sip.factories import (
    ConsentFactory,
    ForumCaseFactory,
    GuardianFactory,
    MeasureFactory,
    ParticipantFactory,
    PlanFactory,
    taby_bup,
    taby_social,
)

pytestmark = pytest.mark.django_db


def _school() -> Unit:
    return Unit.objects.get(principal__name="Täby kommun", name="Grundskola")


def _full_plan(*, owner_unit: Unit, partner: Unit, consent: bool = True, **fields) -> Plan:
    """A plan with everything a page shows: guardians, participants, measures, consent, versions."""
    plan = PlanFactory(owner_unit=owner_unit, **fields)
    GuardianFactory(child=plan.child, position=1)
    GuardianFactory(child=plan.child, position=2, name="Olle Testsson")
    owner = ParticipantFactory(plan=plan, unit=owner_unit, name="Handläggare", position=0)
    ParticipantFactory(plan=plan, unit=partner, name="Kurator", position=1)
    ParticipantFactory(plan=plan, unit=_school(), name="Lärare", position=2)
    MeasureFactory(plan=plan, unit=partner, principal=partner.principal, position=0)
    MeasureFactory(plan=plan, unit=None, principal=owner_unit.principal, position=1)
    MeasureFactory(plan=plan, principal=None, other_actor="Fotbollsklubben", position=2)
    if consent:
        for person in ("guardian_1", "guardian_2"):
            ConsentFactory(plan=plan, person=person)
    if plan.status != Plan.Status.DRAFT:
        _version(plan, owner)
    return plan


def _version(plan: Plan, participant, number: int = 1) -> PlanVersion:
    officer = get_user_model().objects.get(username="officer")
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        kind=PlanVersion.Kind.AGREED if number == 1 else PlanVersion.Kind.FOLLOW_UP,
        created_by=officer,
        content={"Fråga": f"version {number}"},
    )
    SignOff.objects.create(version=version, participant=participant, recorded_by=officer)
    return version


def _grow_plan(plan: Plan, times: int = 3) -> None:
    """More of every row a single plan's pages show."""
    officer = get_user_model().objects.get(username="officer")
    bup = taby_bup()
    next_number = (plan.versions.count() or 0) + 1
    for i in range(times):
        participant = ParticipantFactory(
            plan=plan, unit=bup, name=f"Deltagare {i}", position=10 + i
        )
        MeasureFactory(plan=plan, unit=bup, principal=bup.principal, position=10 + i)
        MeasureFactory(plan=plan, principal=None, other_actor=f"Aktör {i}", position=20 + i)
        ConsentFactory(plan=plan, person="guardian_1")
        if plan.status != Plan.Status.DRAFT:
            _version(plan, participant, number=next_number + i)
        audit.record(user=officer, action=AuditAction.VIEW, obj=plan, purpose="Test")


def _agreed_plan() -> Plan:
    return Plan.objects.get(child__personal_number=AGREED_CHILD)


def _draft_plan() -> Plan:
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


def _plan_in_revision() -> Plan:
    """The agreed plan with a revision started: an agreed plan is edited only so."""
    plan = _agreed_plan()
    Plan.objects.filter(pk=plan.pk).update(in_revision=True)
    plan.refresh_from_db()
    return plan


# -- SIP list ------------------------------------------------------------------------------------


def _grow_plan_list() -> None:
    social, bup = taby_social(), taby_bup()
    for status in (Plan.Status.DRAFT, Plan.Status.AGREED):
        for consent in (True, False):
            agreed_at = timezone.now() if status != Plan.Status.DRAFT else None
            # Drafted by the officer's unit, and drafted elsewhere with the unit taking part.
            _full_plan(
                owner_unit=social, partner=bup, consent=consent, status=status, agreed_at=agreed_at
            )
            _full_plan(
                owner_unit=bup, partner=social, consent=consent, status=status, agreed_at=agreed_at
            )


@pytest.mark.parametrize("username", ["officer", "officer2", "chief"])
def test_plan_list_queries_do_not_grow(username):
    """A page of plans reads consent coverage once for all of them (more queries only once it
    shows a plan the user's units take part in without drafting, then no more per plan)."""
    from tests.conftest import client_for

    _grow_plan_list()  # the first measurement already shows every kind of plan
    assert_query_budget(client_for(username), reverse("sip:plan_list"), grow=_grow_plan_list)


def test_plan_list_filtered_and_paged_queries_do_not_grow(officer_client):
    social, bup = taby_social(), taby_bup()

    def grow():
        for i in range(55):
            _full_plan(owner_unit=social, partner=bup, consent=i % 2 == 0)

    assert_query_budget(officer_client, reverse("sip:plan_list") + "?status=draft", grow=grow)
    assert_query_budget(officer_client, reverse("sip:plan_list") + "?page=2", grow=grow)


# -- One plan ------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["officer", "officer2", "chief"])
def test_plan_detail_queries_do_not_grow(username):
    from tests.conftest import client_for

    plan = _agreed_plan()
    assert_query_budget(
        client_for(username),
        reverse("sip:plan_detail", kwargs={"pk": plan.pk}),
        grow=lambda: _grow_plan(plan),
    )


@pytest.mark.parametrize("username", ["officer", "officer2"])
@pytest.mark.parametrize("which", [_draft_plan, _plan_in_revision])
def test_plan_edit_queries_do_not_grow(username, which):
    """The drafting unit's officer, and a participating unit's (which needs consent to write)."""
    from tests.conftest import client_for

    plan = which()
    assert_query_budget(
        client_for(username),
        reverse("sip:plan_edit", kwargs={"pk": plan.pk}),
        grow=lambda: _grow_plan(plan),
    )


def test_plan_pdf_queries_do_not_grow(officer_client):
    plan = _agreed_plan()
    assert_query_budget(
        officer_client,
        reverse("sip:plan_pdf", kwargs={"pk": plan.pk}),
        grow=lambda: _grow_plan(plan),
    )


def test_plan_version_queries_do_not_grow(officer_client):
    plan = _agreed_plan()
    assert_query_budget(
        officer_client,
        reverse("sip:plan_version", kwargs={"pk": plan.pk, "number": 2}),
        grow=lambda: _grow_plan(plan),
    )


@pytest.mark.parametrize("username", ["officer", "officer2"])
@pytest.mark.parametrize(
    "name", ["plan_fhir", "my_plan", "my_plan_pdf", "plan_followup", "plan_close"]
)
def test_agreed_plan_outputs_and_forms_queries_do_not_grow(username, name):
    """The consent-gated outputs and the action forms, for the drafting and a participating unit."""
    from tests.conftest import client_for

    plan = _agreed_plan()
    assert_query_budget(
        client_for(username),
        reverse(f"sip:{name}", kwargs={"pk": plan.pk}),
        grow=lambda: _grow_plan(plan),
    )


@pytest.mark.parametrize("name", ["plan_agree", "consent_create"])
def test_draft_plan_forms_queries_do_not_grow(officer_client, name):
    plan = _draft_plan()
    assert_query_budget(
        officer_client,
        reverse(f"sip:{name}", kwargs={"pk": plan.pk}),
        grow=lambda: _grow_plan(plan),
    )


# -- Individforum --------------------------------------------------------------------------------


def _grow_forum_cases() -> None:
    social, bup = taby_social(), taby_bup()
    for i in range(6):
        raised = ForumCaseFactory(raising_unit=social if i % 2 else bup)
        raised.invited_units.set([bup if i % 2 else social, _school()])


def test_forum_list_queries_do_not_grow(chief_client):
    assert_query_budget(chief_client, reverse("sip:forum_list"), grow=_grow_forum_cases)


def _grow_case(case: ForumCase) -> None:
    """More of every row a forum case's pages show."""
    chief = get_user_model().objects.get(username="chief")
    case.invited_units.add(_school(), taby_bup())
    GuardianFactory(child=case.child, position=2, name="Olle Testsson")
    for person in ("guardian_1", "guardian_2", "guardian_1"):
        ConsentFactory(
            plan=None,
            forum_case=case,
            person=person,
            principals=Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"]),
        )
        audit.record(user=chief, action=AuditAction.VIEW, obj=case, purpose="Test")


@pytest.mark.parametrize("name", ["forum_detail", "forum_pdf", "forum_protocol"])
def test_forum_case_queries_do_not_grow(chief_client, name):
    case = ForumCase.objects.filter(raising_unit=taby_social()).order_by("pk").first()
    assert_query_budget(
        chief_client, reverse(f"sip:{name}", kwargs={"pk": case.pk}), grow=lambda: _grow_case(case)
    )


# -- Start page ----------------------------------------------------------------------------------


def _grow_clocks() -> None:
    social, bup = taby_social(), taby_bup()
    today = timezone.localdate()
    for days in (5, 40):
        # Waiting for the first meeting, and agreed with a follow-up soon.
        _full_plan(owner_unit=social, partner=bup, need_noticed_on=today - datetime.timedelta(days))
        _full_plan(
            owner_unit=social,
            partner=bup,
            status=Plan.Status.AGREED,
            agreed_at=timezone.now(),
            next_follow_up_on=today + datetime.timedelta(days=days % 14),
        )
    for _ in range(3):
        ForumCaseFactory(raising_unit=social).invited_units.set([bup])


@pytest.mark.parametrize("username", ["officer", "chief"])
def test_sip_panels_queries_do_not_grow(username):
    """The SIP panels alone: one query each for the officer's clocks and the chief's cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        request = RequestFactory().get("/")
        request.user = get_user_model().objects.get(username=username)
        request.user.active_memberships  # noqa: B018 - loaded by the middleware on a real request
        with CaptureQueriesContext(connection) as captured:
            dashboard.panels(request)
        return len(captured.captured_queries)

    small = count()
    _grow_clocks()
    assert count() == small
    assert small <= 2


def test_officer_start_page_queries_do_not_grow(officer_client):
    assert_query_budget(officer_client, reverse("home"), grow=_grow_clocks, budget=QUERY_BUDGET)
