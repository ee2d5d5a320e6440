"""Read models for the county overview and a group's page, built in a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements import rules
from agreements.models import (
    REQUIRED_REPRESENTATION_LABELS,
    AgendaItem,
    Agreement,
    AgreementStatus,
    Area,
    Body,
    BodyMember,
    Decision,
    LocalGroup,
    Meeting,
    Principal,
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
        if self.agreement is not None:
            return self.agreement.get_status_display()
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


def term_meeting_count(term: Term) -> Coalesce:
    """A body's meetings in the term, as a subquery: an index range scan per body (see the
    meeting_body_held_idx index) instead of joining and grouping every meeting ever held."""
    held = (
        Meeting.objects.counted()
        .filter(body=OuterRef("pk"), held_on__gte=term.start, held_on__lte=term.end)
        .order_by()
        .values("body")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(held), 0)


def county_rows(
    *,
    area: Area | None = None,
    status: str = "",
    today: datetime.date | None = None,
) -> list[GroupRow]:
    """Every local group with agreement status, bodies, representation and this term's meetings."""
    _county, entries = group_statuses(area=area, status=status, today=today)
    return group_rows(entries, today=today)


@dataclass(frozen=True)
class GroupStatus:
    group: LocalGroup
    agreement: Agreement | None
    status: str


def group_statuses(
    *,
    area: Area | None = None,
    status: str = "",
    today: datetime.date | None = None,
) -> tuple[Agreement | None, list[GroupStatus]]:
    """The county agreement and every local group (in the area, with the status) with its agreement.

    Two queries whatever the number of groups: the groups, and every agreement with its status
    annotated (``AgreementQuerySet.with_status``), the county agreement among them. What a row
    shows besides comes from ``group_rows``, for the groups on the page only.
    """
    today = today or timezone.localdate()
    groups = LocalGroup.objects.valid_on().order_by("name")
    in_groups = Q(local_group__isnull=False)
    if area is not None:
        groups = groups.filter(areas=area)
        in_groups = Q(local_group__areas=area)
    county, agreements = None, {}
    for agreement in (
        Agreement.objects.with_status()
        .filter(in_groups | Q(kind=Agreement.Kind.COUNTY))
        .order_by("id")
    ):
        if agreement.is_county:
            county = county or agreement
        else:
            agreements[agreement.local_group_id] = agreement
    entries = []
    for group in groups:
        agreement = agreements.get(group.pk)
        entry = GroupStatus(
            group, agreement, agreement.status(today) if agreement else AgreementStatus.NONE
        )
        if not status or entry.status == status:
            entries.append(entry)
    return county, entries


def group_rows(entries: list[GroupStatus], today: datetime.date | None = None) -> list[GroupRow]:
    """The overview rows for these groups: areas, bodies with this term's meeting count, and the
    active members' number and services. Three queries whatever the number of groups."""
    today = today or timezone.localdate()
    term = Term.of(today)
    groups = [e.group for e in entries]
    prefetch_related_objects(groups, "areas")
    agreement_ids = [e.agreement.pk for e in entries if e.agreement]
    bodies: dict[int, list[Body]] = {}
    members: dict[int, set[tuple[str, int | None]]] = {}
    services: dict[int, set[str]] = {}
    if agreement_ids:
        for body in (
            Body.objects.filter(agreement__in=agreement_ids)
            .annotate(term_meetings=term_meeting_count(term))
            .order_by("position", "id")
        ):
            bodies.setdefault(body.agreement_id, []).append(body)
        for agreement_id, name, unit_id, service_type in (
            BodyMember.objects.valid_on(today)
            .filter(body__agreement__in=agreement_ids)
            .values_list("body__agreement_id", "name", "unit_id", "unit__service_type")
        ):
            members.setdefault(agreement_id, set()).add((name, unit_id))
            if unit_id:
                services.setdefault(agreement_id, set()).add(service_type)
    rows = []
    for entry in entries:
        agreement = entry.agreement
        key = agreement.pk if agreement else None
        group_bodies = bodies.get(key, [])
        rows.append(
            GroupRow(
                group=entry.group,
                agreement=agreement,
                status=entry.status,
                areas=list(entry.group.areas.all()),
                bodies=group_bodies,
                member_count=len(members.get(key, ())),
                missing=rules.missing_services(services.get(key, ())),
                compliance=[
                    BodyCompliance(b, b.term_meetings, b.min_meetings_per_term)
                    for b in group_bodies
                ],
            )
        )
    return rows


