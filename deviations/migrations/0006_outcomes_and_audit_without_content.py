"""Data for issue 13, before 0007 adds the constraints.

* Every closed report gets an outcome. Reports closed by the manager or the local group before an
  outcome was required have none: they get the comment of the step that closed them, or else a
  note saying that none was recorded (in Swedish, the portal's language, as the reporter reads
  it).
* Audit rows of the secretariat's review held the old and new response (``{"response": [old,
  new]}``); a redaction must be able to remove a name everywhere it is kept. They now name the
  fields, ``{"fields": ["response"]}``, as new rows do (``services.review``). As in sip's 0009,
  the PostgreSQL trigger is off only for these updates (``bus_portal.audit_migrations``).
"""

from django.db import migrations

from bus_portal.audit_migrations import rewritable_audit_rows

CLOSED_LOCALLY = ("resolved_locally", "resolved_in_group", "closed")
NO_OUTCOME = "Inget utfall antecknades när avvikelsen avslutades."
REVIEW = "deviations.deviation.review"


def outcomes(apps, schema_editor):
    Deviation = apps.get_model("deviations", "Deviation")
    DeviationStep = apps.get_model("deviations", "DeviationStep")
    missing = Deviation.objects.filter(status__in=CLOSED_LOCALLY, response="")
    for deviation in missing.only("id", "status").iterator(chunk_size=1000):
        step = (
            DeviationStep.objects.filter(deviation_id=deviation.pk, to_status=deviation.status)
            .exclude(comment="")
            .order_by("-at", "-id")
            .first()
        )
        outcome = step.comment if step else NO_OUTCOME
        Deviation.objects.filter(pk=deviation.pk).update(response=outcome)


def field_codes(changes):
    """{"response": [old, new], …} -> {"fields": ["response", …]}; new-style rows unchanged."""
    if isinstance(changes.get("fields"), list):
        return changes
    return {"fields": sorted(changes)}


def review_rows_without_content(apps, schema_editor):
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    with rewritable_audit_rows(schema_editor):
        rows = AuditEvent.objects.filter(purpose=REVIEW).exclude(changes={})
        for event in rows.only("id", "changes").iterator(chunk_size=1000):
            changes = field_codes(event.changes)
            if changes != event.changes:
                AuditEvent.objects.filter(pk=event.pk).update(changes=changes)


class Migration(migrations.Migration):
    dependencies = [
        ("deviations", "0005_returned_outcome_lock_version"),
        ("bus_portal", "0004_audit_subject_time_index"),
    ]

    operations = [
        # The texts removed from the audit rows are not kept anywhere: reversing leaves them.
        migrations.RunPython(outcomes, migrations.RunPython.noop),
        migrations.RunPython(review_rows_without_content, migrations.RunPython.noop),
    ]
