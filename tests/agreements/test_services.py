"""Every state change goes through a service that checks the rule and writes an audit row."""

import datetime

import pytest
from django.utils import timezone

from agreements import services
from agreements.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    Assignment,
    Body,
    MinutesStatus,
    OriginalsStep,
    PlanItem,
    Principal,
)
from bus_portal.models import AuditEvent
from bus_portal.registry import AgendaSuggestion, portal
from tests.agreements.factories import (
    AssignmentFactory,
    BodyFactory,
    BodyMemberFactory,
    LocalGroupFactory,
    MeetingFactory,
    PartyFactory,
    RevisionFactory,
    SectionFactory,
    SignatoryFactory,
    region,
    signed_agreement,
)
from tests.agreements.justering import appoint, check_as

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = datetime.timedelta


def audited(obj, purpose_part=""):
    return AuditEvent.objects.filter(
        object_id=str(obj.pk), purpose__icontains=purpose_part
    ).exists()


# Signing ----------------------------------------------------------------------------------


def test_an_agreement_is_in_force_only_when_every_party_has_signed(admin):
    revision = RevisionFactory()
    first = SignatoryFactory(party=PartyFactory(revision=revision))
    second = SignatoryFactory(party=PartyFactory(revision=revision, principal=region()))
    agreement = Agreement.objects.with_details().get(pk=revision.agreement_id)
    assert agreement.status() == AgreementStatus.UNSIGNED

    services.sign(signatory=first, signed_on=TODAY, user=admin)
    agreement = Agreement.objects.with_details().get(pk=revision.agreement_id)
    assert agreement.status() == AgreementStatus.UNSIGNED

    services.sign(signatory=second, signed_on=TODAY, user=admin)
    agreement = Agreement.objects.with_details().get(pk=revision.agreement_id)
    assert agreement.status() == AgreementStatus.IN_FORCE
    assert audited(second, "")


def test_it_refuses_a_signature_dated_in_the_future_or_given_twice(admin):
    signatory = SignatoryFactory()
    with pytest.raises(services.SigningError):
        services.sign(signatory=signatory, signed_on=TODAY + D(days=1), user=admin)
    services.sign(signatory=signatory, signed_on=TODAY, user=admin)
    with pytest.raises(services.SigningError):
        services.sign(signatory=signatory, signed_on=TODAY, user=admin)


def test_it_refuses_signatures_while_a_party_has_no_signatory(admin):
    revision = RevisionFactory()
    PartyFactory(revision=revision)  # nobody named to sign for this party
    signatory = SignatoryFactory(party=PartyFactory(revision=revision, principal=region()))
    with pytest.raises(services.SigningError):
        services.sign(signatory=signatory, signed_on=TODAY, user=admin)


@pytest.mark.parametrize(
    ("valid_to", "review", "status"),
    [
        (None, None, AgreementStatus.IN_FORCE),
        (TODAY - D(days=1), None, AgreementStatus.EXPIRED),
        (TODAY + D(days=90), None, AgreementStatus.EXPIRING),
        (TODAY + D(days=91), None, AgreementStatus.IN_FORCE),
        (None, TODAY, AgreementStatus.REVIEW_DUE),
        (None, TODAY + D(days=1), AgreementStatus.IN_FORCE),
    ],
)
def test_agreement_status_follows_validity_and_review_dates(valid_to, review, status):
    agreement = signed_agreement(valid_to=valid_to, review_date=review)
    assert Agreement.objects.with_details().get(pk=agreement.pk).status(TODAY) == status


def test_a_new_revision_copies_the_latest_and_the_old_one_stays_in_force(admin):
    agreement = signed_agreement()
    SectionFactory(revision=agreement.revisions.get(), key="purpose", text="Gammal text")
    revision = services.start_revision(agreement=agreement, user=admin)
    assert revision.number == 2
    assert revision.sections.get(key="purpose").text == "Gammal text"
    assert revision.parties.count() == 2
    assert all(not s.signed_on for s in revision.all_signatories())
    fresh = Agreement.objects.with_details().get(pk=agreement.pk)
    assert fresh.current_revision.number == 1 and fresh.draft_revision.number == 2
    assert fresh.status() == AgreementStatus.IN_FORCE
    with pytest.raises(services.AgreementsError):
        services.start_revision(agreement=agreement, user=admin)


def test_a_signed_revision_cannot_be_edited(admin):
    agreement = signed_agreement()
    revision = agreement.revisions.get()
    with pytest.raises(services.RevisionLockedError):
        services.update_revision(revision=revision, fields={"title": "Ny"}, sections=[], user=admin)


def test_editing_a_draft_revision_saves_sections_and_audits(admin):
    agreement = signed_agreement()
    draft = services.start_revision(agreement=agreement, user=admin)
    services.update_revision(
        revision=draft,
        fields={"title": "Revision 2026"},
        sections=[{"key": "purpose", "heading": "Syfte", "text": "Ny text"}],
        user=admin,
    )
    draft.refresh_from_db()
    assert draft.title == "Revision 2026"
    assert draft.sections.get(key="purpose").text == "Ny text"
    assert audited(draft, "")


