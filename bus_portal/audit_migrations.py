"""Rewriting stored audit rows in a data migration, which the append-only guards otherwise refuse.

Only migrations use this: rows written before purposes were stored as codes carry the label in the
language of the moment ("SIP läst", "SIP read"); ``rewrite_audit_purposes`` turns them into codes.
The model guard is bypassed with a queryset ``update`` on the historical model (which has no guard),
and on PostgreSQL the trigger is disabled for the length of the update, inside the migration's
transaction, so no other client can change a row meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping

TRIGGER = "bus_portal_auditevent_append_only"


def rewrite_audit_purposes(apps, schema_editor, codes: Mapping[str, str]) -> None:
    """Replace each stored purpose that is a key of ``codes`` by its code."""
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE bus_portal_auditevent DISABLE TRIGGER {TRIGGER}")
    try:
        for old, code in codes.items():
            AuditEvent.objects.filter(purpose=old).update(purpose=code)
    finally:
        if postgres:
            schema_editor.execute(f"ALTER TABLE bus_portal_auditevent ENABLE TRIGGER {TRIGGER}")
