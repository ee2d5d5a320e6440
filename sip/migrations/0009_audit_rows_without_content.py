"""Audit rows written by sip hold no child's content.

* An edit's row ("sip.plan.edited") kept each changed field's old and new value,
  {"question": ["Gammal", "Ny"]}. It now names the fields, {"fields": ["question"]}, as new rows
  do (``services.update_plan``); the content is in the plan's versions, behind its access rules.
* A consent's rows were named by the consent's text ("Vårdnadshavare 1: Anna Andersson"). They
  are now named by the kind and the id ("Samtycke 12"), as ``sip.auditing.audit_label`` names
  new ones. Plans and forum cases were always named by their numbers ("SIP-12", "BIF-3").

Only those values change; as in 0005, the PostgreSQL trigger is off only for these updates,
inside the migration's transaction (``bus_portal.audit_migrations``).
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Concat

from bus_portal.audit_migrations import rewritable_audit_rows

EDITED = "sip.plan.edited"
# Written out rather than translated: the label new rows get in the portal's language (sv).
CONSENT_LABEL = "Samtycke "


def field_codes(changes):
    """{"question": [old, new], …} -> {"fields": ["question", …]}; new-style rows unchanged."""
    if isinstance(changes.get("fields"), list):
        return changes
    return {"fields": list(changes)}


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    with rewritable_audit_rows(schema_editor):
        edits = AuditEvent.objects.filter(purpose=EDITED).exclude(changes={})
        for event in edits.only("id", "changes").iterator(chunk_size=1000):
            changes = field_codes(event.changes)
            if changes != event.changes:
                AuditEvent.objects.filter(pk=event.pk).update(changes=changes)
        consent_type = ContentType.objects.filter(app_label="sip", model="consent").first()
        if consent_type is not None:
            AuditEvent.objects.filter(content_type=consent_type).update(
                object_repr=Concat(Value(CONSENT_LABEL), F("object_id"))
            )


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0008_consent_document_has_type"),
        ("bus_portal", "0004_audit_subject_time_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        # The values removed are not kept anywhere: reversing leaves the rows as they are.
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
