import datetime

import pytest
from django.utils import timezone

from agreements.models import Principal
from bus_portal.audit import events_for
from sip import consent_services, forum_services, services
from sip.confirmation_services import confirm_participation
from sip.models import Consent, ForumCase, Plan, PlanVersion, SignOff
from tests.conftest import demo_user
from tests.sip.factories import (
    ConsentFactory,
    ForumCaseFactory,
    GuardianFactory,
    MeasureFactory,
    ParticipantFactory,
    PlanFactory,
    taby_group,
    taby_social,
)

pytestmark = pytest.mark.django_db


def _complete_plan(**kwargs):
    plan = PlanFactory(
        overall_principal=Principal.objects.get(name="Täby kommun"),
        next_follow_up_on=timezone.localdate() + datetime.timedelta(days=30),
        no_measures_by_others=True,
        **kwargs,
    )
    GuardianFactory(child=plan.child)
    MeasureFactory(plan=plan)
    ParticipantFactory(plan=plan)
    return plan


def test_it_lists_every_missing_legal_point():
    plan = PlanFactory()
    anchors = [anchor for anchor, _text in plan.missing_for_agreement()]
    assert anchors == [
        "measures",
        "id_no_measures_by_others",
        "id_overall_principal",
        "id_next_follow_up_on",
        "consents",
    ]


def test_it_refuses_agreement_without_consent(officer):
    plan = _complete_plan()
    with pytest.raises(services.NotReady) as exc:
        services.agree_plan(
            plan=plan,
            user=officer,
            meeting_on=timezone.localdate(),
        )
    assert [a for a, _t in exc.value.missing] == ["consents"]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.DRAFT


def test_it_agrees_follows_up_and_closes_a_plan_with_audit(officer):
    plan = _complete_plan()
    ConsentFactory(plan=plan)
    participant = plan.participants.get()
    version = services.agree_plan(
        plan=plan,
        user=officer,
        meeting_on=timezone.localdate(),
    )
    plan.refresh_from_db()
    assert plan.status == Plan.Status.AGREED and plan.agreed_at
    assert version.number == 1
    # Every participant is asked; BUP's staff confirm for BUP themselves (not the officer).
    assert [r.participant for r in version.requests.all()] == [participant]
    assert not version.signoffs.exists()
    [signoff] = confirm_participation(plan=plan, user=demo_user("officer2"))
    assert (signoff.participant, signoff.recorded_by, signoff.method) == (
        participant,
        demo_user("officer2"),
        SignOff.Method.LOGIN,
    )

    measure = plan.measures.get()
    follow = services.record_follow_up(
        plan=plan,
        user=officer,
        meeting_on=timezone.localdate(),
        evaluations={measure.pk: ("ongoing", "Fortsätter")},
        summary="Det går bättre.",
        next_follow_up_on=None,
    )
    assert follow.number == 2 and follow.kind == PlanVersion.Kind.FOLLOW_UP
    assert follow.evaluations.get().outcome == "ongoing"
    assert PlanVersion.objects.get(pk=version.pk).content  # version 1 still readable

    services.close_plan(plan=plan, user=officer, reason="Målen är nådda.")
    plan.refresh_from_db()
    assert plan.status == Plan.Status.CLOSED and plan.closed_at
    events = list(events_for(plan))
    assert {e.subject for e in events} == {plan.child.audit_subject}
    assert len(events) == 4  # agreed, confirmed by BUP, followed up, closed
    with pytest.raises(services.SipError):
        services.close_plan(plan=plan, user=officer, reason="Igen")


def test_follow_up_requires_every_measure_evaluated(officer):
    plan = _complete_plan()
    ConsentFactory(plan=plan)
    MeasureFactory(plan=plan, description="Andra insatsen")
    services.agree_plan(
        plan=plan,
        user=officer,
        meeting_on=timezone.localdate(),
    )
    first = plan.measures.first()
    with pytest.raises(services.SipError):
        services.record_follow_up(
            plan=plan,
            user=officer,
            meeting_on=timezone.localdate(),
            evaluations={first.pk: ("done", "")},
            summary="",
            next_follow_up_on=None,
        )


