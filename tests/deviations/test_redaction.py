"""Redaction: an identity number or a name found after it was stored is removed everywhere the
report keeps it, by whoever handles the report now or by the secretariat at any step; the
original is kept nowhere and the redaction is logged without it. The nightly check lists the
reports (number and texts, never the identity number) for the secretariat."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.sessions.models import Session
from django.core import serializers
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bus_portal import audit, outbox
from bus_portal.models import AuditEvent, FormSubmission, OutboundMessage
from deviations import redaction, services
from deviations.audit import Purpose
from deviations.models import (
    Comment,
    Deviation,
    DeviationStep,
    Notification,
    NotificationKind,
    Status,
)
from deviations.notifications import outbox_source
from tests.conftest import client_for, demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once
from tests.submissions import once

pytestmark = pytest.mark.django_db

NUMBER = "170101-2393"  # Skatteverket test personnummer
WRITTEN = "170101\u20132393"  # as Word writes it: the forms of before let it through
NAME = "Elsa"

TO_BUSSAM = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM)


def stored_anywhere(*secrets: str) -> list[str]:
    """Every stored row that still holds one of ``secrets``: reports, steps, comments, the
    notifications, the outbox's e-mails, audit rows, queued tasks, form submissions and
    sessions."""
    from django_tasks_db.models import DBTaskResult

    found = []
    for model in (
        Deviation,
        DeviationStep,
        Comment,
        Notification,
        OutboundMessage,
        AuditEvent,
        DBTaskResult,
        FormSubmission,
    ):
        text = serializers.serialize("json", model.objects.all())
        found += [f"{model.__name__}: {s}" for s in secrets if s in text]
    for session in Session.objects.all():
        found += [f"session: {s}" for s in secrets if s in str(session.get_decoded())]
    return found


def _polluted(*statuses: str) -> Deviation:
    """A report that got an identity number and a name past the forms of before, in its
    fields, a step's comment, a comment and the notifications about them."""
    deviation = advance(DeviationFactory(), *statuses)
    Deviation.objects.filter(pk=deviation.pk).update(
        description=f"Eleven {WRITTEN} fick vänta. {NAME} och hennes mamma kom.",
        tried_locally=f"Samtal om {NAME}s skolgång.",
    )
    DeviationStep.objects.filter(deviation=deviation).update(comment=f"Gäller {NUMBER}.")
    Comment.objects.create(deviation=deviation, author=demo_user("chief"), text=f"{NAME} igen.")
    Notification.objects.filter(deviation=deviation).update(body=f"Om {NUMBER} och {NAME}.")
    deviation.refresh_from_db()
    return deviation


def test_the_secretariat_removes_a_number_and_a_name_from_every_text(secretariat_client):
    deviation = _polluted(*TO_BUSSAM)
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    page = secretariat_client.get(url)
    assert page.status_code == 200
    # What was found and where, never the number itself.
    labels = {f["label"] for f in page.context["findings"]}
    assert "Beskrivning av samverkansproblemet" in labels
    html = page.content.decode()
    assert "rad 1, tecken 8" in html and "[personnummer]" in html
    assert "2393" not in html.replace(str(page.context["form"]["submission_token"].value()), "")
    assert NAME in page.context["names"]

    response = secretariat_client.post(url, once({"phrase": NAME.lower(), "confirm": "on"}))
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert (
        deviation.description == "Eleven [borttaget] fick vänta. [borttaget] och hennes mamma kom."
    )
    assert deviation.tried_locally == "Samtal om [borttaget] skolgång."
    assert set(deviation.steps.values_list("comment", flat=True)) == {"Gäller [borttaget]."}
    assert deviation.comments.get().text == "[borttaget] igen."
    assert set(deviation.notifications.values_list("body", flat=True)) == {
        "Om [borttaget] och [borttaget]."
    }
    assert stored_anywhere(NUMBER, WRITTEN, "170101", NAME) == []


