"""The ladder as the BUS agreement describes it: the manager or the local group judges a report
principled and sends it on to BUSSAM; any step returns it to the reporter with a question and
gets it back; every closing has an outcome the reporter receives; reminders only to those who
can act."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bus_portal import audit, outbox
from bus_portal.models import OutboundMessage
from deviations import services
from deviations.models import Deviation, DeviationStep, Notification, NotificationKind, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once
from tests.deviations.test_report_form import _data
from tests.submissions import once

pytestmark = pytest.mark.django_db

TO_GROUP = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)


def _step_url(deviation: Deviation, to_status: str) -> str:
    return reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": to_status})


# --- principled, judged by the manager or the local group ---------------------------------------
@pytest.mark.parametrize(
    ("path", "username"), [((Status.WITH_MANAGER,), "chief"), (TO_GROUP, "chair")]
)
def test_the_manager_or_the_local_group_judges_a_report_principled_and_sends_it_to_bussam(
    path, username
):
    from tests.conftest import client_for

    deviation = advance(DeviationFactory(is_principled=False), *path)
    client = client_for(username)
    page = client.get(_step_url(deviation, Status.WITH_BUSSAM))
    assert page.status_code == 200
    assert page.context["form"].fields["principled_reason"].required
    refused = client.post(_step_url(deviation, Status.WITH_BUSSAM), once({"comment": ""}))
    assert refused.context["form"].errors["principled_reason"]
    response = client.post(
        _step_url(deviation, Status.WITH_BUSSAM),
        once({"comment": "", "principled_reason": "Samma tolkning behövs i hela länet."}),
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_BUSSAM
    assert deviation.is_principled
    assert deviation.principled_reason == "Samma tolkning behövs i hela länet."
    event = audit.events_for(deviation).order_by("-at", "-id").first()
    assert event.changes["fields"] == ["is_principled", "principled_reason"]
    assert "tolkning" not in str(event.changes)
    # The secretariat now has it in its queue.
    queue = client_for("secretariat").get(reverse("deviations:queue"))
    assert deviation in queue.context["object_list"]


def test_the_reporter_cannot_send_a_report_to_bussam_themselves():
    deviation = DeviationFactory(is_principled=True, principled_reason="Länsövergripande.")
    assert Status.WITH_BUSSAM not in deviation.next_steps
    with pytest.raises(services.DeviationError):
        services.move(
            deviation=deviation,
            to_status=Status.WITH_BUSSAM,
            user=demo_user("officer"),
            principled_reason="x",
        )


# --- returned to the reporter with a question ---------------------------------------------------
@pytest.mark.parametrize(
    ("path", "username"),
    [
        ((Status.WITH_MANAGER,), "chief"),
        (TO_GROUP, "chair"),
        ((*TO_GROUP, Status.WITH_BUSSAM), "secretariat"),
    ],
)
def test_any_step_returns_a_report_with_a_question_and_gets_it_back(
    path, username, officer_client, mailoutbox
):
    from tests.conftest import client_for

    mail_at_once("officer")
    deviation = advance(DeviationFactory(), *path)
    step_before = deviation.status
    client = client_for(username)
    url = _step_url(deviation, Status.RETURNED)
    assert client.post(url, once({"comment": ""})).context["form"].errors["comment"]
    question = "Vilka kontakter har ni haft med skolan?"
    assert client.post(url, once({"comment": question})).status_code == 302
    deviation.refresh_from_db()
    assert (deviation.status, deviation.returned_from) == (Status.RETURNED, step_before)

    # The reporter is told the question on the page and by e-mail, and may now edit.
    officer = demo_user("officer")
    assert [m for m in mailoutbox if officer.email in m.to and question in m.body]
    page = officer_client.get(reverse("deviations:detail", kwargs={"pk": deviation.pk}))
    assert question in page.content.decode()
    assert page.context["can_edit"]
    edit = reverse("deviations:edit", kwargs={"pk": deviation.pk})
    assert officer_client.get(edit).status_code == 200
    data = _data(description="Remissen returnerades. Vi har talat med rektor två gånger.")
    data.update(lock_version=deviation.lock_version, submit="1")
    del data["save_draft"]
    response = officer_client.post(edit, data)
    # Save and send back: the confirmation of the step back to where it was.
    assert response["Location"] == _step_url(deviation, step_before)
    assert officer_client.post(response["Location"], once({"comment": ""})).status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == step_before
    assert deviation.returned_from == ""
    assert deviation.description.endswith("talat med rektor två gånger.")
    # Whoever returned it can act on it again, and is told it came back.
    assert deviation.can_act(demo_user(username))
    assert Notification.objects.filter(
        deviation=deviation, recipient=demo_user(username), step__from_status=Status.RETURNED
    ).exists()
    assert [s.to_status for s in deviation.steps.order_by("at", "id")][-2:] == [
        Status.RETURNED,
        step_before,
    ]


def test_a_returned_report_keeps_the_dates_it_first_reached_each_step():
    deviation = advance(DeviationFactory(), *TO_GROUP)
    first = (deviation.submitted_at, deviation.reached_local_group_at)
    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chair"), comment="Fråga?"
    )
    services.move(deviation=deviation, to_status=Status.WITH_LOCAL_GROUP, user=demo_user("officer"))
    deviation.refresh_from_db()
    assert (deviation.submitted_at, deviation.reached_local_group_at) == first


def test_only_the_reporter_answers_and_only_back_to_the_step_that_asked():
    deviation = advance(DeviationFactory(), *TO_GROUP)
    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chair"), comment="Fråga?"
    )
    deviation.refresh_from_db()
    assert deviation.next_steps == (Status.WITH_LOCAL_GROUP,)
    for username in ("chief", "chair", "secretariat"):
        with pytest.raises(services.NotAllowedToAct):
            services.move(
                deviation=deviation, to_status=Status.WITH_LOCAL_GROUP, user=demo_user(username)
            )
    with pytest.raises(services.StepNotAllowed):
        services.move(deviation=deviation, to_status=Status.WITH_MANAGER, user=demo_user("officer"))
    # Incomplete, it cannot go back.
    Deviation.objects.filter(pk=deviation.pk).update(consequence="")
    deviation.refresh_from_db()
    with pytest.raises(services.StepNotAllowed):
        services.move(
            deviation=deviation, to_status=Status.WITH_LOCAL_GROUP, user=demo_user("officer")
        )


def test_a_question_is_required_to_return_a_report():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    with pytest.raises(services.StepNotAllowed):
        services.move(
            deviation=deviation, to_status=Status.RETURNED, user=demo_user("chief"), comment=" "
        )


def test_the_chief_and_the_chair_still_see_a_report_returned_to_the_reporter():
    deviation = advance(DeviationFactory(), *TO_GROUP)
    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chair"), comment="Fråga?"
    )
    for username in ("officer", "chief", "chair"):
        assert Deviation.objects.visible_to(demo_user(username)).filter(pk=deviation.pk).exists()
    assert not Deviation.objects.visible_to(demo_user("secretariat")).filter(pk=deviation.pk)
    waiting = Deviation.objects.waiting_for(demo_user("officer"))
    assert waiting.filter(pk=deviation.pk).exists()


# --- an outcome at every closing ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "username"),
    [
        ((Status.WITH_MANAGER, Status.RESOLVED_LOCALLY), "chief"),
        ((*TO_GROUP, Status.RESOLVED_IN_GROUP), "chair"),
        ((*TO_GROUP, Status.WITH_BUSSAM, Status.CLOSED), "secretariat"),
    ],
)
def test_every_closing_needs_an_outcome_and_the_reporter_receives_it(
    path, username, officer_client, mailoutbox
):
    from tests.conftest import client_for

    deviation = advance(DeviationFactory(), *path[:-1])
    client = client_for(username)
    url = _step_url(deviation, path[-1])
    refused = client.post(url, once({"comment": "Avslutad."}))
    assert refused.status_code == 200
    assert refused.context["form"].errors["outcome"]
    deviation.refresh_from_db()
    assert not deviation.is_closed
    with pytest.raises(services.StepNotAllowed):
        services.move(deviation=deviation, to_status=path[-1], user=demo_user(username))

    outcome = "Cheferna har enats om en rutin för kallelser till SIP-möten."
    assert client.post(url, once({"comment": "", "outcome": outcome})).status_code == 302
    deviation.refresh_from_db()
    assert deviation.status == path[-1]
    assert deviation.response == outcome
    page = officer_client.get(reverse("deviations:detail", kwargs={"pk": deviation.pk}))
    assert outcome in page.content.decode()
    # The e-mail waits in the outbox for the reporter's daily digest (the default), with the
    # outcome in its text; sent, the digest lists it with the link.
    officer = demo_user("officer")
    assert OutboundMessage.objects.filter(
        recipient=officer, body__contains=outcome, sent_at__isnull=True, digest=True
    ).exists()
    outbox.send_digests()
    assert [m for m in mailoutbox if officer.email in m.to and deviation.reference in m.body]


def test_the_database_refuses_a_closed_report_without_an_outcome():
    from django.db import IntegrityError, transaction

    for status in (Status.RESOLVED_LOCALLY, Status.RESOLVED_IN_GROUP, Status.CLOSED):
        with pytest.raises(IntegrityError), transaction.atomic():
            DeviationFactory(status=status, submitted_at=timezone.now(), response="")


# --- reminders only to those who can act ----------------------------------------------------------
def _age(deviation: Deviation, days: int) -> None:
    then = timezone.now() - datetime.timedelta(days=days)
    Deviation.objects.filter(pk=deviation.pk).update(status_changed_at=then)
    DeviationStep.objects.filter(deviation=deviation, to_status=deviation.status).update(at=then)


def _reminded(deviation: Deviation) -> set[str]:
    return set(
        Notification.objects.filter(
            deviation=deviation, kind=NotificationKind.REMINDER
        ).values_list("recipient__username", flat=True)
    )


def test_a_report_at_bussam_reminds_the_secretariat_not_bussams_members():
    deviation = advance(DeviationFactory(), *TO_GROUP, Status.WITH_BUSSAM)
    # BUSSAM is told the report was sent to it, but it does not take the next step.
    assert Notification.objects.filter(
        deviation=deviation, recipient=demo_user("bussam"), kind=NotificationKind.STEP
    ).exists()
    _age(deviation, 20)
    services.send_reminders()
    assert _reminded(deviation) == {"secretariat"}


def test_a_returned_report_reminds_its_reporter():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chief"), comment="Fråga?"
    )
    deviation.refresh_from_db()
    _age(deviation, 20)
    services.send_reminders()
    assert _reminded(deviation) == {"officer"}
    body = Notification.objects.get(deviation=deviation, kind=NotificationKind.REMINDER).body
    assert "skicka tillbaka" in body


@pytest.mark.parametrize(
    "path", [(Status.WITH_MANAGER,), TO_GROUP, (*TO_GROUP, Status.WITH_BUSSAM)]
)
def test_every_reminder_goes_to_someone_who_can_act(path):
    deviation = advance(DeviationFactory(), *path)
    _age(deviation, 20)
    services.send_reminders()
    reminded = Notification.objects.filter(deviation=deviation, kind=NotificationKind.REMINDER)
    assert reminded.exists()
    for notification in reminded.select_related("recipient"):
        assert deviation.can_act(notification.recipient), notification.recipient