def test_create_local_agreement_from_the_standard_template(admin):
    group = LocalGroupFactory()
    group.principals.set([region()])
    agreement = services.create_local_agreement(
        local_group=group, title="Ny", template=services.Template.STANDARD, user=admin
    )
    kinds = list(agreement.bodies.order_by("position").values_list("kind", "parent__kind"))
    assert kinds == [
        (Body.Kind.STEERING, None),
        (Body.Kind.WORKING, Body.Kind.STEERING),
        (Body.Kind.INDIVIDFORUM, Body.Kind.WORKING),
    ]
    empty_group = LocalGroupFactory()
    empty = services.create_local_agreement(
        local_group=empty_group, title="Tom", template=services.Template.EMPTY, user=admin
    )
    assert not empty.bodies.exists()
    with pytest.raises(services.AgreementsError):
        services.create_local_agreement(
            local_group=group, title="Igen", template="empty", user=admin
        )


# Originals routing ------------------------------------------------------------------------


def test_originals_routing_is_recorded_step_by_step_in_order(secretariat):
    county = Agreement.objects.get(kind=Agreement.Kind.COUNTY)
    solna = Principal.objects.get(name="Solna stad")
    with pytest.raises(services.RoutingError):
        services.record_originals_step(
            agreement=county, principal=solna, step=2, done_on=TODAY, user=secretariat
        )
    services.record_originals_step(
        agreement=county, principal=solna, step=1, done_on=TODAY - D(days=5), user=secretariat
    )
    with pytest.raises(services.RoutingError):
        services.record_originals_step(
            agreement=county, principal=solna, step=2, done_on=TODAY - D(days=6), user=secretariat
        )
    step = services.record_originals_step(
        agreement=county, principal=solna, step=2, done_on=TODAY, user=secretariat
    )
    assert OriginalsStep.objects.filter(agreement=county, principal=solna).count() == 2
    assert audited(step)


def test_the_demo_has_the_five_step_routing_for_taby():
    county = Agreement.objects.get(kind=Agreement.Kind.COUNTY)
    steps = OriginalsStep.objects.filter(agreement=county, principal__name="Täby kommun").order_by(
        "step"
    )
    assert [s.step for s in steps] == [1, 2, 3, 4, 5]


# Minutes ----------------------------------------------------------------------------------


def test_minutes_go_from_draft_to_checked_to_published(chair):
    meeting = MeetingFactory(held_on=TODAY - D(days=3))
    with pytest.raises(services.MinutesError):
        services.publish_minutes(meeting=meeting, user=chair)
    check_as(meeting, chair)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CHECKED
    assert meeting.checker_name == chair.get_full_name()
    services.publish_minutes(meeting=meeting, user=chair)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.PUBLISHED and meeting.published_by == chair
    assert (
        audited(meeting, "publ")
        or AuditEvent.objects.filter(object_id=str(meeting.pk)).count() == 2
    )


def test_minutes_cannot_be_checked_before_the_meeting_or_empty_or_by_others(chair, chief):
    coming = MeetingFactory(held_on=TODAY + D(days=2))
    appoint(coming, chair)
    with pytest.raises(services.MinutesError):
        services.check_minutes(meeting=coming, user=chair)
    meeting = MeetingFactory(held_on=TODAY - D(days=1))
    appoint(meeting, chair)
    with pytest.raises(services.MinutesError, match="justerare"):
        services.check_minutes(meeting=meeting, user=chief)
    empty = MeetingFactory(held_on=TODAY - D(days=1), minutes="")
    appoint(empty, chair)
    with pytest.raises(services.MinutesError):
        services.check_minutes(meeting=empty, user=chair)


def test_published_minutes_cannot_be_edited_only_amended(chair):
    meeting = MeetingFactory(held_on=TODAY - D(days=3))
    with pytest.raises(services.MinutesError):
        services.add_addendum(meeting=meeting, text="Rättelse", user=chair)
    check_as(meeting, chair)
    data = services.MeetingInput(
        held_on=meeting.held_on, place="Ny plats", host_principal=meeting.host_principal
    )
    with pytest.raises(services.MinutesError):
        services.update_meeting(meeting=meeting, data=data, user=chair)
    services.publish_minutes(meeting=meeting, user=chair)
    addendum = services.add_addendum(meeting=meeting, text="Rättelse av punkt 2", user=chair)
    assert meeting.addenda.get() == addendum


# Meetings, agenda and assignments ---------------------------------------------------------


def _suggest(local_group):
    return [
        AgendaSuggestion(title="Eskalerat ärende från BUS individforum", source="sip.forumcase:1"),
        AgendaSuggestion(title="Samma ärende igen", source="sip.forumcase:1"),
    ]


