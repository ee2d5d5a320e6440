"""The ladder: every allowed step, every refused one, who may act, and the step rows."""

import pytest
from django.core import mail
from django.utils import timezone, translation

from deviations import services
from deviations.models import TRANSITIONS, DeviationStep, Notification, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance

pytestmark = pytest.mark.django_db

PATHS = [
    [Status.WITH_MANAGER, Status.RESOLVED_LOCALLY],
    [Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.RESOLVED_IN_GROUP],
    [Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM, Status.CLOSED],
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p[-1])
def test_each_path_up_the_ladder_records_every_step(path):
    deviation = advance(DeviationFactory(), *path)
    assert deviation.status == path[-1]
    steps = list(deviation.steps.order_by("at", "id"))
    assert [s.to_status for s in steps] == path
    assert [s.from_status for s in steps] == [Status.DRAFT, *path[:-1]]
    assert all(s.at and s.actor_id for s in steps)
    assert deviation.submitted_at is not None
    assert deviation.closed_at is not None


ALL = list(Status.values)
# A returned report goes back only to the step that returned it (here: the manager).
RETURNED_TO = Status.WITH_MANAGER
REFUSED = [
    (source, target)
    for source in ALL
    for target in ALL
    if target not in TRANSITIONS.get(source, ())
    and not (source == Status.RETURNED and target == RETURNED_TO)
]


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_step_outside_the_table_is_refused(source, target):
    deviation = DeviationFactory(
        status=source,
        is_principled=True,
        principled_reason="x",
        response="y",
        submitted_at=None if source == Status.DRAFT else timezone.now(),
        returned_from=RETURNED_TO if source == Status.RETURNED else "",
    )
    assert not deviation.can_move_to(target)
    for username in ("officer", "chief", "chair", "secretariat"):
        with pytest.raises(services.DeviationError):
            services.move(deviation=deviation, to_status=target, user=demo_user(username))
    deviation.refresh_from_db()
    assert deviation.status == source
    assert not DeviationStep.objects.filter(deviation=deviation).exists()


def test_only_the_reporter_sends_a_draft():
    deviation = DeviationFactory()
    for username in ("chief", "chair", "secretariat", "officer2"):
        with pytest.raises(services.NotAllowedToAct):
            services.move(
                deviation=deviation, to_status=Status.WITH_MANAGER, user=demo_user(username)
            )


def test_an_incomplete_draft_cannot_be_sent():
    deviation = DeviationFactory(description="", confirmed_no_identification_at=None)
    with pytest.raises(services.StepNotAllowed) as error:
        services.move(deviation=deviation, to_status=Status.WITH_MANAGER, user=demo_user("officer"))
    assert "intygande om att inget barn kan identifieras" in str(error.value)
    with translation.override("en"):
        assert deviation.missing_for_submission() == [
            "description of the collaboration problem",
            "confirmation that no child can be identified",
        ]


def test_only_the_nearest_manager_acts_on_a_submitted_report():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    for username in ("officer", "chair", "secretariat", "officer2", "outsider"):
        with pytest.raises(services.NotAllowedToAct):
            services.move(
                deviation=deviation, to_status=Status.WITH_LOCAL_GROUP, user=demo_user(username)
            )
    services.move(deviation=deviation, to_status=Status.WITH_LOCAL_GROUP, user=demo_user("chief"))


def test_only_the_local_group_acts_at_the_local_group_step():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
    for username in ("officer", "chief", "secretariat"):
        with pytest.raises(services.NotAllowedToAct):
            services.move(
                deviation=deviation, to_status=Status.RESOLVED_IN_GROUP, user=demo_user(username)
            )


def test_only_principled_reports_go_to_bussam():
    deviation = advance(
        DeviationFactory(is_principled=False), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP
    )
    with pytest.raises(services.StepNotAllowed):
        services.move(deviation=deviation, to_status=Status.WITH_BUSSAM, user=demo_user("chair"))


def test_the_secretariat_cannot_close_without_a_response():
    deviation = advance(
        DeviationFactory(is_principled=True, principled_reason="Länsövergripande."),
        Status.WITH_MANAGER,
        Status.WITH_LOCAL_GROUP,
        Status.WITH_BUSSAM,
    )
    with pytest.raises(services.StepNotAllowed):
        services.move(deviation=deviation, to_status=Status.CLOSED, user=demo_user("secretariat"))
    with pytest.raises(services.NotAllowedToAct):
        services.move(deviation=deviation, to_status=Status.CLOSED, user=demo_user("bussam"))


def test_the_reporter_is_told_at_every_step_and_when_closed_what_came_of_it():
    officer = demo_user("officer")
    officer.email_digest = False  # the reporter chose e-mail at once, not the daily digest
    officer.save(update_fields=["email_digest"])
    deviation = advance(DeviationFactory(), *PATHS[2])
    told = Notification.objects.filter(recipient=officer, deviation=deviation)
    assert told.count() == 4
    last = told.order_by("-created_at", "-id").first()
    assert "Rutin tas fram." in last.body
    outcome_mails = [
        m for m in mail.outbox if officer.email in m.to and "Rutin tas fram." in m.body
    ]
    assert len(outcome_mails) == 1


def test_people_at_the_next_step_are_notified():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    assert Notification.objects.filter(deviation=deviation, recipient=demo_user("chief")).exists()
    advance(deviation, Status.WITH_LOCAL_GROUP)
    assert Notification.objects.filter(deviation=deviation, recipient=demo_user("chair")).exists()
    advance(deviation, Status.WITH_BUSSAM)
    for username in ("secretariat", "bussam"):
        assert Notification.objects.filter(
            deviation=deviation, recipient=demo_user(username)
        ).exists()


def test_reports_at_the_local_group_are_suggested_for_its_agenda():
    from agreements.models import LocalGroup
    from bus_portal.registry import portal

    agenda_suggestions = portal.agenda_suggestions

    deviation = advance(DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
    sources = {s.source for s in agenda_suggestions(LocalGroup.objects.get(name="Täby"))}
    assert f"deviations.deviation:{deviation.pk}" in sources
    nacka = {s.source for s in agenda_suggestions(LocalGroup.objects.get(name="Nacka"))}
    assert f"deviations.deviation:{deviation.pk}" not in nacka
