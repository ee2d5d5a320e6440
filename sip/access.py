"""Scoped lookups for plans, forum cases and consents, the consent gate, and audit subjects.

Outside the user's units a plan or case answers 404; a participating unit without valid consent
gets the "no valid consent" page (403) and none of the content.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import F, Prefetch
from django.db.models.functions import JSONObject
from django.http import Http404, HttpRequest
from django.shortcuts import render

from agreements.models import Principal, Unit
from bus_portal.access import get_for_user
from bus_portal.models import User
from sip.models import (
    Consent,
    ForumCase,
    Guardian,
    Measure,
    MeasureEvaluation,
    Plan,
    PlanParticipant,
    PlanVersion,
    SignOff,
)
from sip.rows import attach, build, json_rows, loads


def plan_queryset():
    """A plan with everything its pages show, in three queries: the plan with its child's
    guardians and its consents (with their principals) as JSON columns, the participants and the
    measures. Versions are read by ``plan_versions``."""
    return _plan_queryset().all()


def plan_list_queryset():
    """Plans for a list: the columns shown, and as JSON only what deciding consent coverage
    needs (participating units, consents with their principals, guardian positions)."""
    return _plan_list_queryset().all()


class NewestVisiblePlans:
    """The plans a user's units draft or take part in, newest first, for ``open_ended_page``.

    Slicing ``[start:stop]`` reads those rows in one query in which each way of seeing a plan
    (drafting, taking part) contributes only its own newest ``stop`` plans, by an index scan each,
    instead of every visible plan being read and sorted for each page.
    """

    model = Plan

    def __init__(self, user, status: str | None = None):
        self.user = user
        self.status = status

    def is_covered(self, plan: Plan) -> bool:
        """``plan.user_is_covered(user)``: true at once for a plan the user's unit drafts."""
        return plan.owner_unit_id in self.user.unit_ids or plan.user_is_covered(self.user)

    def __getitem__(self, item: slice) -> list[Plan]:
        if not isinstance(item, slice) or item.stop is None or item.step is not None:
            raise TypeError("NewestVisiblePlans takes a bounded slice")
        unit_ids = list(getattr(self.user, "unit_ids", ()))
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
        # A plan one of the user's units drafts is covered without its consents (see
        # is_covered): its JSON columns are left unread.
        queryset = (
            plan_list_queryset()
            .unpacking(functools.partial(_unpack_unless_drafted, frozenset(unit_ids)))
            .filter(pk__in=drafted.union(joined))
            .order_by(*order)
        )
        if self.status:
            queryset = queryset.filter(status=self.status)
        return list(queryset[item])


# Resolving the JSON subqueries costs more than running them (several ms a request), so each
# queryset is built once and cloned: a clone copies the resolved query, it does not resolve again.


@functools.cache
def _plan_queryset():
    return (
        Plan.objects.select_related(
            "child", "owner_unit__principal", "local_group__sip_rules", "overall_principal"
        )
        .prefetch_related(
            Prefetch("participants", queryset=_participants().select_related("unit__principal")),
            Prefetch(
                "measures",
                queryset=Measure.objects.select_related("principal", "unit").order_by(
                    "position", "id"
                ),
            ),
        )
        .annotate(
            guardian_rows=json_rows(Guardian.objects.all(), "child", "child", _GUARDIAN_FIELDS),
            consent_rows=_consent_rows(_CONSENT_FIELDS, _PRINCIPAL_FIELDS),
        )
        .unpacking(_unpack_plan)
    )


@functools.cache
def _plan_list_queryset():
    return (
        Plan.objects.select_related("child", "owner_unit")
        .only(
            "id",
            "created_at",
            "status",
            "need_noticed_on",
            "next_follow_up_on",
            "owner_unit_id",
            "child_id",
            "owner_unit__id",
            "owner_unit__name",
            "child__id",
            "child__first_name",
            "child__last_name",
        )
        .annotate(
            participant_rows=json_rows(
                PlanParticipant.objects.all(), "plan", "pk", ("id", "plan_id", "unit_id")
            ),
            guardian_rows=json_rows(
                Guardian.objects.all(), "child", "child", ("id", "child_id", "position")
            ),
            consent_rows=_consent_rows(_COVERAGE_CONSENT_FIELDS, ("id",)),
        )
        .unpacking(_unpack_plan)
    )


_GUARDIAN_FIELDS = [f.attname for f in Guardian._meta.concrete_fields]
_CONSENT_FIELDS = [f.attname for f in Consent._meta.concrete_fields]
_PRINCIPAL_FIELDS = [f.attname for f in Principal._meta.concrete_fields]
# What covered_principal_ids reads of a consent.
_COVERAGE_CONSENT_FIELDS = (
    "id",
    "plan_id",
    "person",
    "child_is_mature",
    "given_on",
    "valid_until",
    "withdrawn_on",
)


