"""Notifications: a row per recipient, e-mailed through the outbox (at once or in the digest),
reminders idempotent and run by the daily job."""

import datetime

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bus_portal import outbox
from bus_portal.models import OutboundMessage
from deviations import services
from deviations.models import Deviation, Notification, NotificationKind, Status
from deviations.notifications import outbox_source
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once

pytestmark = pytest.mark.django_db


def test_each_notification_is_emailed_through_the_outbox_tagged_with_it(mailoutbox):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    chief = demo_user("chief")
    notification = Notification.objects.get(deviation=deviation, recipient=chief)
    assert notification.emailed_at is not None
    message = OutboundMessage.objects.get(source=outbox_source(notification.pk))
    assert (message.recipient, message.subject) == (chief, notification.subject)
    assert message.url == reverse("deviations:detail", kwargs={"pk": deviation.pk})
    # The chief keeps the default, the daily digest: nothing is mailed yet.
    assert message.digest and message.sent_at is None
    assert not [m for m in mailoutbox if chief.email in m.to]
    outbox.send_digests()
    sent = [m for m in mailoutbox if chief.email in m.to]
    assert len(sent) == 1 and deviation.reference in sent[0].body


def test_a_user_who_chose_email_at_once_gets_it_at_once(mailoutbox):
    mail_at_once("chief")
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    chief = demo_user("chief")
    sent = [m for m in mailoutbox if chief.email in m.to]
    assert len(sent) == 1
    assert deviation.reference in sent[0].subject


@override_settings(SITE_URL="https://bus-portalen.example/")
def test_the_mail_links_to_the_report_with_the_sites_address(mailoutbox):
    mail_at_once("chief")
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    link = "https://bus-portalen.example" + reverse(
        "deviations:detail", kwargs={"pk": deviation.pk}
    )
    assert any(link in m.body for m in mailoutbox)
    assert not any(m.body.count(link) > 1 for m in mailoutbox)  # once, from the outbox


def test_a_task_queued_by_the_earlier_version_hands_the_mail_over_once(mailoutbox):
    from deviations.tasks import send_notification_email

    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    notification = Notification.objects.filter(deviation=deviation).first()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
    OutboundMessage.objects.filter(source=outbox_source(notification.pk)).delete()
    assert send_notification_email.call(notification.pk) is True
    assert send_notification_email.call(notification.pk) is False
    assert OutboundMessage.objects.filter(source=outbox_source(notification.pk)).count() == 1


def test_a_recipient_without_an_address_still_gets_the_notification():
    chief = demo_user("chief")
    chief.email = ""
    chief.save(update_fields=["email"])
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    notification = Notification.objects.get(deviation=deviation, recipient=chief)
    assert notification.emailed_at is None
    assert not OutboundMessage.objects.filter(source=outbox_source(notification.pk)).exists()


DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@override_settings(TASKS=DB_TASKS)
def test_the_database_worker_delivers_the_mail(mailoutbox, monkeypatch):
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops connections that are not in autocommit; inside the test's transaction
    # that would close the test's own connection (PostgreSQL), so keep it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    mail_at_once("chief")
    advance(DeviationFactory(), Status.WITH_MANAGER)
    chief = demo_user("chief")
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert not [m for m in mailoutbox if chief.email in m.to]  # queued, not sent by the request
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0, verbosity=0)
    assert [m for m in mailoutbox if chief.email in m.to]
    assert OutboundMessage.objects.filter(recipient=chief, sent_at__isnull=False).exists()
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_notifications_are_listed_on_the_start_page_and_can_be_marked_read(chief_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    response = chief_client.get(reverse("home"))
    html = response.content.decode()
    assert deviation.reference in html
    notification = Notification.objects.get(deviation=deviation, recipient=demo_user("chief"))
    chief_client.post(reverse("deviations:notification_read", kwargs={"pk": notification.pk}))
    notification.refresh_from_db()
    assert notification.read_at is not None


def _age(deviation: Deviation, days: int) -> None:
    then = timezone.now() - datetime.timedelta(days=days)
    Deviation.objects.filter(pk=deviation.pk).update(status_changed_at=then)
    deviation.steps.filter(to_status=deviation.status).update(at=then)


def test_reminders_go_to_whoever_must_act_after_14_days():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    _age(deviation, 15)
    fresh = advance(DeviationFactory(description="Ny rapport."), Status.WITH_MANAGER)
    services.send_reminders()
    reminders = Notification.objects.filter(kind=NotificationKind.REMINDER)
    assert set(
        reminders.filter(deviation=deviation).values_list("recipient__username", flat=True)
    ) == {"chief"}
    assert not reminders.filter(deviation=fresh).exists()


def test_reminders_are_idempotent_one_per_item_and_step_per_seven_days():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    _age(deviation, 20)
    now = timezone.now()
    call_command("send_deviation_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("send_deviation_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = Notification.objects.filter(kind=NotificationKind.REMINDER, deviation=deviation)
    assert reminders.count() == 1
    services.send_reminders(now=now + datetime.timedelta(days=6))
    assert reminders.count() == 1
    services.send_reminders(now=now + datetime.timedelta(days=8))
    assert reminders.count() == 2


def test_a_new_step_gets_its_own_reminder_clock():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    _age(deviation, 20)
    services.send_reminders()
    reminders = Notification.objects.filter(kind=NotificationKind.REMINDER, deviation=deviation)
    assert reminders.count() == 1
    advance(deviation, Status.WITH_LOCAL_GROUP)
    services.send_reminders()
    assert reminders.count() == 1  # the new step has waited less than 14 days
    _age(deviation, 15)
    services.send_reminders()
    assert reminders.filter(recipient=demo_user("chair")).count() == 1


def test_the_notification_code_lives_in_its_own_module():
    from pathlib import Path

    import deviations.models
    from deviations import notifications

    assert Notification.__module__ == "deviations.notifications"
    assert deviations.models.Notification is notifications.Notification
    assert callable(notifications.notify) and callable(notifications.step_message)
    lines = Path(deviations.models.__file__).read_text(encoding="utf-8").count("\n")
    assert lines <= 500, "deviations/models.py is past 500 lines again"


def test_the_reminders_are_a_registered_daily_job():
    from bus_portal.registry import portal
    from deviations import redaction

    assert services.send_reminders in portal.ordered_daily_jobs()
    assert redaction.nightly_check in portal.ordered_daily_jobs()
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    _age(deviation, 20)
    call_command("run_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("run_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    reminders = Notification.objects.filter(kind=NotificationKind.REMINDER, deviation=deviation)
    assert reminders.count() == 1
