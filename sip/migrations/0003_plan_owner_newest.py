from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0002_scale_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="plan",
            index=models.Index(
                fields=["owner_unit", "-created_at", "-id"], name="sip_plan_owner_newest"
            ),
        ),
    ]
