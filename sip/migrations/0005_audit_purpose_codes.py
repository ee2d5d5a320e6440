"""Audit rows written by sip store purpose codes (sip.audit.Purpose), not text, and their changes
are keyed by codes.

* Each English or Swedish label becomes its code. The texts are written out here rather than
  imported, so the migration keeps meaning what it meant when the app changes.
* "SIP version 3 read" / "SIP version 3 läst" become ``sip.plan.version_read`` with the number in
  ``changes`` ({"version": 3}), as new rows record it.
* The changes of an edit ("SIP edited") were keyed by the snapshot's labels; they get the codes
  of ``Plan.snapshot()`` (see 0004).

Audit rows are append-only; as in ``bus_portal.audit_migrations``, the PostgreSQL trigger is off
only for these updates, inside the migration's transaction.
"""

import importlib
import re

from django.db import migrations

from bus_portal.audit_migrations import rewritable_audit_rows, rewrite_audit_purposes

# Code -> the label as it was stored (English msgid, Swedish msgstr from sip/locale/sv).
CODES = {
    "sip.plan.drafted": ("SIP drafted", "SIP upprättad"),
    "sip.plan.edited": ("SIP edited", "SIP ändrad"),
    "sip.plan.agreed": ("SIP agreed", "SIP fastställd"),
    "sip.plan.followed_up": ("SIP followed up", "SIP uppföljd"),
    "sip.plan.closed": ("SIP closed", "SIP avslutad"),
    "sip.plan.list_read": ("SIP list read", "SIP-lista läst"),
    "sip.plan.read": ("SIP read", "SIP läst"),
    "sip.plan.pdf": ("SIP printed as PDF", "SIP utskriven som PDF"),
    "sip.plan.fhir": ("SIP exported as FHIR", "SIP exporterad som FHIR"),
    "sip.my_plan.read": ("“My plan” read", "”Min plan” läst"),
    "sip.my_plan.pdf": ("“My plan” printed", "”Min plan” utskriven"),
    "sip.consent.recorded": ("Consent recorded", "Samtycke registrerat"),
    "sip.consent.withdrawn": ("Consent withdrawn", "Samtycke återkallat"),
    "sip.consent.document_read": (
        "Signed consent form read",
        "Undertecknad samtyckesblankett läst",
    ),
    "sip.forum.raised": ("Individforum case raised", "Individforumärende anmält"),
    "sip.forum.read": ("Individforum case read", "Individforumärende läst"),
    "sip.forum.protocol_recorded": (
        "Forum protocol recorded",
        "Protokoll från individforum sparat",
    ),
    "sip.forum.protocol_pdf": ("Forum protocol printed", "Protokoll från individforum utskrivet"),
    "sip.forum.closed": ("Forum case closed", "Individforumärende avslutat"),
}
VERSION_READ = "sip.plan.version_read"
# "SIP version %(n)s read" in English and in Swedish.
VERSION_TEXT = re.compile(r"^SIP version (?P<number>\d+) (?:read|läst)$")
EDITED = "sip.plan.edited"


def forwards(apps, schema_editor):
    rewrite_audit_purposes(
        apps, schema_editor, {text: code for code, texts in CODES.items() for text in texts}
    )
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    to_codes = importlib.import_module("sip.migrations.0004_version_snapshot_codes").to_codes
    with rewritable_audit_rows(schema_editor):
        stored = (
            AuditEvent.objects.filter(purpose__startswith="SIP version ")
            .order_by()  # the model's ordering would make DISTINCT compare whole rows
            .values_list("purpose", flat=True)
            .distinct()
        )
        for text in list(stored):
            match = VERSION_TEXT.match(text)
            if match:
                AuditEvent.objects.filter(purpose=text).update(
                    purpose=VERSION_READ, changes={"version": int(match["number"])}
                )
        edits = AuditEvent.objects.filter(purpose=EDITED).exclude(changes={})
        for event in edits.only("id", "changes").iterator(chunk_size=1000):
            changes = to_codes(event.changes)
            if changes != event.changes:
                AuditEvent.objects.filter(pk=event.pk).update(changes=changes)


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0004_version_snapshot_codes"),
        ("bus_portal", "0004_audit_subject_time_index"),
    ]

    operations = [
        # Reversing keeps the codes: they cannot tell which language a row was written in.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
