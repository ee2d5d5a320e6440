import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UsedAssertion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("assertion_id", models.CharField(max_length=200, unique=True)),
                ("issuer", models.CharField(max_length=200)),
                ("used_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.CreateModel(
            name="SignInEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="time")),
                ("username", models.CharField(blank=True, max_length=150, verbose_name="username or HSA-id")),
                ("method", models.CharField(max_length=40, verbose_name="method")),
                ("succeeded", models.BooleanField(verbose_name="succeeded")),
                ("reason", models.CharField(blank=True, max_length=40, verbose_name="reason")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "sign-in",
                "verbose_name_plural": "sign-in log",
                "ordering": ["-at", "-id"],
            },
        ),
    ]
