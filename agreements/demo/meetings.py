"""Demo of working together on Täby's working group meetings: a coming meeting whose notice went
out (the chair and members have replies to give) and last meeting's draft minutes with an
appointed justerare who has something to check. Idempotent: run again, it adds nothing."""

from __future__ import annotations

import datetime
import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from agreements import services
from agreements.models import (
    AgendaItem,
    Body,
    BodyMember,
    Meeting,
    MeetingPaper,
    MinutesChecker,
    MinutesStatus,
    Principal,
)
from bus_portal.documents import render_pdf


def seed_meeting_work(today: datetime.date) -> None:
    working = Body.objects.filter(agreement__local_group__name="Täby", name="Arbetsgrupp").first()
    if working is None:
        return
    chair_user = get_user_model().objects.filter(username="chair").first()
    members = {
        m.user.username: m for m in working.members.exclude(user=None).select_related("user")
    }
    if chair_user is None or "chair" not in members or "chief" not in members:
        return
    _appoint_checker(working, members["chief"], chair_user, today)
    _coming_meeting(working, members["chair"], chair_user, today)


def _appoint_checker(working: Body, checker: BodyMember, chair_user, today) -> None:
    """The latest held meeting with draft minutes gets the chief as its justerare."""
    draft = (
        Meeting.objects.filter(body=working, minutes_status=MinutesStatus.DRAFT, held_on__lt=today)
        .exclude(minutes="")
        .order_by("-held_on", "-id")
        .first()
    )
    if draft is not None and not draft.checkers.exists():
        MinutesChecker.objects.create(meeting=draft, member=checker, appointed_by=chair_user)


def _coming_meeting(working: Body, chair: BodyMember, chair_user, today) -> None:
    if Meeting.objects.planned(today).filter(body=working).exclude(notice_sent_at=None).exists():
        return
    held_on = today + datetime.timedelta(days=10)
    meeting = Meeting.objects.create(
        body=working,
        held_on=held_on,
        starts_at=datetime.time(13, 0),
        ends_at=datetime.time(15, 0),
        place="Täby kommunhus, rum Ensta",
        host_principal=Principal.objects.get(name="Täby kommun"),
        chair=chair,
        convenor=chair,
        created_by=chair_user,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=i, title=title)
        for i, title in enumerate(
            [
                "Mötets öppnande och val av justerare",
                "Föregående minnesanteckningar",
                "Avvikelserutinen: slutligt förslag",
                "Övriga frågor",
            ],
            start=1,
        )
    )
    services.carry_in(meeting)
    title = "Förslag till avvikelserutin"
    paper = render_pdf(
        "agreements/pdf/demo_paper.html",
        {
            "title": title,
            "text": "Arbetsgruppens förslag till rutin för avvikelser i samverkan (demo).",
        },
        filename=title,
    )
    MeetingPaper.objects.create(
        meeting=meeting,
        title=title,
        file=ContentFile(paper.content, name=f"{uuid.uuid4().hex}.pdf"),
        content_type="application/pdf",
        uploaded_by=chair_user,
    )
    services.send_notice(meeting=meeting, user=chair_user)
