"""Scoped lookups for plans, forum cases and consents, the consent gate, and audit subjects.

Outside the user's units a plan or case answers 404; a participating unit without valid consent
gets the "no valid consent" page (403) and none of the content.

Loading: plain Django ORM, in a number of queries fixed by the page, never by the data.

* What a page shows of a single related row (the child, units and their principals, the local
  group's deadlines) is joined into the parent's query with ``select_related``.
* Each kind of related rows (participants, measures, guardians, consents and the principals they
  name, a version's sign-offs and evaluations) is read by ``prefetch_related`` in one query for all
  the parents, through a ``Prefetch`` whose queryset orders the rows as the pages list them and
  joins what each row shows. A plan's page pays one query per kind; the SIP list pays four for a
  whole page, and reads them only for the plans its user's units take part in without drafting
  (a drafting unit is covered without consent).
* Consent coverage (``Plan.user_is_covered``, ``ForumCase.user_is_covered``) is decided in Python
  from those prefetched rows; a caller that did not prefetch them gets them loaded once by the
  model (``prefetch_related_objects``), never a query per row.
* Visibility is ``visible_to(user)``: a UNION of two index scans, used as ``pk IN (…)``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agreements.models import Principal, Unit
from bus_portal.access import get_for_user
from bus_portal.models import User
from bus_portal.roles import Role
from sip import auditing, identity
from sip.models import (
    Child,
    Consent,
    ForumCase,
    Guardian,
    Measure,
    MeasureEvaluation,
    MeetingInvitation,
    Plan,
    PlanParticipant,
    PlanQuerySet,
    PlanVersion,
    SignOff,
    SipMeeting,
)

# Related rows are ordered within their parent: the models' default orderings start with the
# parent ("plan", "child", "version"), which would join the parent's table into each query.


def _guardians() -> QuerySet[Guardian]:
    return Guardian.objects.order_by("position", "id")


def _consents() -> QuerySet[Consent]:
    return Consent.objects.order_by("given_on", "id").prefetch_related(
        Prefetch("principals", queryset=Principal.objects.order_by("name", "id"))
    )


def _plan_queryset() -> PlanQuerySet:
    """A plan with everything its pages show; versions are read by ``plan_versions``."""
    return Plan.objects.select_related(
        "child", "owner_unit__principal", "local_group__sip_rules", "overall_principal"
    ).prefetch_related(
        Prefetch(
            "participants",
            queryset=PlanParticipant.objects.select_related("unit__principal").order_by(
                "position", "id"
            ),
        ),
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related(
                "principal", "unit", "responsible_user"
            ).order_by("position", "id"),
        ),
        Prefetch("child__guardians", queryset=_guardians()),
        Prefetch("consents", queryset=_consents()),
    )


def _plan_list_queryset() -> PlanQuerySet:
    """Plans for a list: only the columns shown."""
    return Plan.objects.select_related("child", "owner_unit").only(
        "id",
        "created_at",
        "status",
        "need_noticed_on",
        "next_follow_up_on",
        "owner_unit",
        "owner_unit__name",
        "child",
        "child__first_name",
        "child__last_name",
    )


def _coverage_prefetches() -> list[Prefetch]:
    """Of a plan's related rows, only what deciding consent coverage reads: participating units,
    guardian positions, consents and the principals they name."""
    consents = Consent.objects.only(
        "id", "plan_id", "person", "child_is_mature", "given_on", "valid_until", "withdrawn_on"
    )
    return [
        Prefetch(
            "participants",
            queryset=PlanParticipant.objects.only("id", "plan_id", "unit_id").order_by("id"),
        ),
        Prefetch("child__guardians", queryset=_guardians().only("id", "child_id", "position")),
        Prefetch(
            "consents",
            queryset=consents.order_by("given_on", "id").prefetch_related(
                Prefetch("principals", queryset=Principal.objects.only("id").order_by())
            ),
        ),
    ]


class NewestVisiblePlans:
    """The plans a user's units draft or take part in, newest first, for ``open_ended_page``.

    Slicing ``[start:stop]`` reads those rows with their consent coverage in a fixed number of
    queries. Where the database allows it, each way of seeing a plan (drafting, taking part)
    contributes only its own newest ``stop`` plans, by an index scan each, instead of every
    visible plan being read and sorted for each page.
    """

    def __init__(self, user: User, status: str | None = None):
        self.user = user
        self.status = status

    def is_covered(self, plan: Plan) -> bool:
        """``plan.user_is_covered(user)``: true at once for a plan the user's unit drafts."""
        return plan.owner_unit_id in self.user.unit_ids or plan.user_is_covered(self.user)

    def __getitem__(self, item: slice) -> list[Plan]:
        if not isinstance(item, slice) or item.stop is None or item.step is not None:
            raise TypeError("NewestVisiblePlans takes a bounded slice")
        unit_ids = list(self.user.unit_ids)
        if not unit_ids:
            return []
        order = ("-created_at", "-id")
        plans = Plan.objects.order_by(*order)
        if self.status:
            plans = plans.filter(status=self.status)
        drafted = plans.filter(owner_unit_id__in=unit_ids).values("pk")
        joined = plans.filter(
            pk__in=PlanParticipant.objects.filter(unit_id__in=unit_ids).order_by().values("plan_id")
        ).values("pk")
        if connections[Plan.objects.db].features.supports_slicing_ordering_in_compound:
            drafted, joined = drafted[: item.stop], joined[: item.stop]
        else:  # SQLite: the same rows, read without the shortcut.
            drafted, joined = drafted.order_by(), joined.order_by()
        queryset = _plan_list_queryset().filter(pk__in=drafted.union(joined)).order_by(*order)
        page = list(queryset[item])
        # A plan one of the user's units drafts is covered without its consents (is_covered):
        # their rows are read only for the plans the user's units take part in.
        prefetch_related_objects(
            [plan for plan in page if plan.owner_unit_id not in self.user.unit_ids],
            *_coverage_prefetches(),
        )
        return page


