"""Data at scale for the benchmark: `manage.py seed_scale --scale county|national`.

Each app registers a seeder with ``portal.register_scale_seeder`` (bus_portal.registry),
``seed(ctx: ScaleContext) -> dict[str, int]`` (rows created by kind), using bulk inserts only.
The directory seeder runs first and fills ``ctx.groups``, ``ctx.units`` and ``ctx.users``.
"""

from __future__ import annotations

import datetime
import random
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection

SIZES: dict[str, dict[str, int]] = {
    "county": {
        "groups": 33,
        "years": 3,
        "sips": 10_000,
        "measures_per_sip": 5,
        "audit_rows": 200_000,
        "meetings": 1_000,
        "deviations": 1_000,
        "survey_responses": 100,
        "users_per_group": 10,
    },
    "national": {
        "groups": 300,
        "years": 10,
        "sips": 300_000,
        "measures_per_sip": 5,
        "audit_rows": 5_000_000,
        "meetings": 20_000,
        "deviations": 10_000,
        "survey_responses": 3_000,
        "users_per_group": 10,
    },
}

BATCH = 5_000
# Seeded audit rows are plan reads, stored by code as sip writes them (sip.audit.Purpose).
SEEDED_PURPOSE = "sip.plan.read"


@dataclass
class ScaleContext:
    scale: str
    sizes: dict[str, int]
    rng: random.Random
    today: datetime.date
    groups: list = field(default_factory=list)
    units: list = field(default_factory=list)
    users: list = field(default_factory=list)
    # Filled by seeders for later ones, e.g. "sip.child" -> list of ids for audit subjects.
    shared: dict = field(default_factory=dict)

    @property
    def first_year(self) -> int:
        return self.today.year - self.sizes["years"] + 1

    def random_date(self) -> datetime.date:
        start = datetime.date(self.first_year, 1, 1)
        return start + datetime.timedelta(days=self.rng.randrange((self.today - start).days + 1))


def seed_audit_rows(ctx: ScaleContext) -> dict[str, int]:
    """Audit rows spread over the scale's years, about the children other seeders created."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from bus_portal.models import AuditEvent, User

    children = ctx.shared.get("audit_objects") or []
    if not children:
        # No app registered objects to audit: audit reads of user records instead.
        children = [
            (ContentType.objects.get_for_model(User), str(u.pk), str(u), "")
            for u in ctx.users[:1000]
        ]
    actors = [u.pk for u in (ctx.users or list(User.objects.all()[:100]))]
    total = ctx.sizes["audit_rows"]
    actions = ["view"] * 8 + ["change", "print"]
    start = timezone.make_aware(datetime.datetime(ctx.first_year, 1, 1))
    span = int((timezone.now() - start).total_seconds())
    rng = ctx.rng
    if connection.vendor == "postgresql":
        with indexes_dropped("bus_portal_auditevent"):
            created = _copy_audit_rows(children, actors, actions, start, span, total, rng)
        return {"audit_rows": created}
    created = 0
    while created < total:
        rows = []
        for _ in range(min(BATCH, total - created)):
            ctype, object_id, label, subject = rng.choice(children)
            rows.append(
                AuditEvent(
                    at=start + datetime.timedelta(seconds=rng.randrange(span)),
                    actor_id=rng.choice(actors),
                    action=rng.choice(actions),
                    content_type=ctype,
                    object_id=object_id,
                    object_repr=label[:200],
                    subject=subject,
                    purpose=SEEDED_PURPOSE,
                )
            )
        AuditEvent.objects.bulk_create(rows)
        created += len(rows)
    return {"audit_rows": created}


@contextmanager
def indexes_dropped(table: str):
    """Load a big table without its secondary indexes, then build them once (as pg_restore does).

    Inserting millions of rows into random places of five B-trees costs several times more than
    sorting the rows once per index afterwards. Primary keys and constraint indexes stay.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in indexes:
                cursor.execute(definition)


def _copy_audit_rows(children, actors, actions, start, span, total, rng) -> int:
    """PostgreSQL COPY: millions of rows in seconds instead of minutes."""
    import io

    columns = (
        "at, actor_id, action, content_type_id, object_id, object_repr, subject, purpose, changes"
    )
    created = 0
    with connection.cursor() as cursor:
        while created < total:
            n = min(200_000, total - created)
            buffer = io.StringIO()
            write = buffer.write
            for _ in range(n):
                ctype, object_id, label, subject = rng.choice(children)
                at = (start + datetime.timedelta(seconds=rng.randrange(span))).isoformat()
                label = label.replace("\t", " ").replace("\\", "/")[:200]
                write(
                    f"{at}\t{rng.choice(actors)}\t{rng.choice(actions)}\t{ctype.pk}\t{object_id}\t{label}\t{subject}\t{SEEDED_PURPOSE}\t{{}}\n"
                )
            buffer.seek(0)
            cursor.cursor.copy_expert(f"COPY bus_portal_auditevent ({columns}) FROM STDIN", buffer)
            created += n
    return created


def copy_rows(table: str, columns: list[str], rows, chunk: int = 100_000) -> int:
    """Insert tuples into ``table`` with PostgreSQL ``COPY`` (bulk_create elsewhere is the caller's job).

    Values are written in COPY's text format: None becomes NULL, dates and datetimes use isoformat,
    booleans t/f; tabs, newlines and backslashes in strings are escaped. Returns the number of rows.
    Ids are not returned: callers that need them read them back (e.g. ``max(id)`` before and after).
    """
    import io

    def text(value) -> str:
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, datetime.date):
            return value.isoformat()
        return (
            str(value)
            .replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )

    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    total = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join(map(text, row)))
            buffer.write("\n")
            pending += 1
            if pending >= chunk:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                total += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            cursor.cursor.copy_expert(sql, buffer)
            total += pending
    return total
