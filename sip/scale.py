"""SIPs at scale for the benchmark (see bus_portal/scale.py): bulk inserts only.

On PostgreSQL the rows go in with ``COPY`` (bus_portal.scale.copy_rows) and ids reserved from
the sequences up front, as the children, plans and consents are referenced before they are
written; elsewhere (SQLite, small scales) with ``bulk_create``.

Each plan gets a fictional child with a checksum-valid personnummer, a guardian, the drafting unit
and a region unit as participants, five measures, consent from the guardian for both principals,
and (when agreed) a version with sign-offs. One plan in a hundred also has a forum case.
"""

from __future__ import annotations

import datetime
import json

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone
from stdnum import luhn

from agreements.models import ServiceType
from bus_portal.scale import BATCH, ScaleContext, copy_rows
from sip.models import (
    Child,
    Consent,
    ForumCase,
    Guardian,
    Measure,
    Plan,
    PlanParticipant,
    PlanVersion,
)

_FIRST = [
    "Alva",
    "Noah",
    "Elsa",
    "Liam",
    "Maja",
    "Hugo",
    "Ella",
    "Oscar",
    "Wilma",
    "Lucas",
    "Saga",
    "Adam",
]
_LAST = ["Berg", "Lind", "Holm", "Ek", "Strand", "Sjöberg", "Åkesson", "Nyström", "Falk", "Dahl"]
_MEASURES = [
    "Utredning av koncentrationssvårigheter",
    "Anpassad studiegång och särskilt stöd i skolan",
    "Familjebehandling i hemmet",
    "Samtalsstöd hos kurator",
    "Kontaktperson på fritiden",
]


#: Serials 000–899 per birth date; 9xx are left to the demo county and the tests.
SERIALS_PER_DAY = 900
#: Children are born 2 to 17 years before today.
BIRTH_DAYS = 365 * 15


def _child_identity(index: int, today: datetime.date) -> tuple[datetime.date, str]:
    """The birth date and identity number of the index-th child: one child per number, as the
    database requires (up to 4.9 million children)."""
    day, serial = divmod(index, SERIALS_PER_DAY)
    birth = today - datetime.timedelta(days=365 * 2 + day % BIRTH_DAYS)
    short = f"{birth:%y%m%d}{serial:03d}"
    return birth, f"{birth:%Y%m%d}{serial:03d}{luhn.calc_check_digit(short)}"


class _BulkWriter:
    """bulk_create: portable, and fills in the ids the next rows refer to."""

    def save(self, model, objs, *, with_ids: bool = False) -> None:
        model.objects.bulk_create(objs, batch_size=BATCH)


class _CopyWriter:
    """PostgreSQL COPY, several times faster than INSERT for millions of rows.

    COPY returns no ids: for rows other rows refer to, a block of ids is taken from the table's
    sequence first and written explicitly.
    """

    def __init__(self):
        self._columns: dict[tuple[type, bool], list[tuple[str, str, bool]]] = {}

    def _fields(self, model, with_ids: bool):
        key = (model, with_ids)
        if key not in self._columns:
            self._columns[key] = [
                (f.column, f.attname, isinstance(f, models.JSONField))
                for f in model._meta.concrete_fields
                if with_ids or not f.primary_key
            ]
        return self._columns[key]

    def save(self, model, objs, *, with_ids: bool = False) -> None:
        if not objs:
            return
        if with_ids:
            for obj, pk in zip(objs, self._reserve_ids(model, len(objs)), strict=True):
                obj.pk = pk
        fields = self._fields(model, with_ids)
        copy_rows(
            model._meta.db_table,
            [column for column, _attname, _json in fields],
            (
                tuple(
                    json.dumps(getattr(obj, attname)) if is_json else getattr(obj, attname)
                    for _column, attname, is_json in fields
                )
                for obj in objs
            ),
        )

    @staticmethod
    def _reserve_ids(model, n: int) -> range:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            first = cursor.fetchone()[0]
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + n - 1]
            )
        return range(first, first + n)