def plan_versions(plan: Plan, *, content: bool = False) -> list[PlanVersion]:
    """The plan's versions, oldest first, each with its sign-offs and evaluations: three queries.

    ``content`` (the frozen copy) only for the pages that show it.
    """
    versions = (
        plan.versions.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "signoffs",
                queryset=SignOff.objects.select_related(
                    "participant__unit", "recorded_by"
                ).order_by("signed_at", "id"),
            ),
            Prefetch(
                "evaluations",
                queryset=MeasureEvaluation.objects.select_related("measure").order_by(
                    "measure__position", "id"
                ),
            ),
        )
        .order_by("number")
    )
    if not content:
        versions = versions.defer("content")
    return list(versions)


def _signed_in(request: HttpRequest) -> User:
    # Every SIP view declares its roles, so this only narrows the type; an anonymous request
    # sees nothing, as visible_to answers it.
    user = request.user
    if not user.is_authenticated:
        raise Http404
    return user


def get_plan_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    """A plan the user's units take part in (404 otherwise); with write, 403 unless the user is a
    case officer of a participating unit covered by consent and the plan is open.

    Each lookup here notes on the request what it was asked for and what it found, for the
    request's audit row (``sip.auditing``)."""
    auditing.note_asked(request, Plan, pk)
    user = _signed_in(request)
    queryset = _plan_queryset().visible_to(user)
    plan = get_for_user(request, queryset, write=write, can_write=Plan.user_can_write, pk=pk)
    auditing.note_loaded(request, plan)
    return plan


def get_forum_case_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> ForumCase:
    """A forum case raised by or inviting one of the user's units; write needs a unit chief there."""
    auditing.note_asked(request, ForumCase, pk)
    user = _signed_in(request)
    queryset = (
        ForumCase.objects.visible_to(user)
        .select_related("child", "raised_by", "raising_unit__principal", "local_group__sip_rules")
        .prefetch_related(
            Prefetch("invited_units", queryset=Unit.objects.select_related("principal")),
            # The page lists the consents; their principals matter only to an invited unit
            # (ForumCase.user_is_covered loads them then).
            "consents",
            Prefetch("child__guardians", queryset=_guardians()),
        )
    )
    case = get_for_user(request, queryset, write=write, can_write=ForumCase.user_can_write, pk=pk)
    auditing.note_loaded(request, case)
    return case


def get_consent_for_user(request: HttpRequest, pk: int) -> Consent:
    """A consent whose plan or case the user may change (withdrawal)."""
    auditing.note_asked(request, Consent, pk)
    try:
        consent = Consent.objects.select_related("plan", "forum_case").get(pk=pk)
    except Consent.DoesNotExist as exc:
        raise Http404 from exc
    # A consent has a plan or a forum case, never both (constraint consent_one_purpose).
    if consent.plan_id is not None:
        get_plan_for_user(request, consent.plan_id, write=True)
    elif consent.forum_case_id is not None:
        user = _signed_in(request)
        case = get_forum_case_for_user(request, consent.forum_case_id)
        officer_there = bool(
            user.unit_ids_with_role(Role.CASE_OFFICER) & case.participating_unit_ids()
        )
        if not (case.user_can_write(user) or officer_there):
            raise PermissionDenied
    auditing.note_loaded(request, consent)
    return consent


def consent_gate(request: HttpRequest, obj: Plan | ForumCase) -> HttpResponse | None:
    """None if the user's unit may read the content, else the "no valid consent" response."""
    if obj.user_is_covered(_signed_in(request)):
        return None
    return render(request, "sip/no_consent.html", {"obj": obj}, status=403)


