"""Who may do what with agreements, bodies and meetings. Other apps may call these helpers.

Reading: everyone logged in reads agreements and published minutes; draft and checked minutes
only the body's members. Writing: a body's members edit its meetings; the local group's
steering members edit the agreement, its bodies and members; admin may do everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, IntegerField, OuterRef, Value
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from agreements.models import (
    Agreement,
    Assignment,
    Attachment,
    Body,
    BodyMember,
    Invitation,
    LocalGroup,
    Meeting,
    MeetingPaper,
    MinutesChecker,
    Party,
    PlanItem,
    Revision,
    Signatory,
)
from bus_portal.access import get_for_user
from bus_portal.models import User
from bus_portal.roles import STEERING_ROLES, Role

#: Who a helper may be asked about: ``request.user``, logged in or not.
AnyUser = AbstractBaseUser | AnonymousUser

# The user's body memberships are read once per request and kept on the user object, which lives
# as long as the request.
_BODY_MEMBERSHIPS = "_agreements_body_memberships"

# Body roles that make a member of a steering body a steering member of its group.
STEERING_BODY_ROLES = (BodyMember.Role.CHAIR, BodyMember.Role.MEMBER, BodyMember.Role.CONVENOR)


def is_admin(user: AnyUser) -> bool:
    return isinstance(user, User) and (user.is_superuser or user.has_role(Role.ADMIN))


def _body_memberships(user: User) -> list[tuple[int, str, str, int | None]]:
    """The user's current body memberships as (body, role, body kind, local group).

    One query per request (cached on the user object) answers both ``steering_group_ids`` and
    ``member_body_ids``, which most agreement pages need together.
    """
    cached = getattr(user, _BODY_MEMBERSHIPS, None)
    if cached is None:
        cached = list(
            BodyMember.objects.valid_on()
            .filter(user=user)
            .values_list("body_id", "role", "body__kind", "body__agreement__local_group_id")
        )
        setattr(user, _BODY_MEMBERSHIPS, cached)
    return cached


def steering_group_ids(user: AnyUser) -> frozenset[int]:
    """Local groups where the user sits in the steering group (by role or by body membership)."""
    if not isinstance(user, User):
        return frozenset()
    by_role = {
        m.local_group_id
        for m in user.active_memberships
        if m.role in STEERING_ROLES and m.local_group_id
    }
    by_body = {
        group_id
        for _body_id, role, kind, group_id in _body_memberships(user)
        if role in STEERING_BODY_ROLES and kind in Body.STEERING_KINDS and group_id is not None
    }
    return frozenset(by_role | by_body)


def is_steering_member(user: AnyUser, local_group: LocalGroup | int) -> bool:
    """Is this user a steering member (chair or member) of local group G?"""
    group_id = local_group if isinstance(local_group, int) else local_group.pk
    return group_id in steering_group_ids(user)


def member_body_ids(user: AnyUser) -> frozenset[int]:
    """Bodies where the user is a current member (any role)."""
    if not isinstance(user, User):
        return frozenset()
    return frozenset(body_id for body_id, *_rest in _body_memberships(user))


def is_member_expression(user: AnyUser, body_ref: str = "pk") -> Exists | Value:
    """Whether the user is a current member of the body, in SQL: annotate bodies (or meetings)."""
    if not isinstance(user, User):
        return Value(False)
    return Exists(BodyMember.objects.valid_on().filter(user=user.pk, body=OuterRef(body_ref)))


def is_body_member(user: AnyUser, body: Body | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return body_id in member_body_ids(user)


def can_edit_agreement(agreement: Agreement, user: AnyUser) -> bool:
    """Steering members of the group edit its agreement; the county agreement is the secretariat's."""
    if is_admin(user):
        return True
    if agreement.is_county:
        return isinstance(user, User) and user.has_role(Role.SECRETARIAT)
    return agreement.local_group_id is not None and is_steering_member(
        user, agreement.local_group_id
    )


def can_edit_body(body: Body, user: AnyUser) -> bool:
    return can_edit_agreement(body.agreement, user)