def test_a_stale_save_is_refused_and_names_who_saved(officer, officer2):
    plan = _complete_plan()
    ConsentFactory(plan=plan)
    child = services.ChildData(
        "Tindra",
        plan.child.last_name,
        plan.child.personal_number,
        False,
        None,
        [("Vera Testsson", "")],
    )
    fields = {"question": "Ny fråga från Sara", "chair": "Sara"}
    services.update_plan(
        plan=plan,
        user=officer,
        expected_version=1,
        child=child,
        data=services.PlanData(fields=fields, participants=[], measures=[]),
    )
    with pytest.raises(services.StaleEdit) as exc:
        services.update_plan(
            plan=plan,
            user=officer2,
            expected_version=1,
            child=child,
            data=services.PlanData(
                fields={"question": "Jonas fråga", "chair": "Sara"}, participants=[], measures=[]
            ),
        )
    stale = exc.value
    assert stale.current_version == 2
    assert stale.changed_by == str(officer)
    plan.refresh_from_db()
    assert plan.question == "Ny fråga från Sara"


def test_two_guardians_must_both_consent_and_withdrawal_stops_sharing(officer):
    plan = _complete_plan()
    GuardianFactory(child=plan.child, position=2, name="Ola Testsson")
    bup = plan.participants.get().unit
    first = ConsentFactory(plan=plan)
    assert not plan.is_covered(bup)
    ConsentFactory(plan=plan, person=Consent.Person.GUARDIAN_2, person_name="Ola Testsson")
    plan = Plan.objects.get(pk=plan.pk)
    assert plan.is_covered(bup)
    consent_services.withdraw_consent(consent=first, user=officer, withdrawn_by="Vera Testsson")
    plan = Plan.objects.get(pk=plan.pk)
    assert not plan.is_covered(bup)
    assert plan.is_covered(plan.owner_unit)  # the drafting unit holds its own record


def test_a_mature_child_can_consent_alone(officer):
    plan = _complete_plan()
    ConsentFactory(
        plan=plan, person=Consent.Person.CHILD, person_name="Tindra", child_is_mature=True
    )
    assert plan.missing_for_agreement() == []


def test_consent_covers_only_the_principals_named(officer):
    plan = _complete_plan()
    ConsentFactory(plan=plan, principals=[Principal.objects.get(name="Täby kommun")])
    assert not plan.is_covered(plan.participants.get().unit)


def test_written_consent_needs_a_document(officer):
    plan = _complete_plan()
    with pytest.raises(services.SipError):
        consent_services.record_consent(
            user=officer,
            purpose=plan,
            person="guardian_1",
            person_name="Vera",
            principals=list(Principal.objects.filter(name="Täby kommun")),
            given_on=timezone.localdate(),
            form="written",
        )


def test_forum_case_protocol_needs_consent_and_can_escalate(chief):
    case = ForumCaseFactory()
    GuardianFactory(child=case.child)
    protocol = {
        "meeting_on": timezone.localdate(),
        "present": "Chefer",
        "principals_views": "Olika",
        "decision": "Lyfts",
        "actions": "",
        "outcome": ForumCase.Outcome.ESCALATED,
        "escalated_on": timezone.localdate(),
    }
    with pytest.raises(services.SipError):
        forum_services.record_protocol(case=case, user=chief, protocol=protocol)
    ConsentFactory(plan=None, forum_case=case)
    case = forum_services.record_protocol(case=case, user=chief, protocol=protocol)
    assert case.status == ForumCase.Status.ESCALATED
    case = forum_services.close_forum_case(case=case, user=chief, reason="Styrgruppen beslutade.")
    assert case.status == ForumCase.Status.CLOSED


def test_resolved_protocol_closes_the_case(chief):
    case = ForumCaseFactory()
    GuardianFactory(child=case.child)
    ConsentFactory(plan=None, forum_case=case)
    case = forum_services.record_protocol(
        case=case,
        user=chief,
        protocol={
            "meeting_on": timezone.localdate(),
            "present": "Chefer",
            "principals_views": "Eniga",
            "decision": "BUP ger stöd",
            "actions": "BUP: samtal",
            "outcome": ForumCase.Outcome.RESOLVED,
            "escalated_on": None,
        },
    )
    assert case.status == ForumCase.Status.CLOSED and case.closed_at


def test_only_a_unit_chief_raises_a_forum_case(officer):
    with pytest.raises(services.SipError):
        forum_services.raise_forum_case(
            user=officer,
            raising_unit=taby_social(),
            local_group=taby_group(),
            child=services.ChildData("A", "B", "", True, None, []),
            need_noticed_on=timezone.localdate(),
            question="Fråga",
            invited_units=[],
        )


def test_local_group_is_derived_from_the_unit_area():
    assert services.local_group_for_unit(taby_social()) == taby_group()
