"""The user's open SIP actions for the portal's one "Att göra" list (``bus_portal.inbox``):
invitations to answer, agreed versions to confirm, the family's agreement to record, measures
ending and follow-ups due. One query per kind; items name the plan by number, never the child."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.inbox import InboxItem
from bus_portal.models import User
from bus_portal.roles import SIP_ROLES, Role
from sip.models import ConfirmationRequest, MeetingInvitation, Plan, PlanVersion, SignOff
from sip.reminders import follow_ups_due, measures_ending


def _url(name: str, **kwargs: int) -> str:
    return reverse(name, kwargs=kwargs)


def _open_confirmations(**filters: object) -> list[tuple[int, int]]:
    """(plan id, version number) of the latest agreed versions of open plans with a participant
    matching ``filters`` who has not confirmed: one query."""
    latest_agreed = (
        PlanVersion.objects.filter(plan_id=OuterRef("version__plan_id"), kind="agreed")
        .order_by("-number")
        .values("pk")[:1]
    )
    signed = SignOff.objects.filter(
        version_id=OuterRef("version_id"), participant_id=OuterRef("participant_id")
    )
    return list(
        ConfirmationRequest.objects.filter(version_id=Subquery(latest_agreed), **filters)
        .exclude(version__plan__status=Plan.Status.CLOSED)
        .filter(~Exists(signed))
        .values_list("version__plan_id", "version__number")
        .distinct()
        .order_by("version__plan_id")
    )


def items(user: User) -> Iterator[InboxItem]:
    if not user.has_role(*SIP_ROLES):
        return
    now = timezone.now()
    today = timezone.localdate()
    sip = _("SIP")
    invitations = (
        MeetingInvitation.objects.for_user(user)
        .open(now)
        .select_related("meeting")
        .order_by("meeting__starts_at", "id")
    )
    for invitation in invitations:
        meeting = invitation.meeting
        start = timezone.localtime(meeting.starts_at)
        yield InboxItem(
            kind=sip,
            title=_("Answer the invitation to a SIP meeting"),
            url=_url("sip:invitation_reply", pk=meeting.plan_id, invitation=invitation.pk),
            due=start.date(),
            detail=f"SIP-{meeting.plan_id} · {start:%Y-%m-%d %H.%M}",
        )
    units = list(user.unit_ids_with_role(*SIP_ROLES))
    for plan_id, number in _open_confirmations(participant__unit_id__in=units):
        yield InboxItem(
            kind=sip,
            title=_("Confirm your unit's participation in an agreed SIP"),
            url=_url("sip:plan_confirm", pk=plan_id),
            detail=_("SIP-%(pk)s, version %(n)s") % {"pk": plan_id, "n": number},
        )
    officer_units = list(user.unit_ids_with_role(Role.CASE_OFFICER))
    if officer_units:
        family = _open_confirmations(
            participant__unit__isnull=True, version__plan__owner_unit_id__in=officer_units
        )
        for plan_id, number in family:
            yield InboxItem(
                kind=sip,
                title=_("Record the family's agreement to an agreed SIP"),
                url=_url("sip:family_agreement", pk=plan_id),
                detail=_("SIP-%(pk)s, version %(n)s") % {"pk": plan_id, "n": number},
            )
    for measure in (
        measures_ending(today)
        .filter(responsible_user=user)
        .order_by("ends_on", "id")
        .only("id", "plan_id", "ends_on")
    ):
        yield InboxItem(
            kind=sip,
            title=_("A measure you are responsible for ends"),
            url=_url("sip:plan_detail", pk=measure.plan_id),
            due=measure.ends_on,
            detail=f"SIP-{measure.plan_id}",
        )
    for plan in follow_ups_due(today).filter(created_by=user).only("id", "next_follow_up_on"):
        yield InboxItem(
            kind=sip,
            title=_("Hold the follow-up of a SIP"),
            url=_url("sip:plan_followup", pk=plan.pk),
            due=plan.next_follow_up_on,
            detail=f"SIP-{plan.pk}",
        )
