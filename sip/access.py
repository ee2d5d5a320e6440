"""Scoped lookups for plans, forum cases and consents, the consent gate, and audit subjects.

Outside the user's units a plan or case answers 404; a participating unit without valid consent
gets the "no valid consent" page (403) and none of the content.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import render

from agreements.models import Principal, Unit
from bus_portal.access import get_for_user
from sip.models import Consent, ForumCase, Guardian, Measure, Plan, PlanParticipant


def plan_queryset(*, consents: bool = True):
    """A plan with everything its pages show: one query per kind of row, not per row.

    Without ``consents`` the consents are loaded only if coverage is asked for (see
    Plan.covered_principal_ids): the edit form does not show them, and its drafting unit is
    covered without them.
    """
    lookups = [
        Prefetch("participants", queryset=_participants().select_related("unit__principal")),
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("principal", "unit").order_by("position", "id"),
        ),
        Prefetch("child__guardians", queryset=Guardian.objects.order_by("position")),
    ]
    if consents:
        lookups.append("consents__principals")
    return Plan.objects.select_related(
        "child", "owner_unit__principal", "local_group", "overall_principal"
    ).prefetch_related(*lookups)


def plan_list_queryset():
    """Plans for a list: the columns shown and only what deciding consent coverage needs."""
    return Plan.objects.select_related("child", "owner_unit").prefetch_related(
        Prefetch("participants", queryset=_participants().only("plan_id", "unit_id")),
        Prefetch("consents__principals", queryset=Principal.objects.only("pk")),
        Prefetch(
            "child__guardians",
            queryset=Guardian.objects.only("child_id", "position").order_by("position"),
        ),
    )


def _participants():
    # Within one plan: the model's ordering starts with "plan", which would join sip_plan.
    return PlanParticipant.objects.order_by("position", "id")


def get_plan_for_user(
    request: HttpRequest, pk: int, *, write: bool = False, consents: bool = True
) -> Plan:
    """A plan the user's units take part in (404 otherwise); with write, 403 unless the user is a
    case officer of a participating unit covered by consent and the plan is open."""
    return get_for_user(
        request,
        plan_queryset(consents=consents).visible_to(request.user),
        write=write,
        can_write=lambda plan, user: plan.user_can_write(user),
        pk=pk,
    )


def get_forum_case_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> ForumCase:
    """A forum case raised by or inviting one of the user's units; write needs a unit chief there."""
    queryset = (
        ForumCase.objects.visible_to(request.user)
        .select_related("child", "raised_by", "raising_unit__principal", "local_group__sip_rules")
        .prefetch_related(
            Prefetch("invited_units", queryset=Unit.objects.select_related("principal")),
            # The page lists the consents; their principals matter only to an invited unit.
            "consents",
            Prefetch("child__guardians", queryset=Guardian.objects.order_by("position")),
        )
    )
    return get_for_user(
        request,
        queryset,
        write=write,
        can_write=lambda case, user: case.user_can_write(user),
        pk=pk,
    )


def get_consent_for_user(request: HttpRequest, pk: int) -> Consent:
    """A consent whose plan or case the user may change (withdrawal)."""
    try:
        consent = Consent.objects.select_related("plan", "forum_case").get(pk=pk)
    except Consent.DoesNotExist as exc:
        raise Http404 from exc
    if consent.plan_id:
        get_plan_for_user(request, consent.plan_id, write=True)
    else:
        case = get_forum_case_for_user(request, consent.forum_case_id)
        if not (case.user_can_write(request.user) or _officer_in(case, request.user)):
            raise PermissionDenied
    return consent


def _officer_in(case: ForumCase, user) -> bool:
    from bus_portal.roles import Role

    return bool(user.unit_ids_with_role(Role.CASE_OFFICER) & case.participating_unit_ids())


def consent_gate(request: HttpRequest, obj: Plan | ForumCase):
    """None if the user's unit may read the content, else the "no valid consent" response."""
    if obj.user_is_covered(request.user):
        return None
    return render(request, "sip/no_consent.html", {"obj": obj}, status=403)


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
