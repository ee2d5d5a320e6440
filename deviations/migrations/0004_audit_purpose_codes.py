"""Audit rows written by deviations store purpose codes (deviations.audit.Purpose), not text.

The codes are written out here rather than imported, so the migration keeps meaning what it meant
when the app changes. A step's from and to status were in the text ("step draft → with_manager");
the same rows already hold them in ``changes`` ({"status": [from, to]}), so nothing is lost.
"""

from django.db import migrations

from bus_portal.audit_migrations import rewrite_audit_purposes

FIXED = {
    "deviation draft": "deviations.deviation.draft",
    "comment": "deviations.deviation.comment",
    "assign": "deviations.deviation.assign",
    "secretariat review": "deviations.deviation.review",
    "deviation category": "deviations.category.save",
}
# Texts that held a value: "step <from> → <to>", "deviation statistics <year> (PDF|CSV)".
PREFIXED = {
    "step ": "deviations.deviation.step",
    "deviation statistics ": "deviations.statistics.export",
}


def to_codes(apps, schema_editor):
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    codes = dict(FIXED)
    for prefix, code in PREFIXED.items():
        stored = (
            AuditEvent.objects.filter(purpose__startswith=prefix)
            .order_by()  # the model's ordering would make DISTINCT compare whole rows
            .values_list("purpose", flat=True)
            .distinct()
        )
        codes.update(dict.fromkeys(stored, code))
    rewrite_audit_purposes(apps, schema_editor, codes)


class Migration(migrations.Migration):
    dependencies = [
        ("deviations", "0003_queue_and_year_indexes"),
        ("bus_portal", "0004_audit_subject_time_index"),
    ]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