# A plan's or a forum case's number as the pages show it (Plan.number, ForumCase.number).
_RECORD_NUMBER = re.compile(r"\s*(?P<kind>SIP|BIF)\s*-?\s*(?P<pk>\d{1,9})\s*", re.IGNORECASE)


def subjects_named(term: str) -> set[str]:
    """The child a unit chief names in the access log's search: by identity number, or by the
    number of one of the child's plans ("SIP-12") or forum cases ("BIF-3").

    Any child of that number; the access log keeps only those of the chief's own subjects.
    """
    match = _RECORD_NUMBER.fullmatch(term)
    if match:
        model = Plan if match["kind"].upper() == "SIP" else ForumCase
        child_ids = list(
            model.objects.filter(pk=int(match["pk"])).values_list("child_id", flat=True)
        )
    else:
        try:
            digits = identity.parse(term).digits
        except identity.InvalidIdentityNumber:
            return set()
        child_ids = list(Child.objects.filter(personal_number=digits).values_list("pk", flat=True))
    return {Child(pk=pk).audit_subject for pk in child_ids}


def audit_subjects_for_units(unit_ids: Iterable[int]) -> set[str]:
    """Audit subjects ("sip.child:<pk>") of the children whose plans or cases the units take part in.

    One UNION query over the four ways a unit is involved, each served by an index.
    """
    unit_ids = list(unit_ids)
    if not unit_ids:
        return set()
    child_ids = (
        Plan.objects.filter(owner_unit_id__in=unit_ids)
        .order_by()
        .values_list("child_id")
        .union(
            PlanParticipant.objects.filter(unit_id__in=unit_ids)
            .order_by()
            .values_list("plan__child_id"),
            ForumCase.objects.filter(raising_unit_id__in=unit_ids)
            .order_by()
            .values_list("child_id"),
            ForumCase.objects.filter(invited_units__in=unit_ids).order_by().values_list("child_id"),
        )
    )
    return {f"sip.child:{pk}" for (pk,) in child_ids}


def protected_children_of_units(user: User) -> QuerySet[Child]:
    """Children with a protected identity (no number) in plans or forum cases the user's units
    drafted or raised: the ones a new plan or case may be explicitly matched to."""
    unit_ids = list(user.unit_ids)
    return (
        Child.objects.filter(protected_identity=True, personal_number="")
        .filter(
            Q(pk__in=Plan.objects.filter(owner_unit_id__in=unit_ids).values("child_id"))
            | Q(pk__in=ForumCase.objects.filter(raising_unit_id__in=unit_ids).values("child_id"))
        )
        .order_by("last_name", "first_name", "pk")
    )


@dataclass(frozen=True)
class ChildPlans:
    """A child's plans as one user may know them: the visible ones, and whether there are more."""

    visible: list[Plan]
    others: bool

    @property
    def active(self) -> list[Plan]:
        return [plan for plan in self.visible if plan.status != Plan.Status.CLOSED]


def plans_of_child(user: User, child: Child) -> ChildPlans:
    visible = list(
        Plan.objects.visible_to(user)
        .filter(child=child)
        .select_related("owner_unit__principal")
        .order_by("-created_at", "-pk")
    )
    others = Plan.objects.filter(child=child).exclude(pk__in=[p.pk for p in visible]).exists()
    return ChildPlans(visible=visible, others=others)


def plan_meetings(plan: Plan) -> list[SipMeeting]:
    """The plan's meetings, newest first, each with its invitations: two queries."""
    invitations = MeetingInvitation.objects.select_related(
        "user", "unit__principal", "answered_by"
    ).order_by("kind", "id")
    return list(
        plan.meetings.select_related("created_by")
        .prefetch_related(Prefetch("invitations", queryset=invitations))
        .order_by("-starts_at", "-id")
    )


def get_meeting_for_user(request: HttpRequest, plan: Plan, pk: int) -> SipMeeting:
    """One of the plan's meetings (the plan already looked up for the user), or 404."""
    meeting = plan.meetings.filter(pk=pk).first()
    if meeting is None:
        raise Http404
    meeting.plan = plan
    return meeting


def get_invitation_for_user(request: HttpRequest, plan_pk: int, pk: int) -> MeetingInvitation:
    """An invitation the user answers (their own, or their unit's) to a meeting of the plan.

    Anyone else gets 404, whether or not they may see the plan: an invitation is not theirs to
    answer. The invited person need not see the plan's content; the page shows no child's data.
    """
    auditing.note_asked(request, Plan, plan_pk)
    user = _signed_in(request)
    invitation = (
        MeetingInvitation.objects.for_user(user)
        .filter(meeting__plan_id=plan_pk, pk=pk)
        .select_related("meeting__plan", "meeting__created_by", "unit__principal", "user")
        .first()
    )
    if invitation is None:
        raise Http404
    auditing.note_loaded(request, invitation.meeting.plan)
    return invitation
