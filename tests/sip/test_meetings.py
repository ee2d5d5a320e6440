"""SIP meetings and confirmations: invitations, replies, confirmations under one's own login, the
family's agreement, reminders, the inbox, the e-mails over real SMTP and the letter PDF."""

from __future__ import annotations

import datetime
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Membership, Unit
from bus_portal.audit import events_for
from bus_portal.inbox import items_for
from bus_portal.models import OutboundMessage
from bus_portal.roles import Role
from sip import confirmation_services, meeting_services, reminders
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.meeting_services import Invitees
from sip.models import (
    InvitationReply,
    MeetingInvitation,
    Plan,
    PlanParticipant,
    SignOff,
    SipMeeting,
    SipReminder,
)
from sip.services import SipError
from tests.conftest import client_for, demo_user
from tests.sip.factories import MeasureFactory
from tests.submissions import once

pytestmark = pytest.mark.django_db


def _plan(number: str = DRAFT_CHILD) -> Plan:
    return Plan.objects.get(child__personal_number=number)


def _school() -> Unit:
    return Unit.objects.get(principal__name="Täby kommun", name="Grundskola")


def _school_user(email: str = "rektor@skola.example"):
    user = demo_user("officer").__class__.objects.create_user(
        username="rektor", first_name="Rut", last_name="Rektor", email=email
    )
    Membership.objects.create(user=user, unit=_school(), role=Role.CASE_OFFICER)
    return user.__class__.objects.get(pk=user.pk)


def _when(days: int = 3, hour: int = 10) -> tuple[datetime.datetime, datetime.datetime]:
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    return start, start + datetime.timedelta(hours=1)


def _convene(plan: Plan | None = None, **invitees) -> SipMeeting:
    starts, ends = _when()
    meeting, _notified = meeting_services.convene_meeting(
        plan=plan or _plan(),
        user=demo_user("officer"),
        starts_at=starts,
        ends_at=ends,
        place="Kommunhuset, rum 3",
        video_link="",
        invitees=Invitees(**invitees),
    )
    return meeting


# -- invitations --------------------------------------------------------------------------------


def test_the_demo_gives_officer2_an_invitation_and_a_confirmation_to_do():
    titles = {item.title for item in items_for(demo_user("officer2"))}
    assert "Svara på kallelsen till ett SIP-möte" in titles
    assert "Bekräfta din enhets deltagande i en fastställd SIP" in titles
    # The items name the plan by number, never the child.
    child = _plan().child
    for item in items_for(demo_user("officer2")):
        assert child.last_name not in f"{item.title} {item.detail}"


def test_a_meeting_in_the_past_sends_no_invitation():
    start = timezone.now() - datetime.timedelta(hours=1)
    with pytest.raises(SipError):
        meeting_services.convene_meeting(
            plan=_plan(),
            user=demo_user("officer"),
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            place="Rum 1",
            video_link="",
            invitees=Invitees(users=[demo_user("officer2")]),
        )
    # A meeting whose time has passed cannot invite more people either.
    meeting = _convene(users=[demo_user("officer2")])
    SipMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    meeting.refresh_from_db()
    with pytest.raises(SipError):
        meeting_services.change_meeting(
            meeting=meeting,
            user=demo_user("officer"),
            expected_version=meeting.lock_version,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            place=meeting.place,
            video_link="",
            invitees=Invitees(units=[_school()]),
        )
    assert not meeting.invitations.filter(unit=_school()).exists()