def can_edit_meetings(body: Body, user: AnyUser) -> bool:
    """Members of a body log and edit its meetings."""
    return is_admin(user) or is_body_member(user, body)


def can_edit_meeting(meeting: Meeting, user: AnyUser) -> bool:
    if getattr(meeting, "viewer_id", None) == user.pk:
        # Fetched by get_meeting_for_user for this user: membership came with the row.
        return is_admin(user) or meeting.viewer_is_member
    return can_edit_meetings(meeting.body, user)


#: Body roles that lead a meeting: send its notice, appoint the justerare, cancel it.
LEADING_ROLES = (BodyMember.Role.CHAIR, BodyMember.Role.CONVENOR, BodyMember.Role.SECRETARY)


def can_lead_meeting(meeting: Meeting, user: AnyUser) -> bool:
    """The chair, convenor or secretary of the body (or of this meeting), and admin."""
    if is_admin(user):
        return True
    if not isinstance(user, User):
        return False
    if any(
        body_id == meeting.body_id and role in LEADING_ROLES
        for body_id, role, *_rest in _body_memberships(user)
    ):
        return True
    leaders = [m for m in (meeting.chair, meeting.convenor) if m is not None]
    return any(m.user_id == user.pk and m.body_id == meeting.body_id for m in leaders)


def get_meeting_to_lead(request: HttpRequest, pk: int) -> Meeting:
    """A meeting whose notice, justerare or cancellation the user handles (403 for others)."""
    meeting = get_meeting_for_user(request, pk)
    if not can_lead_meeting(meeting, request.user):
        raise PermissionDenied
    return meeting


def users_steering_groups(user: AnyUser) -> list[LocalGroup]:
    return list(LocalGroup.objects.filter(pk__in=steering_group_ids(user)).order_by("name"))


# Scoped lookups: outside the scope → 404, visible without the write right → 403. A row that
# belongs to an agreement (a revision, a party, an attachment …) is looked up by its agreement.


def get_group_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> LocalGroup:
    """A local group; ``write`` (start its agreement): its steering members and admin."""
    return get_for_user(
        request,
        LocalGroup.objects.visible_to(request.user).prefetch_related("areas", "principals"),
        write=write,
        can_write=lambda group, _user: (
            is_admin(request.user) or is_steering_member(request.user, group)
        ),
        pk=pk,
    )


def get_agreement_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Agreement:
    """An agreement with its revisions, parties and signatories; ``write``: 403 unless an editor."""
    return get_for_user(
        request,
        Agreement.objects.visible_to(request.user).with_details(),
        write=write,
        can_write=lambda agreement, _user: can_edit_agreement(agreement, request.user),
        pk=pk,
    )


def get_body_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Body:
    """A body under an agreement; ``write``: 403 unless the user edits the agreement."""
    return get_for_user(
        request,
        Body.objects.visible_to(request.user).select_related("agreement__local_group", "parent"),
        write=write,
        can_write=lambda body, _user: can_edit_body(body, request.user),
        pk=pk,
    )


def get_body_for_meetings(request: HttpRequest, pk: int) -> Body:
    """A body whose meetings the user is about to log: members only (403 for other readers)."""
    return get_for_user(
        request,
        Body.objects.visible_to(request.user).select_related("agreement__local_group"),
        write=True,
        can_write=lambda body, _user: can_edit_meetings(body, request.user),
        pk=pk,
    )


def get_meeting_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Meeting:
    """A meeting the user may read (drafts: members only); ``write``: 403 unless a member."""
    user = request.user
    meetings = Meeting.objects.visible_to(user)
    if isinstance(user, User):
        # Whether the user may edit comes with the row (see can_edit_meeting): no second query.
        meetings = meetings.annotate(
            viewer_id=Value(user.pk, output_field=IntegerField()),
            viewer_is_member=is_member_expression(user, "body"),
        )
    return get_for_user(
        request,
        meetings.select_related(
            "body__agreement__local_group",
            "host_principal",
            "chair__unit__principal",
            "convenor__unit__principal",
            "published_by",
            "withdrawn_by",
        ),
        write=write,
        can_write=lambda meeting, _user: can_edit_meeting(meeting, user),
        pk=pk,
    )