def group_names(group: LocalGroup) -> tuple[list[str], list[str]]:
    """The names of a group's areas and principals, from one query over both relations."""
    areas = (
        Area.objects.filter(local_groups=group)
        .annotate(relation=Value("area", output_field=CharField()))
        .values_list("relation", "name")
    )
    principals = (
        Principal.objects.filter(local_groups=group)
        .annotate(relation=Value("principal", output_field=CharField()))
        .values_list("relation", "name")
    )
    rows = sorted(areas.order_by().union(principals.order_by(), all=True), key=lambda r: r[1])
    return (
        [name for relation, name in rows if relation == "area"],
        [name for relation, name in rows if relation == "principal"],
    )


def meeting_log(user, bodies: list[Body], *, term: Term | None = None):
    """Meetings of the bodies the user may see, newest first, with what the log shows (the
    export of the log): meetings withdrawn as logged by mistake are left out, as the rules do."""
    meetings = (
        Meeting.objects.visible_to(user)
        .counted()
        .filter(body__in=bodies)
        .select_related("body", "host_principal", "chair__unit__principal")
        .with_counts()
        .order_by("-held_on", "-id")
    )
    if term is not None:
        meetings = meetings.in_term(term)
    return meetings


def body_meetings(user, bodies: list[Body]) -> list[Meeting]:
    """Every meeting of the bodies, newest first, marked ``is_visible`` for the user and with counts.

    One query serves both the meeting rules (which count every meeting) and the log (the visible
    ones): filter with ``visible_log``.
    """
    by_id = {body.pk: body for body in bodies}
    meetings = list(
        Meeting.objects.filter(body__in=bodies)
        .with_visibility(user)
        .with_counts()
        .select_related("host_principal", "chair__unit__principal")
        .order_by("-held_on", "-id")
    )
    for meeting in meetings:
        meeting.body = by_id[meeting.body_id]  # already fetched: no join, no copies
    return meetings


def visible_log(meetings: list[Meeting], term: Term | None = None) -> list[Meeting]:
    """The meetings of ``body_meetings`` the log shows: those the user may see, in the term if any."""
    return [m for m in meetings if m.is_visible and (term is None or m.held_on in term)]


def agenda_and_decisions(meeting: Meeting) -> tuple[list[AgendaItem], list[Decision]]:
    """A meeting's agenda items and decisions, in order, from one query (a UNION of both tables)."""
    agenda = (
        AgendaItem.objects.filter(meeting=meeting)
        .annotate(kind=Value("agenda", output_field=CharField()), focus=Value(False))
        .values_list("kind", "id", "position", "title", "detail", "url", "focus", "number")
    )
    decisions = (
        Decision.objects.filter(meeting=meeting)
        .annotate(
            kind=Value("decision", output_field=CharField()),
            label=F("text"),
            no_detail=Value("", output_field=CharField()),
            no_url=Value("", output_field=CharField()),
            focus=F("is_focus_area"),
            no_number=Value(None, output_field=IntegerField()),
        )
        .values_list("kind", "id", "position", "label", "no_detail", "no_url", "focus", "no_number")
    )
    items, chosen = [], []
    rows = agenda.order_by().union(decisions.order_by(), all=True)
    for kind, pk, position, text, detail, url, focus, number in sorted(
        rows, key=lambda r: (r[2], r[1])
    ):
        if kind == "agenda":
            items.append(
                AgendaItem(
                    pk=pk,
                    meeting=meeting,
                    position=position,
                    title=text,
                    detail=detail,
                    url=url,
                    number=number,
                )
            )
        else:
            chosen.append(
                Decision(
                    pk=pk, meeting=meeting, position=position, text=text, is_focus_area=bool(focus)
                )
            )
    return items, chosen


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
