"""The checked content type of a consent's signed form (issue 12, uploads).

Forms stored before this migration get the type their first bytes show; a file that is not a
PDF, JPEG or PNG, or is gone from storage, is served as ``application/octet-stream``.
"""

from django.db import migrations, models

# As bus_portal.uploads at the time of writing; a migration keeps its own copy.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
UNKNOWN = "application/octet-stream"


def _sniff(field_file):
    try:
        with field_file.open("rb") as handle:
            head = handle.read(16)
    except OSError:
        return UNKNOWN
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return UNKNOWN


def set_document_types(apps, schema_editor):
    Consent = apps.get_model("sip", "Consent")
    for consent in Consent.objects.exclude(document="").only("document").iterator():
        Consent.objects.filter(pk=consent.pk).update(document_type=_sniff(consent.document))


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0006_plan_revision_and_my_plan_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="consent",
            name="document_type",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=100,
                verbose_name="type of the signed form",
            ),
        ),
        migrations.RunPython(set_document_types, migrations.RunPython.noop),
    ]