def test_create_meeting_carries_open_assignments_and_suggestions_once(chair, monkeypatch):
    monkeypatch.setattr(portal, "agenda_providers", [_suggest])
    steering = BodyFactory(kind=Body.Kind.STEERING)
    working = BodyFactory(kind=Body.Kind.WORKING, agreement=steering.agreement, parent=steering)
    given = MeetingFactory(body=steering, held_on=TODAY - D(days=60))
    open_one = AssignmentFactory(meeting=given, body=working, title="Ta fram rutin")
    AssignmentFactory(
        meeting=given,
        body=working,
        title="Klart uppdrag",
        status=Assignment.Status.DONE,
        done_on=TODAY,
    )
    member = BodyMemberFactory(body=steering, user=chair)

    meeting = services.create_meeting(
        body=steering,
        data=services.MeetingInput(
            held_on=TODAY,
            place="Kommunhuset",
            host_principal=region(),
            chair=member,
            attendees=[member],
            guests=[("Eva Gäst", "Polisen")],
            agenda=["Föregående anteckningar"],
            decisions=["Beslut ett"],
            focus_areas=["Psykisk hälsa"],
            assignments=[services.AssignmentInput(title="Nytt uppdrag", body=working)],
        ),
        user=chair,
    )
    sources = list(meeting.agenda_items.order_by("position").values_list("source", flat=True))
    assert sources == ["", open_one.source, "sip.forumcase:1"]
    assert meeting.attendees.count() == 2
    assert meeting.assignments.get().title == "Nytt uppdrag"
    plan = PlanItem.objects.get(meeting=meeting)
    assert (plan.kind, plan.year, plan.text) == (
        PlanItem.Kind.FOCUS_AREA,
        TODAY.year + 1,
        "Psykisk hälsa",
    )
    assert audited(meeting)

    # Refreshing adds nothing twice.
    assert services.refresh_agenda(meeting=meeting, user=chair) == 0

    # The working group's next meeting carries both open assignments until they are done.
    next_meeting = services.create_meeting(
        body=working,
        data=services.MeetingInput(held_on=TODAY, place="X", host_principal=region()),
        user=chair,
    )
    titles = set(next_meeting.agenda_items.values_list("source", flat=True))
    assert (
        open_one.source in titles and "sip.forumcase:1" not in titles
    )  # suggestions are for steering

    services.update_assignment(assignment=open_one, status=Assignment.Status.DONE, user=chair)
    later = services.create_meeting(
        body=working,
        data=services.MeetingInput(held_on=TODAY, place="Y", host_principal=region()),
        user=chair,
    )
    assert open_one.source not in set(later.agenda_items.values_list("source", flat=True))


def test_closing_an_assignment_dates_it_and_cannot_be_repeated(chair):
    assignment = AssignmentFactory()
    services.update_assignment(
        assignment=assignment, status=Assignment.Status.DONE, outcome="Klart", user=chair
    )
    assignment.refresh_from_db()
    assert assignment.done_on == TODAY and assignment.outcome == "Klart"
    with pytest.raises(services.AgreementsError):
        services.update_assignment(assignment=assignment, status=Assignment.Status.OPEN, user=chair)


def test_attendees_must_be_members_of_the_body(chair):
    body = BodyFactory()
    stranger = BodyMemberFactory()
    with pytest.raises(services.AgreementsError):
        services.create_meeting(
            body=body,
            data=services.MeetingInput(
                held_on=TODAY, place="X", host_principal=region(), attendees=[stranger]
            ),
            user=chair,
        )


def test_focus_areas_are_not_planned_from_a_working_group(chair):
    body = BodyFactory(kind=Body.Kind.WORKING)
    meeting = services.create_meeting(
        body=body,
        data=services.MeetingInput(
            held_on=TODAY, place="X", host_principal=region(), focus_areas=["X"]
        ),
        user=chair,
    )
    assert not PlanItem.objects.filter(meeting=meeting).exists()
    assert not AgendaItem.objects.filter(meeting=meeting).exclude(source="").exists()


def test_the_yearly_review_moves_the_review_date_on_a_signed_revision(chair):
    agreement = signed_agreement(review_date=TODAY - D(days=3))
    assert (
        Agreement.objects.with_details().get(pk=agreement.pk).status() == AgreementStatus.REVIEW_DUE
    )
    review = services.record_review(
        agreement=agreement, reviewed_on=TODAY, next_review=TODAY + D(days=365), user=chair
    )
    revision = review.revision
    assert revision.review_date == TODAY + D(days=365)
    assert (review.reviewed_on, review.reviewed_by) == (TODAY, chair)
    assert (
        Agreement.objects.with_details().get(pk=agreement.pk).status() == AgreementStatus.IN_FORCE
    )
    assert audited(review)
    with pytest.raises(services.AgreementsError):
        services.record_review(
            agreement=agreement, reviewed_on=TODAY, next_review=TODAY, user=chair
        )
    unsigned = signed_agreement(signed=False)
    with pytest.raises(services.AgreementsError):
        services.record_review(
            agreement=unsigned, reviewed_on=TODAY, next_review=TODAY + D(days=1), user=chair
        )
