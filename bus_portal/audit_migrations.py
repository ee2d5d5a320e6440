"""Rewriting stored audit rows in a data migration, which the append-only guards otherwise refuse.

Only migrations use this: rows written before purposes were stored as codes carry the label in the
language of the moment ("SIP läst", "SIP read"); ``rewrite_audit_purposes`` turns them into codes.
The model guard is bypassed with a queryset ``update`` on the historical model (which has no guard),
and on PostgreSQL the trigger is disabled for the length of the update, inside the migration's
transaction, so no other client can change a row meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

TRIGGER = "bus_portal_auditevent_append_only"


@contextmanager
def rewritable_audit_rows(schema_editor: Any) -> Iterator[None]:
    """Within the block, a migration may update audit rows (PostgreSQL's trigger is off)."""
    if schema_editor.connection.vendor != "postgresql":
        yield
        return
    # ALTER TABLE refuses while deferred foreign-key checks are pending in the transaction
    # (rows written earlier in it): run them now, and defer again afterwards.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(f"ALTER TABLE bus_portal_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        schema_editor.execute(f"ALTER TABLE bus_portal_auditevent ENABLE TRIGGER {TRIGGER}")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def rewrite_audit_purposes(apps: Any, schema_editor: Any, codes: Mapping[str, str]) -> None:
    """Replace each stored purpose that is a key of ``codes`` by its code."""
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    with rewritable_audit_rows(schema_editor):
        for old, code in codes.items():
            AuditEvent.objects.filter(purpose=old).update(purpose=code)
