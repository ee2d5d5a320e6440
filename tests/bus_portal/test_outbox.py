"""The outbox: every e-mail through Django's SMTP backend to a real server, digests once a day."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar, Event

from bus_portal import outbox
from bus_portal.models import OutboundMessage
from tests.conftest import client_for, demo_user

pytestmark = pytest.mark.django_db


def _calendar(method: str = "REQUEST", sequence: int = 0) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//BUS-portalen//test//SV")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", "meeting-1@bus-portalen.example")
    event.add("sequence", sequence)
    event.add("summary", "Lokal ledningsgrupp")
    event.add("dtstart", datetime.datetime(2026, 12, 3, 13, 0, tzinfo=datetime.UTC))
    event.add("dtend", datetime.datetime(2026, 12, 3, 15, 0, tzinfo=datetime.UTC))
    event.add("dtstamp", datetime.datetime(2026, 11, 29, 12, 0, tzinfo=datetime.UTC))
    calendar.add_component(event)
    return calendar.to_ical()


def _user(username="officer2", *, digest: bool, email="officer2@example.se"):
    user = demo_user(username)
    user.email = email
    user.email_digest = digest
    user.save(update_fields=["email", "email_digest"])
    return user


def test_a_user_who_wants_mail_at_once_gets_it_over_smtp(smtp_server):
    user = _user(digest=False)
    message = outbox.send(
        user, subject="Ett ärende väntar", body="Öppna portalen.", url="/att-gora/"
    )

    [received] = smtp_server.to("officer2@example.se")
    assert received["Subject"] == "Ett ärende väntar"
    text = smtp_server.text(received)
    assert "Öppna portalen." in text
    assert "http://testserver/att-gora/" in text or "/att-gora/" in text
    message.refresh_from_db()
    assert message.sent_at is not None and not message.digest


def test_the_daily_digest_gathers_a_users_messages_into_one_email(smtp_server):
    user = _user(digest=True)
    outbox.send(user, subject="Första", body="Ett", url="/a/")
    outbox.send(user, subject="Andra", body="Två", url="/b/")
    assert smtp_server.messages == []  # waits for the digest

    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # One e-mail, to the address the user has now (the demo queued some to an earlier one).
    [digest] = smtp_server.to("officer2@example.se")
    text = smtp_server.text(digest)
    assert "Första" in text and "Andra" in text
    assert "händelser" in digest["Subject"] or "events" in digest["Subject"]
    assert not OutboundMessage.objects.unsent().filter(recipient=user).exists()
    # A second run the same day sends nothing again.
    call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(smtp_server.messages) == 1


def test_calendar_invitations_go_at_once_with_a_text_calendar_part(smtp_server):
    user = _user(digest=True)
    outbox.send(user, subject="Kallelse", body="Möte", calendar=_calendar("REQUEST", 1))

    [received] = smtp_server.to("officer2@example.se")
    assert smtp_server.calendar_method(received) == "REQUEST"
    calendar = smtp_server.calendar(received)
    assert calendar is not None
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "meeting-1@bus-portalen.example"
    assert int(event["SEQUENCE"]) == 1
    assert any(part.get_filename() == "invite.ics" for part in received.walk())


def test_a_cancellation_carries_method_cancel(smtp_server):
    outbox.send(
        "extern@example.org",
        subject="Inställt",
        body="Mötet är inställt.",
        calendar=_calendar("CANCEL", 2),
    )
    [received] = smtp_server.to("extern@example.org")
    assert smtp_server.calendar_method(received) == "CANCEL"


def test_attachments_arrive(smtp_server):
    outbox.send(
        "extern@example.org",
        subject="Dagordning",
        body="Se bilagan.",
        attachments=[("dagordning.pdf", b"%PDF-1.7 test", "application/pdf")],
    )
    [received] = smtp_server.messages
    [attachment] = [part for part in received.walk() if part.get_filename() == "dagordning.pdf"]
    assert attachment.get_payload(decode=True) == b"%PDF-1.7 test"


def test_a_user_without_an_address_gets_nothing_stored():
    user = _user(digest=False, email="")
    before = OutboundMessage.objects.count()
    assert outbox.can_email(user) is False
    assert outbox.send(user, subject="x", body="y") is None
    assert OutboundMessage.objects.count() == before


def test_an_unreachable_mail_server_keeps_the_message_and_run_daily_retries_it(
    settings, smtp_server
):
    user = _user(digest=False)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1  # nothing listens there
    message = outbox.send(user, subject="Försök", body="Text")
    message.refresh_from_db()
    assert message.sent_at is None and message.error

    settings.EMAIL_PORT = port
    call_command("run_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    message.refresh_from_db()
    assert message.sent_at is not None and message.error == ""
    retried = [m for m in smtp_server.to("officer2@example.se") if m["Subject"] == "Försök"]
    assert len(retried) == 1


def test_the_user_chooses_digest_or_at_once():
    client = client_for("officer2")
    url = reverse("notification_settings")
    page = client.get(url)
    assert "Once a day" in page.content.decode() or "En gång om dagen" in page.content.decode()
    response = client.post(url, {"email_digest": "False"})
    assert response.status_code == 302
    assert demo_user("officer2").email_digest is False
    # An odd value is a form error, not a 500, and changes nothing.
    response = client.post(url, {"email_digest": "maybe"})
    assert response.status_code == 200
    assert demo_user("officer2").email_digest is False


def test_the_admin_reads_the_outbox_and_others_cannot():
    outbox.send("extern@example.org", subject="Till en extern", body="Tid och plats")
    page = client_for("admin").get(reverse("outbox"))
    assert "Till en extern" in page.content.decode()
    assert client_for("officer").get(reverse("outbox")).status_code == 403


def test_run_daily_forgets_tokens_and_sent_mail_older_than_a_year():
    import uuid

    from django.utils import timezone

    from bus_portal.models import FormSubmission

    long_ago = timezone.now() - datetime.timedelta(days=400)
    user = demo_user("officer")
    old_token = FormSubmission.objects.create(token=uuid.uuid4(), user=user, created_at=long_ago)
    new_token = FormSubmission.objects.create(token=uuid.uuid4(), user=user)
    old_mail = OutboundMessage.objects.create(
        to_address="a@example.org", subject="s", body="b", sent_at=long_ago, created_at=long_ago
    )
    unsent_old = OutboundMessage.objects.create(
        to_address="a@example.org",
        subject="s",
        body="b",
        created_at=long_ago,
        digest=True,
        recipient=user,
    )
    call_command("run_daily", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not FormSubmission.objects.filter(pk=old_token.pk).exists()
    assert FormSubmission.objects.filter(pk=new_token.pk).exists()
    assert not OutboundMessage.objects.filter(pk=old_mail.pk).exists()
    unsent_old.refresh_from_db()  # an unsent message is never pruned; the digest sent it now
