"""Notices with calendar invitations, replies, justering under one's own login, papers, the
assignment owners' notices and reminders, and the inbox items: services, views and real SMTP."""

from __future__ import annotations

import datetime
import os
import subprocess
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.audit import Purpose
from agreements.inbox import items as inbox_items
from agreements.models import (
    AgendaItem,
    Assignment,
    Attendee,
    BodyMember,
    Invitation,
    Meeting,
    MinutesChecker,
    MinutesStatus,
)
from agreements.services import assignment_notices, daily, notices
from bus_portal import audit
from bus_portal.models import OutboundMessage
from tests.agreements.factories import BodyFactory, BodyMemberFactory, MeetingFactory
from tests.agreements.justering import appoint
from tests.conftest import client_for
from tests.submissions import once

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = datetime.timedelta
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def body(chair, chief):
    """A body with the chair (chair), the chief, a member whose login has no e-mail address and
    a member without a login."""
    body = BodyFactory(name="Testgruppen")
    BodyMemberFactory(body=body, user=chair, name="Per Almgren", role=BodyMember.Role.CHAIR)
    BodyMemberFactory(body=body, user=chief, name="Elin Norrby")
    silent = get_user_model().objects.create_user(username="tyst", email="", first_name="Tyst")
    BodyMemberFactory(body=body, user=silent, name="Tyst Ledamot")
    BodyMemberFactory(body=body, name="Extern Ledamot")
    return body


def coming(body, days=5, **fields) -> Meeting:
    meeting = MeetingFactory(
        body=body,
        held_on=TODAY + D(days=days),
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        place="Rum Ensta",
        minutes="",
        chair=body.members.get(role=BodyMember.Role.CHAIR),
        **fields,
    )
    for position, title in enumerate(["Föregående anteckningar", "Avvikelserutinen"], start=1):
        AgendaItem.objects.create(meeting=meeting, position=position, title=title)
    notices.renumber_agenda(meeting)
    return meeting


def member(body, user) -> BodyMember:
    return body.members.get(user=user)


def event_of(message):
    calendar = message and _calendar(message)
    return calendar, calendar.walk("VEVENT")[0]


def _calendar(message):
    from tests.smtp import SmtpServer

    return SmtpServer.calendar(message)


# The notice and its calendar invitation, over real SMTP --------------------------------------


def test_the_notice_reaches_members_by_email_with_a_calendar_request(smtp_server, body, chair):
    meeting = coming(body)
    paper = services.add_paper(
        meeting=meeting,
        title="Förslag till rutin",
        file=SimpleUploadedFile("x.pdf", PDF),
        user=chair,
    )
    result = services.send_notice(meeting=meeting, user=chair)
    assert {m.name for m in result.emailed} == {"Per Almgren", "Elin Norrby"}
    assert {m.name for m in result.not_reached} == {"Tyst Ledamot", "Extern Ledamot"}
    assert meeting.invitations.count() == 4
    assert meeting.invitations.filter(emailed_at__isnull=True).count() == 2

    smtp_server.wait_for(2)
    message = smtp_server.to("chief@demo.bus-portalen.example")[0]
    assert smtp_server.calendar_method(message) == "REQUEST"
    calendar, event = event_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == 0
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Stockholm"
    assert (start.date(), start.hour, start.minute) == (meeting.held_on, 13, 0)
    assert event.decoded("DTEND").hour == 15
    assert str(event["LOCATION"]) == "Rum Ensta"
    assert str(event["ORGANIZER"]) == "mailto:chair@demo.bus-portalen.example"
    attendees = event["ATTENDEE"]
    assert {str(a) for a in attendees} == {
        "mailto:chair@demo.bus-portalen.example",
        "mailto:chief@demo.bus-portalen.example",
    }
    assert all(
        a.params["PARTSTAT"] == "NEEDS-ACTION" and a.params["RSVP"] == "TRUE" for a in attendees
    )
    assert calendar.walk("VTIMEZONE")  # the TZID is defined in the file

    text = smtp_server.text(message)
    assert "§ 1 Föregående anteckningar" in text and "§ 2 Avvikelserutinen" in text
    assert reverse("agreements:meeting_paper", args=[paper.pk]) in text  # linked, not attached
    assert reverse("agreements:meeting_reply", args=[meeting.pk]) in text
    names = [part.get_filename() for part in message.walk() if part.get_filename()]
    assert "kallelse.pdf" in names and "invite.ics" in names
    assert "x.pdf" not in names and "Förslag till rutin" not in names
    assert audit.events_for(meeting).filter(purpose=Purpose.NOTICE_SENT).exists()