def test_the_redaction_is_logged_who_when_which_texts_never_what():
    deviation = _polluted(*TO_BUSSAM)
    codes = redaction.redact(deviation=deviation, user=demo_user("secretariat"), phrase=NAME)
    event = audit.events_for(deviation).filter(purpose=Purpose.REDACT).get()
    assert event.actor == demo_user("secretariat") and event.at
    step_codes = [
        f"step:{pk}" for pk in deviation.steps.order_by("id").values_list("pk", flat=True)
    ]
    comment = deviation.comments.get()
    assert event.changes == {
        "fields": ["description", "tried_locally", *step_codes, f"comment:{comment.pk}"],
        "notifications": deviation.notifications.count(),
    }
    assert codes == event.changes["fields"]
    assert NAME not in str(event.changes) and "2393" not in str(event.changes)


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_a_mail_still_queued_goes_out_redacted_and_the_queue_never_held_the_text(
    mailoutbox, monkeypatch
):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    mail_at_once("officer")  # sent at once: a send task waits in the queue
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    services.add_comment(
        deviation=deviation, user=demo_user("chief"), text=f"Har {NAME} fått tid hos BUP?"
    )
    queued = DBTaskResult.objects.filter(status="READY")
    assert queued.exists()
    assert all(NAME not in str(task.args_kwargs) for task in queued)
    redaction.redact(deviation=deviation, user=demo_user("chief"), phrase=NAME)
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    officer = demo_user("officer")
    mails = [m for m in mailoutbox if officer.email in m.to]
    assert mails and all(NAME not in m.body for m in mails)
    assert any("[borttaget]" in m.body for m in mails)


def test_an_email_waiting_for_the_digest_is_redacted_before_it_goes(mailoutbox):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    services.add_comment(
        deviation=deviation, user=demo_user("chief"), text=f"Har {NAME} fått tid hos BUP?"
    )
    officer = demo_user("officer")
    waiting = OutboundMessage.objects.unsent().filter(recipient=officer, digest=True)
    assert any(NAME in message.body for message in waiting)
    redaction.redact(deviation=deviation, user=demo_user("chief"), phrase=NAME)
    assert not stored_anywhere(NAME)
    assert any("[borttaget]" in message.body for message in waiting.all())
    outbox.send_digests()
    assert [m for m in mailoutbox if officer.email in m.to]
    assert all(NAME not in m.body + m.subject for m in mailoutbox)


def test_the_review_audit_rows_hold_field_codes_not_the_response():
    deviation = advance(DeviationFactory(), *TO_BUSSAM)
    services.review(
        deviation=deviation,
        user=demo_user("secretariat"),
        cleaned={"response": f"Vi har talat med {NAME}s skola.", "regional_action": "routine"},
    )
    event = audit.events_for(deviation).filter(purpose=Purpose.REVIEW).get()
    assert event.changes == {"fields": ["regional_action", "response"]}


# --- who may redact --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "allowed", "refused"),
    [
        ((), {"officer", "secretariat"}, set()),
        ((Status.WITH_MANAGER,), {"chief", "secretariat"}, {"officer"}),
        (
            (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP),
            {"chair", "secretariat"},
            {"officer", "chief"},
        ),
        (TO_BUSSAM, {"secretariat"}, {"officer", "chief", "chair", "bussam"}),
        ((*TO_BUSSAM, Status.CLOSED), {"secretariat"}, {"officer", "chief", "chair", "bussam"}),
    ],
    ids=["draft", "manager", "local group", "bussam", "closed"],
)
def test_whoever_handles_the_step_and_the_secretariat_at_any_step_may_redact(
    path, allowed, refused
):
    deviation = advance(DeviationFactory(), *path)
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    for username in ("officer", "officer2", "outsider", "chief", "chair", "secretariat", "bussam"):
        status = client_for(username).get(url).status_code
        expected = 200 if username in allowed else 403 if username in refused else 404
        assert status == expected, (username, status)
        if username not in allowed:
            with pytest.raises(services.DeviationError):
                redaction.redact(deviation=deviation, user=demo_user(username), phrase="x")