def seed(ctx: ScaleContext) -> dict[str, int]:
    rng = ctx.rng
    today = ctx.today
    writer = _CopyWriter() if connection.vendor == "postgresql" else _BulkWriter()
    drafting = [u for u in ctx.units if u.service_type == ServiceType.SOCIAL_SERVICES and u.area_id]
    region_units = [
        u for u in ctx.units if u.principal.kind == "region" and u.service_type == ServiceType.BUP
    ]
    group_by_area = {area.pk: group for group in ctx.groups for area in group.areas.all()}
    drafting = [u for u in drafting if u.area_id in group_by_area]
    staff = list(ctx.users)
    total = ctx.sizes["sips"]
    per_plan = ctx.sizes["measures_per_sip"]
    plan_type = ContentType.objects.get_for_model(Plan)
    audit_objects = []
    created = measures_created = 0
    statuses = (
        [Plan.Status.DRAFT]
        + [Plan.Status.AGREED] * 3
        + [Plan.Status.FOLLOW_UP] * 3
        + [Plan.Status.CLOSED] * 2
    )
    while created < total:
        n = min(BATCH, total - created)
        children, units, dates = [], [], []
        for i in range(n):
            birth, number = _child_identity(created + i, today)
            children.append(
                Child(
                    first_name=rng.choice(_FIRST),
                    last_name=rng.choice(_LAST),
                    personal_number=number,
                    birth_date=birth,
                )
            )
            units.append(rng.choice(drafting))
            dates.append(ctx.random_date())
        writer.save(Child, children, with_ids=True)
        writer.save(
            Guardian,
            [
                Guardian(child=c, position=1, name=f"{rng.choice(_FIRST)} {c.last_name}")
                for c in children
            ],
        )
        plans = []
        for child, unit, noticed in zip(children, units, dates, strict=True):
            status = rng.choice(statuses)
            agreed = status != Plan.Status.DRAFT
            start = timezone.make_aware(datetime.datetime.combine(noticed, datetime.time(10)))
            plans.append(
                Plan(
                    child=child,
                    local_group=group_by_area[unit.area_id],
                    owner_unit=unit,
                    created_by=rng.choice(staff),
                    created_at=start,
                    status=status,
                    need_noticed_on=noticed,
                    first_meeting_on=noticed + datetime.timedelta(days=rng.randrange(5, 30))
                    if agreed
                    else None,
                    question="Samordnat stöd i skola, hem och vård.",
                    goals_short="Fungerande skoldag.",
                    goals_long="Trygg uppväxt med rätt stöd.",
                    child_voice="Jag vill ha lugn i klassrummet.",
                    no_measures_by_others=True,
                    overall_principal_id=unit.principal_id,
                    next_follow_up_on=noticed + datetime.timedelta(days=rng.randrange(60, 200)),
                    agreed_at=start + datetime.timedelta(days=20) if agreed else None,
                    closed_at=start + datetime.timedelta(days=300)
                    if status == Plan.Status.CLOSED
                    else None,
                    closed_reason="Målen är nådda." if status == Plan.Status.CLOSED else "",
                )
            )
        writer.save(Plan, plans, with_ids=True)
        participants, measures, consents, versions, cases = [], [], [], [], []
        for plan in plans:
            partner = rng.choice(region_units)
            participants.append(
                PlanParticipant(plan=plan, unit=plan.owner_unit, name="Handläggare", position=0)
            )
            participants.append(
                PlanParticipant(plan=plan, unit=partner, name="Kurator", position=1)
            )
            for position in range(per_plan):
                unit = plan.owner_unit if position % 2 == 0 else partner
                measures.append(
                    Measure(
                        plan=plan,
                        description=_MEASURES[position % len(_MEASURES)],
                        principal_id=unit.principal_id,
                        unit=unit,
                        responsible="Ansvarig handläggare",
                        starts_on=plan.need_noticed_on,
                        position=position,
                    )
                )
            consents.append(
                (
                    Consent(
                        plan=plan,
                        person=Consent.Person.GUARDIAN_1,
                        person_name="Vårdnadshavare 1",
                        given_on=plan.need_noticed_on,
                        form=Consent.Form.RECORDED,
                        recorded_by=plan.created_by,
                        valid_until=plan.need_noticed_on + datetime.timedelta(days=730),
                    ),
                    (plan.owner_unit.principal_id, partner.principal_id),
                )
            )
            if plan.agreed_at:
                versions.append(
                    PlanVersion(
                        plan=plan,
                        number=1,
                        kind=PlanVersion.Kind.AGREED,
                        created_at=plan.agreed_at,
                        created_by=plan.created_by,
                        meeting_on=plan.first_meeting_on,
                        content={},
                    )
                )
            if rng.random() < 0.01:
                cases.append(
                    ForumCase(
                        child=plan.child,
                        local_group=plan.local_group,
                        raising_unit=plan.owner_unit,
                        raised_by=plan.created_by,
                        need_noticed_on=plan.need_noticed_on,
                        question="Samordning mellan skola och BUP.",
                        status=ForumCase.Status.CLOSED,
                        outcome=ForumCase.Outcome.RESOLVED,
                        meeting_on=plan.need_noticed_on,
                        created_at=plan.created_at,
                        closed_at=plan.created_at + datetime.timedelta(days=10),
                    )
                )
            if rng.random() < 0.02:
                audit_objects.append(
                    (plan_type, str(plan.pk), plan.number, plan.child.audit_subject)
                )
        writer.save(PlanParticipant, participants)
        writer.save(Measure, measures)
        writer.save(Consent, [c for c, _ in consents], with_ids=True)
        through = Consent.principals.through
        writer.save(
            through,
            [through(consent_id=c.pk, principal_id=p) for c, pair in consents for p in set(pair)],
        )
        writer.save(PlanVersion, versions)
        writer.save(ForumCase, cases)
        created += n
        measures_created += len(measures)
    ctx.shared["audit_objects"] = audit_objects
    return {"sips": created, "measures": measures_created}
