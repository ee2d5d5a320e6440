"""Justering in tests: appoint a user as the meeting's justerare and check under their login."""

from __future__ import annotations

from agreements import services
from agreements.models import Meeting, MinutesChecker
from tests.agreements.factories import BodyMemberFactory


def appoint(meeting: Meeting, user) -> MinutesChecker:
    member = BodyMemberFactory(body=meeting.body, user=user, name=user.get_full_name() or "J")
    return MinutesChecker.objects.create(meeting=meeting, member=member)


def check_as(meeting: Meeting, user) -> MinutesChecker:
    """``user`` becomes the only justerare and checks: the minutes are then checked."""
    appoint(meeting, user)
    return services.check_minutes(meeting=meeting, user=user)