def test_the_secretariat_redacts_a_report_it_cannot_otherwise_read(secretariat_client):
    deviation = _polluted(Status.WITH_MANAGER)
    assert (
        secretariat_client.get(
            reverse("deviations:detail", kwargs={"pk": deviation.pk})
        ).status_code
        == 404
    )
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    response = secretariat_client.post(url, once({"phrase": "", "confirm": "on"}))
    # Back to the redaction page: the report's own page is not the secretariat's to see.
    assert response["Location"] == url
    deviation.refresh_from_db()
    assert "[borttaget]" in deviation.description and NAME in deviation.description


def test_nothing_to_remove_is_said_on_the_form(chief_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    response = chief_client.post(url, once({"phrase": "Ingrid", "confirm": "on"}))
    assert response.status_code == 200
    assert "Ingenting togs bort" in response.content.decode()
    assert response.context["form"]["phrase"].value() == "Ingrid"
    refused = chief_client.post(url, once({"phrase": "Ingrid"}))
    assert refused.context["form"].errors["confirm"]


def test_a_reporter_can_edit_away_a_number_once_the_report_is_returned(officer_client):
    deviation = _polluted(Status.WITH_MANAGER)
    services.move(
        deviation=deviation, to_status=Status.RETURNED, user=demo_user("chief"), comment="Fråga?"
    )
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    assert officer_client.get(url).status_code == 200
    assert (
        officer_client.get(reverse("deviations:edit", kwargs={"pk": deviation.pk})).status_code
        == 200
    )


# --- the nightly check -------------------------------------------------------------------------
def test_the_nightly_check_lists_reports_and_texts_never_the_number():
    clean = advance(DeviationFactory(), Status.WITH_MANAGER)
    deviation = _polluted(Status.WITH_MANAGER)
    out = io.StringIO()
    call_command("find_deviation_identity_numbers", "--no-notify", stdout=out)
    text = out.getvalue()
    step = deviation.steps.get()
    assert f"{deviation.reference}: description, step:{step.pk}, notifications" in text
    assert clean.reference not in text
    assert "2393" not in text and "170101" not in text
    assert not Notification.objects.filter(kind=NotificationKind.IDENTITY_FOUND).exists()


def test_the_nightly_check_tells_the_secretariat_once_a_week():
    deviation = _polluted(Status.WITH_MANAGER)
    call_command("find_deviation_identity_numbers", stdout=io.StringIO())
    call_command("find_deviation_identity_numbers", stdout=io.StringIO())
    told = Notification.objects.filter(kind=NotificationKind.IDENTITY_FOUND, deviation=deviation)
    assert set(told.values_list("recipient__username", flat=True)) == {"secretariat"}
    assert told.count() == 1
    body = told.get().body
    assert deviation.reference in body and "Beskrivning av samverkansproblemet" in body
    # The e-mail links to the redaction page (the outbox adds the link to the text).
    message = OutboundMessage.objects.get(source=outbox_source(told.get().pk))
    assert message.url == reverse("deviations:redact", kwargs={"pk": deviation.pk})
    assert "2393" not in body
    later = timezone.now() + datetime.timedelta(days=8)
    for reported, codes in redaction.stored_identity_numbers():
        redaction.tell_the_secretariat(reported, codes, now=later)
    assert told.count() == 2
    # Once redacted, the report is no longer listed.
    redaction.redact(deviation=deviation, user=demo_user("secretariat"))
    assert deviation.pk not in {d.pk for d, _codes in redaction.stored_identity_numbers()}


def test_the_secretariats_notice_on_the_start_page_leads_to_the_redaction_page(
    secretariat_client,
):
    deviation = _polluted(Status.WITH_MANAGER)
    call_command("find_deviation_identity_numbers", stdout=io.StringIO())
    home = secretariat_client.get(reverse("home")).content.decode()
    url = reverse("deviations:redact", kwargs={"pk": deviation.pk})
    assert f'href="{url}"' in home
    assert secretariat_client.get(url).status_code == 200
