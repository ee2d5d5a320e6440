"""Every stored signed form has its checked type (filled in by 0007, in its own transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0007_consent_document_type"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="consent",
            constraint=models.CheckConstraint(
                condition=models.Q(document="") | ~models.Q(document_type=""),
                name="consent_document_has_type",
            ),
        ),
    ]