def get_revision_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Revision:
    """A revision, taken from its agreement's prefetched revisions (parties and signatories come
    with it); access follows the agreement."""
    found = get_object_or_404(Revision.objects.only("agreement_id"), pk=pk)
    agreement = get_agreement_for_user(request, found.agreement_id, write=write)
    for revision in agreement.revisions.all():
        if revision.pk == found.pk:
            revision.agreement = agreement
            return revision
    raise Http404


def get_party_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Party:
    """A party, taken from its agreement's prefetched revisions (with the revision's other
    parties and signatories, which its guards read); access follows the agreement."""
    found = get_object_or_404(Party.objects.select_related("revision"), pk=pk)
    revision = get_revision_for_user(request, found.revision_id, write=write)
    for party in revision.parties.all():
        if party.pk == found.pk:
            party.revision = revision
            return party
    raise Http404


def get_signatory_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Signatory:
    """A signatory with its party and revision (prefetched as ``get_party_for_user``)."""
    found = get_object_or_404(Signatory.objects.only("party_id"), pk=pk)
    party = get_party_for_user(request, found.party_id, write=write)
    for signatory in party.signatories.all():
        if signatory.pk == found.pk:
            signatory.party = party
            return signatory
    raise Http404


def get_attachment_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Attachment:
    """An attachment; access follows its agreement (``write``: the agreement's editors)."""
    attachment = get_object_or_404(Attachment.objects.select_related("revision"), pk=pk)
    attachment.agreement = get_agreement_for_user(request, attachment.agreement_id, write=write)
    return attachment


def get_plan_item_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> PlanItem:
    """An item of an agreement's BUS plan; access follows the agreement."""
    item = get_object_or_404(PlanItem.objects.select_related("meeting__body"), pk=pk)
    item.agreement = get_agreement_for_user(request, item.agreement_id, write=write)
    return item


def get_member_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> BodyMember:
    """A body member; access follows the body (its agreement's editors change members)."""
    member = get_object_or_404(BodyMember, pk=pk)
    member.body = get_body_for_user(request, member.body_id, write=write)
    return member


def _own_row(request: HttpRequest, meeting_pk: int, model: type[Any]) -> Any:
    """The user's own row of a meeting (their invitation, their appointment as justerare): 404
    if the meeting is hidden from them, 403 if they have none (nobody acts for another)."""
    meeting = get_meeting_for_user(request, meeting_pk)
    row = (
        model.objects.filter(meeting=meeting, member__user=request.user.pk)
        .select_related("member")
        .first()
    )
    if row is None:
        raise PermissionDenied
    row.meeting = meeting
    return row


def get_invitation_for_user(request: HttpRequest, meeting_pk: int) -> Invitation:
    """The user's own invitation to a meeting (a reply is only ever one's own)."""
    return _own_row(request, meeting_pk, Invitation)


def get_checker_for_user(request: HttpRequest, meeting_pk: int) -> MinutesChecker:
    """The user's own appointment as justerare of a meeting."""
    return _own_row(request, meeting_pk, MinutesChecker)


def get_paper_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> MeetingPaper:
    """A meeting's paper; access follows the meeting (drafts: the body's members; ``write``:
    those who may edit the meeting)."""
    paper = get_object_or_404(MeetingPaper, pk=pk)
    paper.meeting = get_meeting_for_user(request, paper.meeting_id, write=write)
    return paper


def get_assignment_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Assignment:
    """An assignment whose meeting the user may read; ``write``: members of either body (the one
    that gave it or the one it went to)."""
    assignment = get_object_or_404(Assignment.objects.select_related("meeting", "body"), pk=pk)
    meeting = get_meeting_for_user(request, assignment.meeting_id)
    if write and not (
        can_edit_meetings(assignment.body, request.user)
        or can_edit_meetings(meeting.body, request.user)
    ):
        raise PermissionDenied
    return assignment