def _consent_rows(fields, principal_fields):
    through = Consent.principals.through.objects.all()
    return json_rows(
        Consent.objects.all(),
        "plan",
        "pk",
        fields,
        principals=json_rows(
            through,
            "consent",
            "pk",
            (),
            **{name: F(f"principal__{name}") for name in principal_fields},
        ),
    )


def _unpack_unless_drafted(unit_ids: frozenset[int], plan: Plan, using: str) -> None:
    if plan.owner_unit_id in unit_ids:
        for name in ("participant_rows", "guardian_rows", "consent_rows"):
            plan.__dict__.pop(name, None)
    else:
        _unpack_plan(plan, using)


def _unpack_plan(plan: Plan, using: str) -> None:
    """Turn the JSON columns into the caches prefetch_related would have filled."""
    if hasattr(plan, "guardian_rows"):
        guardians = [
            build(Guardian, row, using) for row in loads(plan.__dict__.pop("guardian_rows"))
        ]
        attach(plan.child, "guardians", guardians, sort=lambda g: (g.position, g.pk))
    if hasattr(plan, "consent_rows"):
        consents = []
        for row in loads(plan.__dict__.pop("consent_rows")):
            consent = build(Consent, row, using)
            principals = [build(Principal, p, using) for p in loads(row.get("principals"))]
            attach(
                consent, "principals", principals, sort=lambda p: (p.__dict__.get("name", ""), p.pk)
            )
            consents.append(consent)
        attach(plan, "consents", consents, sort=lambda c: (c.given_on, c.pk))
    if hasattr(plan, "participant_rows"):
        participants = [
            build(PlanParticipant, row, using)
            for row in loads(plan.__dict__.pop("participant_rows"))
        ]
        attach(plan, "participants", participants, sort=lambda p: p.pk)


def plan_versions(plan: Plan, *, content: bool = False) -> list[PlanVersion]:
    """The plan's versions in one query, each with its sign-offs and evaluations.

    The sign-offs' participants and the evaluations' measures are the plan's own (loaded with it);
    ``content`` (the frozen copy) only for the pages that show it.
    """
    queryset = _versions_queryset().filter(plan=plan)
    if not content:
        queryset = queryset.defer("content")
    versions = list(queryset)
    using = queryset.db
    signoffs, evaluations = {}, {}
    for version in versions:
        version.plan = plan
        signoffs[version.pk] = []
        for row in loads(version.__dict__.pop("signoff_rows")):
            signoff = build(SignOff, row, using)
            if row.get("recorded_by"):
                signoff.recorded_by = build(User, loads(row["recorded_by"]), using)
            signoffs[version.pk].append(signoff)
        evaluations[version.pk] = [
            build(MeasureEvaluation, row, using)
            for row in loads(version.__dict__.pop("evaluation_rows"))
        ]
    _link(
        [s for rows in signoffs.values() for s in rows],
        "participant",
        {p.pk: p for p in plan.participants.all()},
        PlanParticipant.objects.select_related("unit__principal"),
    )
    _link(
        [e for rows in evaluations.values() for e in rows],
        "measure",
        {m.pk: m for m in plan.measures.all()},
        Measure.objects.select_related("principal", "unit"),
    )
    for version in versions:
        attach(version, "signoffs", signoffs[version.pk], sort=lambda s: (s.signed_at, s.pk))
        attach(
            version,
            "evaluations",
            evaluations[version.pk],
            sort=lambda e: (e.measure.position, e.pk),
        )
    return versions


@functools.cache
def _versions_queryset():
    return (
        PlanVersion.objects.select_related("created_by")
        .order_by("number")
        .annotate(
            signoff_rows=json_rows(
                SignOff.objects.all(),
                "version",
                "pk",
                [f.attname for f in SignOff._meta.concrete_fields],
                recorded_by=JSONObject(
                    id="recorded_by__id",
                    username="recorded_by__username",
                    first_name="recorded_by__first_name",
                    last_name="recorded_by__last_name",
                ),
            ),
            evaluation_rows=json_rows(
                MeasureEvaluation.objects.all(),
                "version",
                "pk",
                [f.attname for f in MeasureEvaluation._meta.concrete_fields],
            ),
        )
    )


def _link(rows, name: str, known: dict, queryset) -> None:
    """Link each row to its participant or measure; the plan's own, loaded with it, so a query
    only for rows that point elsewhere (which the services never create)."""
    attname = f"{name}_id"
    missing = {getattr(row, attname) for row in rows} - known.keys()
    if missing:
        known = {**known, **queryset.in_bulk(missing)}
    for row in rows:
        setattr(row, name, known[getattr(row, attname)])


def _participants():
    # Within one plan: the model's ordering starts with "plan", which would join sip_plan.
    return PlanParticipant.objects.order_by("position", "id")


def get_plan_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> Plan:
    """A plan the user's units take part in (404 otherwise); with write, 403 unless the user is a
    case officer of a participating unit covered by consent and the plan is open."""
    return get_for_user(
        request,
        plan_queryset().visible_to(request.user),
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