def test_a_changed_time_sends_an_update_with_the_same_uid_and_a_higher_sequence(
    smtp_server, body, chair
):
    meeting = coming(body)
    services.send_notice(meeting=meeting, user=chair)
    smtp_server.wait_for(2)
    smtp_server.clear()

    def edit(**changes):
        data = services.MeetingInput(
            held_on=meeting.held_on,
            starts_at=datetime.time(13, 0),
            ends_at=datetime.time(15, 0),
            place="Rum Ensta",
            host_principal=meeting.host_principal,
            chair=meeting.chair,
            agenda=["Föregående anteckningar", "Avvikelserutinen"],
        )
        for name, value in changes.items():
            setattr(data, name, value)
        saved = Meeting.objects.get(pk=meeting.pk)
        return services.update_meeting(
            meeting=saved, data=data, user=chair, expected_version=saved.lock_version
        )

    edit(minutes="Förberedelser.")  # neither time nor place: no update goes out
    assert OutboundMessage.objects.filter(subject__startswith="Uppdaterad").count() == 0
    edit(starts_at=datetime.time(14, 0), ends_at=datetime.time(16, 0), place="Rum Näsby")
    messages = smtp_server.wait_for(2)
    assert len(messages) == 2
    calendar, event = event_of(smtp_server.to("chief@demo.bus-portalen.example")[0])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == meeting.calendar_uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART").hour == 14 and str(event["LOCATION"]) == "Rum Näsby"
    assert audit.events_for(meeting).filter(purpose=Purpose.NOTICE_UPDATED).exists()


