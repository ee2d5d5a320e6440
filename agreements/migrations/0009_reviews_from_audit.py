"""Yearly reviews recorded before reviews were kept as rows: recover who and when from the audit.

Each review was audited on its revision (purpose ``agreements.revision.reviewed``) with the review
date and the next date in ``changes``; that row names who recorded it and when. A row without
both dates (the oldest ones kept their date only in the purpose text) or without a user is left
as it is: the audit log still holds it.
"""

import datetime

from django.db import migrations


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def recover_reviews(apps, schema_editor):
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("agreements", "Revision")
    Review = apps.get_model("agreements", "Review")
    content_type = ContentType.objects.filter(app_label="agreements", model="revision").first()
    if content_type is None:
        return
    events = AuditEvent.objects.filter(
        content_type=content_type, purpose="agreements.revision.reviewed", actor__isnull=False
    ).order_by("at", "id")
    revisions = {}
    for event in events.iterator():
        changes = event.changes or {}
        reviewed_on = _date((changes.get("reviewed_on") or ["", ""])[-1])
        next_review = _date((changes.get("review_date") or ["", ""])[-1])
        if reviewed_on is None or next_review is None or next_review <= reviewed_on:
            continue
        if event.object_id not in revisions:
            revisions[event.object_id] = Revision.objects.filter(pk=event.object_id).first()
        revision = revisions[event.object_id]
        if revision is None:
            continue
        Review.objects.get_or_create(
            revision=revision,
            reviewed_on=reviewed_on,
            next_review=next_review,
            defaults={
                "agreement_id": revision.agreement_id,
                "reviewed_by_id": event.actor_id,
                "recorded_at": event.at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0008_corrections_locking_reviews"),
        ("bus_portal", "0002_audit_append_only"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(recover_reviews, migrations.RunPython.noop)]