def test_the_form_refuses_a_past_time_and_an_invalid_external_address(officer_client):
    plan = _plan()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = officer_client.post(
        reverse("sip:meeting_create", kwargs={"pk": plan.pk}),
        once(
            {
                "date": str(yesterday),
                "starts": "10:00",
                "ends": "11:00",
                "place": "Rum 1",
                "externals": "Eva Extern, eva@exempel.se\nFel Adress, inte-en-adress",
            }
        ),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "date" in errors and "externals" in errors
    assert "rad 2" in " ".join(errors["externals"])
    assert not plan.meetings.filter(starts_at__date=yesterday).exists()


def test_an_invited_user_without_an_e_mail_address_is_named_and_still_invited(officer_client):
    officer2 = demo_user("officer2")
    officer2.email = ""
    officer2.save(update_fields=["email"])
    before = OutboundMessage.objects.count()
    plan = _plan(AGREED_CHILD)
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = officer_client.post(
        reverse("sip:meeting_create", kwargs={"pk": plan.pk}),
        once(
            {
                "date": str(day),
                "starts": "09:00",
                "ends": "10:00",
                "video_link": "https://mote.example/sip",
                "users": [str(officer2.pk)],
            }
        ),
        follow=True,
    )
    assert "Ingen e-postadress i portalen för: Jonas Vikander" in response.content.decode()
    invitation = MeetingInvitation.objects.get(meeting__plan=plan, user=officer2)
    assert invitation.notified_at is not None
    assert OutboundMessage.objects.count() == before  # nothing stored for the invitation
    assert any(i.url.endswith(f"/kallelse/{invitation.pk}/") for i in items_for(officer2))


def test_replies_second_replaces_first_with_a_trail_and_decline_needs_reason():
    school_user = _school_user()
    meeting = _convene(units=[_school()], users=[demo_user("officer2")])
    invitation = meeting.invitations.get(kind="unit")
    with pytest.raises(SipError):
        meeting_services.answer_invitation(
            invitation=invitation, user=school_user, answer="declined", reason="  "
        )
    with pytest.raises(SipError):  # not invited
        meeting_services.answer_invitation(
            invitation=invitation, user=demo_user("officer2"), answer="accepted", reason=""
        )
    meeting_services.answer_invitation(
        invitation=invitation, user=school_user, answer="accepted", reason=""
    )
    meeting_services.answer_invitation(
        invitation=invitation,
        user=school_user,
        answer="declined",
        reason="Krock med nationella prov",
    )
    invitation.refresh_from_db()
    assert (invitation.answer, invitation.reason) == ("declined", "Krock med nationella prov")
    assert list(
        InvitationReply.objects.filter(invitation=invitation).values_list("answer", flat=True)
    ) == [
        "accepted",
        "declined",
    ]
    events = events_for(meeting.plan).filter(purpose=Purpose.INVITATION_ANSWERED)
    assert [e.changes["answer"] for e in events.order_by("id")] == [
        ["", "accepted"],
        ["accepted", "declined"],
    ]
    # The initiator sees the decline and the pre-filled, de-identified deviation link.
    page = client_for("officer").get(reverse("sip:plan_detail", kwargs={"pk": meeting.plan_id}))
    html = page.content.decode()
    assert "Krock med nationella prov" in html
    date = f"{timezone.localtime(meeting.starts_at):%Y-%m-%d}"
    link = (
        f"{reverse('deviations:create')}?prefill=sip_declined&amp;occurred_on={date}"
        f"&amp;counterpart_unit={_school().pk}"
    )
    assert link in html
    assert meeting.plan.child.last_name not in link


def test_someone_not_invited_gets_404_on_the_reply_page():
    meeting = _convene(users=[demo_user("officer2")])
    invitation = meeting.invitations.get()
    url = reverse(
        "sip:invitation_reply", kwargs={"pk": meeting.plan_id, "invitation": invitation.pk}
    )
    assert client_for("officer").post(url, {"answer": "accepted"}).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("chair").get(url).status_code == 403
    response = client_for("officer2").post(url, {"answer": "accepted"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.answer == "accepted"
    # Answered: gone from the inbox.
    assert not any(i.url == url for i in items_for(demo_user("officer2")))


def test_a_changed_time_asks_again_and_cancelling_notifies(smtp_server):
    officer2 = demo_user("officer2")
    meeting = _convene(users=[officer2], externals=[("Eva Extern", "eva@exempel.se")])
    invitation = meeting.invitations.get(kind="user")
    meeting_services.answer_invitation(
        invitation=invitation, user=officer2, answer="accepted", reason=""
    )
    starts, ends = _when(days=4, hour=14)
    meeting_services.change_meeting(
        meeting=meeting,
        user=demo_user("officer"),
        expected_version=meeting.lock_version,
        starts_at=starts,
        ends_at=ends,
        place=meeting.place,
        video_link="",
        invitees=Invitees(),
    )
    invitation.refresh_from_db()
    assert invitation.answer == ""  # the answer was for the old time
    meeting.refresh_from_db()
    meeting_services.cancel_meeting(meeting=meeting, user=demo_user("officer"))
    messages = smtp_server.wait_for(6)
    to_eva = smtp_server.to("eva@exempel.se")
    methods = [smtp_server.calendar(m).get("METHOD") for m in to_eva]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    events = [smtp_server.calendar(m).walk("VEVENT")[0] for m in to_eva]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert events[1].decoded("DTSTART") == starts
    # External persons get time and place only: no plan number, no link into the portal.
    eva_text = smtp_server.text(to_eva[0])
    assert "Kommunhuset, rum 3" in eva_text and meeting.plan.number not in eva_text
    assert "/sip/" not in eva_text
    to_officer2 = smtp_server.to(officer2.email)
    assert f"/sip/{meeting.plan_id}/kallelse/{invitation.pk}/" in smtp_server.text(to_officer2[0])
    child = meeting.plan.child
    for message in messages:
        text = f"{message['Subject']} {smtp_server.text(message)} {message.as_string()}"
        assert child.last_name not in text and child.first_name not in text
        assert child.personal_number not in text and child.formatted_number not in text


# -- confirmations ------------------------------------------------------------------------------


def test_each_unit_confirms_under_its_own_login_and_late_confirmations_work():
    plan = _plan(AGREED_CHILD)
    version = confirmation_services.confirmable_version(plan)
    rows = {r.participant.unit_id: r for r in confirmation_services.confirmation_rows(version)}
    bup = Unit.objects.get(name="BUP Täby öppenvård")
    assert rows[plan.owner_unit_id].signoff is not None  # the officer's own unit at agreement
    assert rows[bup.pk].signoff is None
    # The officer cannot confirm BUP's participation.
    with pytest.raises(SipError):
        confirmation_services.confirm_participation(plan=plan, user=demo_user("officer"))
    page = client_for("officer2").get(reverse("sip:plan_confirm", kwargs={"pk": plan.pk}))
    assert page.status_code == 200 and "inte bekräftat" in page.content.decode()
    response = client_for("officer2").post(reverse("sip:plan_confirm", kwargs={"pk": plan.pk}))
    assert response.status_code == 302
    signoff = SignOff.objects.get(version=version, participant__unit=bup)
    assert (signoff.recorded_by, signoff.method) == (demo_user("officer2"), SignOff.Method.LOGIN)
    assert not any(
        i.url == reverse("sip:plan_confirm", kwargs={"pk": plan.pk})
        for i in items_for(demo_user("officer2"))
    )
    event = events_for(plan).filter(purpose=Purpose.VERSION_CONFIRMED).get()
    assert event.actor == demo_user("officer2")
    # A second confirmation has nothing left to confirm.
    with pytest.raises(SipError):
        confirmation_services.confirm_participation(plan=plan, user=demo_user("officer2"))


def test_the_family_agreement_is_recorded_with_how_it_was_given(officer_client):
    plan = _plan(AGREED_CHILD)
    family = plan.participants.get(kind=PlanParticipant.Kind.FAMILY)
    url = reverse("sip:family_agreement", kwargs={"pk": plan.pk})
    # A document needs a file, and the file is checked by its content.
    fake = SimpleUploadedFile("avtal.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = officer_client.post(
        url, {"participant": family.pk, "method": "document", "document": fake}
    )
    assert response.status_code == 200 and "document" in response.context["form"].errors
    pdf = SimpleUploadedFile("avtal.pdf", b"%PDF-1.4 ok", content_type="application/pdf")
    response = officer_client.post(
        url, {"participant": family.pk, "method": "document", "document": pdf}
    )
    assert response.status_code == 302
    signoff = SignOff.objects.get(participant=family)
    assert signoff.method == SignOff.Method.DOCUMENT and signoff.document_type == "application/pdf"
    # A unit cannot be recorded by the officer.
    bup = plan.participants.get(unit__name="BUP Täby öppenvård")
    with pytest.raises(SipError):
        confirmation_services.record_family_agreement(
            plan=plan, user=demo_user("officer"), participant=bup, method="paper"
        )
    html = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert "Uppladdat dokument" in html and "Inte ännu" in html


def test_a_revised_version_asks_everyone_again(officer_client):
    plan = _plan(AGREED_CHILD)
    confirmation_services.confirm_participation(plan=plan, user=demo_user("officer2"))
    from sip import services

    services.start_revision(plan=plan, user=demo_user("officer"))
    plan.refresh_from_db()
    version = services.agree_plan(
        plan=plan, user=demo_user("officer"), meeting_on=timezone.localdate()
    )
    assert confirmation_services.confirmable_version(plan) == version
    pending = {r.participant.unit_id for r in confirmation_services.pending_requests(version)}
    assert Unit.objects.get(name="BUP Täby öppenvård").pk in pending
    assert plan.owner_unit_id not in pending


# -- reminders ----------------------------------------------------------------------------------


def test_reminders_are_sent_once_before_a_measure_ends_and_before_the_follow_up(smtp_server):
    officer2 = demo_user("officer2")
    officer2.email_digest = False
    officer2.save(update_fields=["email_digest"])
    plan = _plan(AGREED_CHILD)
    MeasureFactory(
        plan=plan,
        responsible_user=officer2,
        ends_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    first = reminders.send_reminders()
    assert first >= 2
    assert reminders.send_reminders() == 0  # idempotent
    kinds = set(SipReminder.objects.filter(plan=plan).values_list("kind", "user__username"))
    assert kinds == {("measure_ends", "officer2"), ("follow_up", "officer")}
    assert any("avslutas" in i.title for i in items_for(officer2))
    messages = smtp_server.wait_for(1)
    text = smtp_server.text(smtp_server.to(officer2.email)[0])
    assert plan.number in text and plan.child.last_name not in text
    assert messages


# -- the letter ---------------------------------------------------------------------------------


def test_the_invitation_letter_is_a_tagged_pdf_in_plain_swedish(officer_client, tmp_path):
    plan = _plan()
    meeting = plan.meetings.first()
    response = officer_client.get(
        reverse("sip:meeting_letter", kwargs={"pk": plan.pk, "meeting": meeting.pk})
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    path = tmp_path / "letter.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info and "Kallelse till SIP-möte" in info
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Välkommen till ett möte om din plan" in text
    assert "Alva Lindqvist" in text and "Täby kommunhus" in text
    event = events_for(plan).filter(purpose=Purpose.MEETING_LETTER_PDF).get()
    assert event.changes == {"meeting": meeting.pk}
