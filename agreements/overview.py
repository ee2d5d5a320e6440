"""Read models for the county overview and a group's page, built in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from agreements import rules
from agreements.models import (
    REQUIRED_REPRESENTATION_LABELS,
    Agreement,
    AgreementStatus,
    Area,
    Body,
    BodyMember,
    LocalGroup,
    Meeting,
    Term,
)
from agreements.models.agreements import STATUS_BADGES


@dataclass
class BodyCompliance:
    body: Body
    held: int
    required: int

    @property
    def met(self) -> bool:
        return self.held >= self.required


@dataclass
class GroupRow:
    group: LocalGroup
    agreement: Agreement | None
    status: str
    areas: list[Area]
    bodies: list[Body]
    member_count: int
    missing: list[str]
    compliance: list[BodyCompliance] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(AgreementStatus(self.status).label)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def missing_labels(self) -> list[str]:
        return [str(REQUIRED_REPRESENTATION_LABELS[key]) for key in self.missing]

    @property
    def compliance_applies(self) -> list[BodyCompliance]:
        return [c for c in self.compliance if c.required > 0]

    @property
    def meetings_met(self) -> bool:
        return all(c.met for c in self.compliance_applies)


def _agreement_of(group: LocalGroup) -> Agreement | None:
    try:
        return group.agreement
    except Agreement.DoesNotExist:
        return None


def county_rows(
    *,
    area: Area | None = None,
    status: str = "",
    today: datetime.date | None = None,
) -> list[GroupRow]:
    """Every local group with agreement status, bodies, representation and this term's meetings."""
    today = today or timezone.localdate()
    term = Term.of(today)
    groups = (
        LocalGroup.objects.select_related("agreement")
        .prefetch_related(
            "areas",
            "agreement__revisions__parties__signatories",
            Prefetch(
                "agreement__bodies",
                queryset=Body.objects.annotate(
                    term_meetings=Count(
                        "meetings",
                        filter=Q(
                            meetings__held_on__gte=term.start, meetings__held_on__lte=term.end
                        ),
                    )
                ).order_by("position", "id"),
            ),
            Prefetch(
                "agreement__bodies__members",
                queryset=BodyMember.objects.select_related("unit").order_by("id"),
            ),
        )
        .order_by("name")
    )
    if area is not None:
        groups = groups.filter(areas=area)
    rows = []
    for group in groups:
        agreement = _agreement_of(group)
        bodies = list(agreement.bodies.all()) if agreement else []
        active = [m for b in bodies for m in b.members.all() if m.is_active_on(today)]
        row = GroupRow(
            group=group,
            agreement=agreement,
            status=agreement.status(today) if agreement else AgreementStatus.NONE,
            areas=list(group.areas.all()),
            bodies=bodies,
            member_count=len({(m.name, m.unit_id) for m in active}),
            missing=rules.missing_services(m.unit.service_type for m in active if m.unit_id),
            compliance=[
                BodyCompliance(b, b.term_meetings, b.min_meetings_per_term) for b in bodies
            ],
        )
        if status and row.status != status:
            continue
        rows.append(row)
    return rows


def county_agreement() -> Agreement | None:
    return (
        Agreement.objects.filter(kind=Agreement.Kind.COUNTY).with_details().order_by("id").first()
    )


def meeting_log(user, bodies: list[Body], *, term: Term | None = None):
    """Meetings of the bodies the user may see, newest first, with what the log shows."""
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(body__in=bodies)
        .select_related("body", "host_principal", "chair__unit__principal")
        .annotate(
            decision_count=Count("decisions", distinct=True),
            assignment_count=Count("assignments", distinct=True),
            attendee_count=Count("attendees", distinct=True),
        )
        .order_by("-held_on", "-id")
    )
    if term is not None:
        meetings = meetings.in_term(term)
    return meetings


def rule_flags(bodies: list[Body], meetings: list[Meeting], today: datetime.date) -> dict:
    """Compliance for this and last term, repeated chairs, and steering/working same chair."""
    term = Term.of(today)
    terms = [term.previous(), term]
    compliance = {
        body.pk: [rules.term_compliance(body, meetings, t) for t in terms] for body in bodies
    }
    repeated = {
        body.pk: rules.repeated_chairs([m for m in meetings if m.body_id == body.pk])
        for body in bodies
    }
    same_chair = [rules.same_chair_check(bodies, meetings, t) for t in terms]
    return {
        "terms": terms,
        "compliance": compliance,
        "repeated": repeated,
        "same_chair": same_chair,
    }