def test_a_cancelled_meeting_sends_a_calendar_cancel(smtp_server, body, chair):
    meeting = coming(body)
    services.send_notice(meeting=meeting, user=chair)
    smtp_server.wait_for(2)
    smtp_server.clear()
    services.cancel_meeting(meeting=meeting, reason="Ordföranden är sjuk.", user=chair)
    smtp_server.wait_for(2)
    message = smtp_server.to("chief@demo.bus-portalen.example")[0]
    assert smtp_server.calendar_method(message) == "CANCEL"
    calendar, event = event_of(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == meeting.calendar_uid and int(event["SEQUENCE"]) == 1
    meeting.refresh_from_db()
    assert meeting.is_cancelled and not Meeting.objects.counted().filter(pk=meeting.pk).exists()
    with pytest.raises(services.MinutesError):
        services.send_notice(meeting=meeting, user=chair)
    with pytest.raises(services.MinutesError):
        services.cancel_meeting(meeting=meeting, reason="Igen", user=chair)


def test_a_meeting_in_the_past_or_without_a_time_sends_no_notice(body, chair):
    past = coming(body, days=-1)
    with pytest.raises(services.MinutesError, match="past|passerat|började"):
        services.send_notice(meeting=past, user=chair)
    begun = coming(body, days=0)
    begun.starts_at = datetime.time(0, 0)
    begun.save()
    assert services.missing_for_notice(begun)
    untimed = coming(body)
    untimed.starts_at = untimed.ends_at = None
    untimed.save()
    with pytest.raises(services.MinutesError):
        services.send_notice(meeting=untimed, user=chair)
    assert not Invitation.objects.filter(meeting__in=[past, begun, untimed]).exists()
    sources = [f"agreements.meeting:{m.pk}" for m in (past, begun, untimed)]
    assert not OutboundMessage.objects.filter(source__in=sources).exists()


def test_the_notice_page_lists_who_is_not_reached_and_refuses_a_past_meeting(body, chair):
    client = client_for("chair")
    meeting = coming(body)
    page = client.get(reverse("agreements:meeting_notice", args=[meeting.pk])).content.decode()
    assert "Tyst Ledamot" in page and "Extern Ledamot" in page
    response = client.post(reverse("agreements:meeting_notice", args=[meeting.pk]))
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Tyst Ledamot" in detail  # listed as not reached by e-mail
    past = coming(body, days=-2)
    response = client.post(reverse("agreements:meeting_notice", args=[past.pk]))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    assert not past.invitations.exists()
    # The chief is a member, not a leader: 403.
    assert (
        client_for("chief").get(reverse("agreements:meeting_notice", args=[meeting.pk])).status_code
        == 403
    )


# Replies -------------------------------------------------------------------------------------


def test_a_second_reply_replaces_the_first_with_a_trail_and_fills_the_attendance(
    body, chair, chief
):
    meeting = coming(body)
    # Logged with everyone ticked as present: the notice resets the list to the replies.
    Attendee.objects.create(meeting=meeting, member=member(body, chair))
    Attendee.objects.create(meeting=meeting, guest_name="Eva Gäst")
    services.send_notice(meeting=meeting, user=chair)
    assert [str(a) for a in meeting.attendees.all()] == ["Eva Gäst"]
    invitation = Invitation.objects.get(meeting=meeting, member__user=chief)
    services.reply_to_notice(invitation=invitation, response="attending", user=chief)
    assert Attendee.objects.filter(meeting=meeting, member=member(body, chief)).exists()
    services.reply_to_notice(
        invitation=invitation, response="substitute", substitute_name="Sanna Kjellberg", user=chief
    )
    invitation.refresh_from_db()
    assert (invitation.response, invitation.substitute_name) == ("substitute", "Sanna Kjellberg")
    assert not Attendee.objects.filter(meeting=meeting, member=member(body, chief)).exists()
    assert Attendee.objects.filter(meeting=meeting, guest_name="Sanna Kjellberg").count() == 1
    services.reply_to_notice(invitation=invitation, response="absent", user=chief)
    assert not Attendee.objects.filter(meeting=meeting, guest_name="Sanna Kjellberg").exists()
    trail = list(
        audit.events_for(invitation).order_by("at", "id").values_list("changes", flat=True)
    )
    assert [c["response"] for c in trail] == [
        ["", "attending"],
        ["attending", "substitute"],
        ["substitute", "absent"],
    ]
    with pytest.raises(services.MinutesError):
        services.reply_to_notice(invitation=invitation, response="substitute", user=chief)
    with pytest.raises(services.MinutesError):
        services.reply_to_notice(invitation=invitation, response="maybe", user=chief)
    with pytest.raises(services.MinutesError):  # someone else's invitation
        services.reply_to_notice(invitation=invitation, response="attending", user=chair)


def test_replies_through_the_views_and_who_may_reply(body, chair, chief):
    meeting = coming(body)
    services.send_notice(meeting=meeting, user=chair)
    url = reverse("agreements:meeting_reply", args=[meeting.pk])
    chief_client = client_for("chief")
    response = chief_client.post(url, once({"response": "substitute", "substitute_name": ""}))
    assert response.status_code == 200 and "error-summary" in response.content.decode()
    response = chief_client.post(url, once({"response": "attending"}))
    assert response.status_code == 302
    assert Invitation.objects.get(meeting=meeting, member__user=chief).response == "attending"
    # The attendance list of the edit form comes from the replies.
    edit = chief_client.get(reverse("agreements:meeting_edit", args=[meeting.pk]))
    assert str(member(body, chief).pk) in edit.context["form"].initial["attendees"]
    # Not invited: the admin sees the meeting (403), another organisation's user does not (404).
    assert client_for("admin").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("outsider").post(url, {"response": "attending"}).status_code == 404


# Justering -----------------------------------------------------------------------------------


def held(body, **fields) -> Meeting:
    meeting = coming(body, days=-3)
    meeting.minutes = fields.pop("minutes", "Gruppen gick igenom rutinen.")
    meeting.save()
    return meeting


def test_two_justerare_check_under_their_own_login_then_publishing_notifies(body, chair, chief):
    meeting = held(body)
    with pytest.raises(services.MinutesError):  # three is too many
        services.appoint_checkers(meeting=meeting, members=list(body.members.all()), user=chair)
    with pytest.raises(services.MinutesError, match="inloggning|login"):
        services.appoint_checkers(
            meeting=meeting, members=[body.members.get(name="Extern Ledamot")], user=chair
        )
    services.appoint_checkers(
        meeting=meeting, members=[member(body, chair), member(body, chief)], user=chair
    )
    assert meeting.checkers.count() == 2
    services.check_minutes(meeting=meeting, user=chief)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.DRAFT and not meeting.can_publish()
    with pytest.raises(services.MinutesError):
        services.check_minutes(meeting=meeting, user=chief)  # once is enough
    services.check_minutes(meeting=meeting, user=chair)
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CHECKED and meeting.checked_on == TODAY
    assert all(c.checked_at and c.checked_by_id for c in meeting.checkers.all())
    services.publish_minutes(meeting=meeting, user=chair)
    told = set(
        OutboundMessage.objects.filter(source=f"agreements.meeting:{meeting.pk}").values_list(
            "to_address", flat=True
        )
    )
    assert told == {"chair@demo.bus-portalen.example", "chief@demo.bus-portalen.example"}


def test_an_edit_of_the_minutes_voids_the_checks_made(body, chair, chief):
    meeting = held(body)
    services.appoint_checkers(
        meeting=meeting, members=[member(body, chair), member(body, chief)], user=chair
    )
    services.check_minutes(meeting=meeting, user=chief)
    data = services.MeetingInput(
        held_on=meeting.held_on,
        place=meeting.place,
        host_principal=meeting.host_principal,
        minutes="En ny text.",
        agenda=["Föregående anteckningar", "Avvikelserutinen"],
    )
    version = Meeting.objects.get(pk=meeting.pk).lock_version
    services.update_meeting(meeting=meeting, data=data, user=chair, expected_version=version)
    assert not MinutesChecker.objects.filter(meeting=meeting, checked_at__isnull=False).exists()
    assert audit.events_for(meeting).filter(purpose=Purpose.CHECKS_CLEARED).exists()


def test_the_justerare_checks_through_the_views_others_are_refused(body, chair, chief):
    meeting = held(body)
    chair_client = client_for("chair")
    url = reverse("agreements:meeting_checkers", args=[meeting.pk])
    form = chair_client.get(url).context["form"]
    response = chair_client.post(
        url,
        {
            "checkers": [member(body, chief).pk],
            "lock_version": form.initial["lock_version"],
            "base": form.initial["base"],
        },
    )
    assert response.status_code == 302
    # A stale appointment form (someone appointed meanwhile) is refused with a 409.
    stale = chair_client.post(
        url,
        {
            "checkers": [member(body, chair).pk],
            "lock_version": form.initial["lock_version"],
            "base": form.initial["base"],
        },
    )
    assert stale.status_code == 409
    check = reverse("agreements:meeting_check", args=[meeting.pk])
    assert chair_client.get(check).status_code == 403
    assert client_for("chief").get(check).status_code == 200
    assert client_for("chief").post(check).status_code == 302
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CHECKED
    assert client_for("chief").get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    assert client_for("outsider").get(check).status_code == 404


def test_old_minutes_with_a_typed_justerare_stay_readable(body, chair):
    meeting = held(body)
    Meeting.objects.filter(pk=meeting.pk).update(
        minutes_status=MinutesStatus.CHECKED, checker_name="Anna Äldre", checked_on=TODAY
    )
    page = client_for("chair").get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    assert "Anna Äldre" in page.content.decode()


def test_the_minutes_pdf_has_paragraph_numbers_justerare_and_absent_members(
    body, chair, chief, tmp_path
):
    meeting = held(body)
    Attendee.objects.create(meeting=meeting, member=member(body, chair))
    Invitation.objects.create(meeting=meeting, member=member(body, chief), response="absent")
    MinutesChecker.objects.create(
        meeting=meeting, member=member(body, chief), checked_at=timezone.now(), checked_by=chief
    )
    document = services.export_minutes_pdf(meeting=meeting, user=chair)
    target = tmp_path / "minutes.pdf"
    target.write_bytes(document.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "§ 1 Föregående anteckningar" in text and "§ 2 Avvikelserutinen" in text
    assert "Frånvarande" in text
    absent = text.split("Frånvarande", 1)[1].split("Dagordning", 1)[0]
    assert "Elin Norrby" in absent and "Tyst Ledamot" in absent and "Per Almgren" not in absent
    assert "anmält förhinder" in absent
    assert "Justerare" in text and "justerat med egen inloggning" in text


def test_paragraph_numbers_follow_the_agenda_order_and_stay_when_items_are_carried_in(body):
    meeting = coming(body)
    assert list(meeting.agenda_items.order_by("position").values_list("number", flat=True)) == [
        1,
        2,
    ]
    Assignment.objects.create(meeting=MeetingFactory(body=body), body=body, title="Kartlägg")
    services.carry_in(meeting)
    assert list(
        meeting.agenda_items.order_by("position", "id").values_list("number", flat=True)
    ) == [
        1,
        2,
        3,
    ]


# Assignments and the daily job ---------------------------------------------------------------


def test_owners_are_told_of_new_assignments_and_reminded_once_before_the_due_date(body, chief):
    given = MeetingFactory(body=body)
    data = services.MeetingInput(
        held_on=TODAY - D(days=1),
        place="Rum",
        host_principal=given.host_principal,
        assignments=[
            services.AssignmentInput(
                title="Förtydliga rutinen", body=body, owner_user=chief, due_on=TODAY + D(days=5)
            )
        ],
    )
    meeting = services.create_meeting(body=body, data=data, user=chief)
    assignment = meeting.assignments.get()
    assert assignment.notified_at is not None and assignment.owner == chief.get_full_name()
    assert OutboundMessage.objects.filter(source=assignment.source, recipient=chief).count() == 1
    assert assignment_notices.remind_assignment_owners() == 1
    assert assignment_notices.remind_assignment_owners() == 0  # run twice a day: nothing more
    assert OutboundMessage.objects.filter(source=assignment.source).count() == 2
    Assignment.objects.filter(pk=assignment.pk).update(due_on=TODAY + D(days=6))
    assert assignment_notices.remind_assignment_owners() == 1  # a new due date is reminded again
    assert audit.events_for(assignment).filter(purpose=Purpose.ASSIGNMENT_REMINDED).count() == 2


def test_an_overdue_assignment_goes_on_the_next_agenda_once(body):
    next_meeting = coming(body, days=10)
    overdue = Assignment.objects.create(
        meeting=MeetingFactory(body=body, held_on=TODAY - D(days=60)),
        body=body,
        title="Sammanställ SIP",
        due_on=TODAY - D(days=2),
    )
    assert daily.carry_overdue_assignments() >= 1
    assert daily.carry_overdue_assignments() == 0
    item = next_meeting.agenda_items.get(source=overdue.source)
    assert item.title.startswith("Försenat uppdrag") and item.number == 3


def test_the_daily_job_sends_due_notices_once(body, chair):
    body.notice_days = 7
    body.save()
    soon, later = coming(body, days=5), coming(body, days=20)
    assert notices.send_due_notices() == 1
    assert notices.send_due_notices() == 0
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.notice_sent_at is not None and later.notice_sent_at is None
    assert services.daily_job() >= 0


# The inbox -----------------------------------------------------------------------------------


def test_each_member_sees_exactly_their_items_gone_when_done(
    body, chair, chief, django_assert_max_num_queries
):
    meeting = coming(body)
    services.send_notice(meeting=meeting, user=chair)
    minutes = held(body)
    appoint_members = [member(body, chief)]
    services.appoint_checkers(meeting=minutes, members=appoint_members, user=chair)
    Assignment.objects.create(
        meeting=minutes, body=body, title="Ta fram blankett", owner_user=chief, due_on=TODAY
    )
    with django_assert_max_num_queries(3):
        mine = [(i.kind, i.url) for i in inbox_items(chief)]
    assert ("Möte", reverse("agreements:meeting_reply", args=[meeting.pk])) in mine
    assert ("Minnesanteckningar", reverse("agreements:meeting_check", args=[minutes.pk])) in mine
    assert ("Uppdrag", reverse("agreements:meeting_detail", args=[minutes.pk])) in mine
    chair_items = [i.url for i in inbox_items(chair)]
    assert reverse("agreements:meeting_check", args=[minutes.pk]) not in chair_items
    services.reply_to_notice(
        invitation=Invitation.objects.get(meeting=meeting, member__user=chief),
        response="attending",
        user=chief,
    )
    services.check_minutes(meeting=minutes, user=chief)
    Assignment.objects.filter(owner_user=chief).update(status="done", done_on=TODAY)
    ours = {f"/katalog/moten/{m.pk}/" for m in (meeting, minutes)}
    assert [i for i in inbox_items(chief) if any(i.url.startswith(u) for u in ours)] == []


# Bad input -----------------------------------------------------------------------------------

HOSTILE = ["", " ", "x" * 100_000, "9" * 40, "-1", "\x00", "😀" * 300, "<script>", "2026-02-30"]


@pytest.mark.parametrize(
    "view", ["reply", "checkers", "cancel", "paper", "notice", "check", "paper_remove"]
)
def test_hostile_input_never_breaks_the_new_forms(body, chair, chief, view):
    meeting = coming(body)
    paper = services.add_paper(
        meeting=meeting, title="Underlag", file=SimpleUploadedFile("u.pdf", PDF), user=chair
    )
    services.send_notice(meeting=meeting, user=chair)
    minutes = held(body)
    appoint(minutes, chief)
    urls = {
        "reply": ("chief", reverse("agreements:meeting_reply", args=[meeting.pk])),
        "checkers": ("chair", reverse("agreements:meeting_checkers", args=[minutes.pk])),
        "cancel": ("chair", reverse("agreements:meeting_cancel", args=[meeting.pk])),
        "paper": ("chair", reverse("agreements:paper_create", args=[meeting.pk])),
        "notice": ("chair", reverse("agreements:meeting_notice", args=[meeting.pk])),
        "check": ("chief", reverse("agreements:meeting_check", args=[minutes.pk])),
        "paper_remove": ("chair", reverse("agreements:paper_remove", args=[paper.pk])),
    }
    username, url = urls[view]
    client = client_for(username)
    fields = ["response", "substitute_name", "checkers", "lock_version", "base", "reason"]
    fields += ["title", "file", "submission_token"]
    for value in HOSTILE:
        response = client.post(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, (view, value[:20], response.status_code)


def test_an_upload_that_is_not_a_paper_is_refused(body, chair):
    meeting = coming(body)
    response = client_for("chair").post(
        reverse("agreements:paper_create", args=[meeting.pk]),
        once({"title": "Skript", "file": SimpleUploadedFile("x.pdf", b"#!/bin/sh\nrm -rf /\n")}),
    )
    assert response.status_code == 200 and not meeting.papers.exists()


def test_papers_are_read_by_logging_in_and_audited(body, chair):
    meeting = coming(body)
    paper = services.add_paper(
        meeting=meeting, title="Underlag", file=SimpleUploadedFile("u.pdf", PDF), user=chair
    )
    url = reverse("agreements:meeting_paper", args=[paper.pk])
    response = client_for("chair").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert audit.events_for(paper).filter(purpose=Purpose.PAPER_DOWNLOADED).exists()
    from django.test import Client

    assert Client().get(url).status_code == 302  # login first


def test_a_paper_added_by_mistake_is_removed_with_a_trail(
    body, chair, chief, django_capture_on_commit_callbacks
):
    meeting = coming(body)
    keep = services.add_paper(
        meeting=meeting,
        title="Förslag till rutin",
        file=SimpleUploadedFile("a.pdf", PDF),
        user=chair,
    )
    wrong = services.add_paper(
        meeting=meeting, title="Fel fil", file=SimpleUploadedFile("b.pdf", PDF), user=chair
    )
    stored = wrong.file.name
    storage = wrong.file.storage
    url = reverse("agreements:paper_remove", args=[wrong.pk])
    chair_client = client_for("chair")
    page = chair_client.get(reverse("agreements:meeting_detail", args=[meeting.pk])).content
    assert url in page.decode()
    # A reason is required; the form comes back with the error and the paper stays.
    refused = chair_client.post(url, {"reason": " "})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    assert storage.exists(stored)

    with django_capture_on_commit_callbacks(execute=True):
        done = chair_client.post(url, {"reason": "Fel version uppladdad."})

    assert done.status_code == 302 and done["Location"].endswith("#papers")
    wrong.refresh_from_db()
    assert wrong.is_removed and wrong.removed_by == chair and not wrong.file
    assert not storage.exists(stored)
    row = audit.events_for(wrong).get(purpose=Purpose.PAPER_REMOVED)
    assert row.changes == {
        "title": ["Fel fil", ""],
        "removal_reason": ["", "Fel version uppladdad."],
    }
    # The meeting's page keeps the trail; the download is gone; the notice lists the rest only.
    text = client_for("chief").get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    body_text = text.content.decode()
    assert "Borttagna handlingar" in body_text and "Fel version uppladdad." in body_text
    assert reverse("agreements:meeting_paper", args=[wrong.pk]) not in body_text
    assert (
        client_for("chief").get(reverse("agreements:meeting_paper", args=[wrong.pk])).status_code
        == 404
    )
    result = services.send_notice(meeting=meeting, user=chair)
    assert result.emailed
    mail = OutboundMessage.objects.filter(source=f"agreements.meeting:{meeting.pk}").latest("pk")
    assert "Förslag till rutin" in mail.body and "Fel fil" not in mail.body
    assert keep.file.storage.exists(keep.file.name)
    # Removing twice: the second time says so and changes nothing.
    again = chair_client.post(url, {"reason": "Igen."}, follow=True)
    assert "redan borttagen" in again.content.decode()
    with pytest.raises(services.MinutesError):
        services.remove_paper(paper=wrong, reason="Igen.", user=chair)


def test_only_those_who_edit_the_meeting_remove_its_papers(body, chair):
    meeting = coming(body)
    paper = services.add_paper(
        meeting=meeting, title="Underlag", file=SimpleUploadedFile("u.pdf", PDF), user=chair
    )
    url = reverse("agreements:paper_remove", args=[paper.pk])
    assert client_for("secretariat").post(url, {"reason": "Nej."}).status_code in (403, 404)
    paper.refresh_from_db()
    assert not paper.is_removed


# PostgreSQL: two justerare at the same moment --------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time; the sequential tests above cover it there",
)
def test_two_justerare_checking_at_once_check_the_minutes_exactly_once(demo_county):
    from tests.conftest import demo_user

    chair, chief = demo_user("chair"), demo_user("chief")
    body = BodyFactory()
    for user in (chair, chief):
        BodyMemberFactory(body=body, user=user, name=user.get_full_name())
    meeting = MeetingFactory(body=body, held_on=TODAY - D(days=2))
    for user in (chair, chief):
        MinutesChecker.objects.create(meeting=meeting, member=member(body, user))
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def check(user):
        try:
            barrier.wait()
            services.check_minutes(meeting=meeting, user=user)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=check, args=(u,)) for u in (chair, chief)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    meeting.refresh_from_db()
    assert meeting.minutes_status == MinutesStatus.CHECKED
    assert (
        audit.events_for(meeting).filter(purpose=Purpose.MINUTES_CHECKED).count() == 1
    )  # the step to "checked" happened once


def test_the_notice_pdf_has_the_agenda_with_paragraph_numbers_and_the_papers(body, chair):
    meeting = coming(body)
    services.add_paper(
        meeting=meeting,
        title="Förslag till rutin",
        file=SimpleUploadedFile("x.pdf", PDF),
        user=chair,
    )
    response = client_for("chief").get(reverse("agreements:meeting_notice_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    os.makedirs("/tmp/shots/full_b", exist_ok=True)
    with open("/tmp/shots/full_b/notice.pdf", "wb") as target:
        target.write(content)
    text = subprocess.run(
        ["pdftotext", "-layout", "/tmp/shots/full_b/notice.pdf", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Kallelse: Testgruppen" in text
    assert "§ 1 Föregående anteckningar" in text and "§ 2 Avvikelserutinen" in text
    assert "13:00–15:00" in text and "Förslag till rutin" in text
    assert audit.events_for(meeting).filter(purpose=Purpose.NOTICE_PDF).exists()
