"""Answer codes become rows (one code once per question, enforced by the database), surveys and
responses get lock versions, an uploaded file can wait for its preview to be confirmed, and
survey years, question order and manual figures must be plausible.

A manual figure outside its indicator's range stops the migration with the rows to correct: the
value is a typing error that only the steering group can replace with the right one.
"""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# As in followup.models.INDICATOR_RANGES when this migration was written.
RANGES = {
    "forum_cases": (0, 10_000),
    "forum_escalated": (0, 10_000),
    "deviations": (0, 100_000),
    "sips_new": (0, 100_000),
    "sips_active": (0, 100_000),
    "sips_followed_up": (0, 100_000),
}


def options_to_rows(apps, schema_editor):
    Question = apps.get_model("followup", "Question")
    AnswerOption = apps.get_model("followup", "AnswerOption")
    rows = []
    for question in Question.objects.order_by("pk"):
        labels = question.option_labels or {}
        # A code listed twice meant the same answer: keep its first place.
        for position, code in enumerate(dict.fromkeys(question.options or [])):
            rows.append(
                AnswerOption(
                    question=question,
                    code=code,
                    label=str(labels.get(code, ""))[:200],
                    position=position,
                )
            )
    AnswerOption.objects.bulk_create(rows)


def rows_to_options(apps, schema_editor):
    Question = apps.get_model("followup", "Question")
    AnswerOption = apps.get_model("followup", "AnswerOption")
    for question in Question.objects.order_by("pk"):
        options = list(
            AnswerOption.objects.filter(question=question).order_by("position", "pk")
        )
        question.options = [o.code for o in options]
        question.option_labels = {o.code: o.label for o in options if o.label}
        question.save(update_fields=["options", "option_labels"])


def load_question_bank(apps, schema_editor):
    # A fresh install ships with the 2014 questionnaire; the constant data lives in one place.
    from followup.question_bank import ensure_question_bank

    ensure_question_bank(
        apps.get_model("followup", "Question"), apps.get_model("followup", "AnswerOption")
    )


def refuse_implausible_figures(apps, schema_editor):
    ManualFigure = apps.get_model("followup", "ManualFigure")
    bad = []
    for figure in ManualFigure.objects.select_related("indicator_year__group").order_by("pk"):
        low, high = RANGES.get(figure.indicator, (0, 100_000))
        if not low <= figure.value <= high:
            year = figure.indicator_year
            bad.append(
                f"ManualFigure {figure.pk}: {year.group.name} {year.year} "
                f"{figure.indicator} = {figure.value} (allowed {low}-{high})"
            )
    if bad:
        raise RuntimeError(
            "Manual figures outside their plausible range; correct them (Django admin, "
            "Manual figures) and migrate again:\n" + "\n".join(bad)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0007_local_group_validity"),
        ("followup", "0003_audit_purpose_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AnswerOption",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("code", models.SlugField(verbose_name="answer code")),
                ("label", models.CharField(blank=True, max_length=200, verbose_name="label")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "question",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answer_options",
                        to="followup.question",
                    ),
                ),
            ],
            options={
                "verbose_name": "answer code",
                "verbose_name_plural": "answer codes",
                "ordering": ["question", "position", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("question", "code"),
                        name="answeroption_unique_code",
                        violation_error_message="Each answer code can be used once per question.",
                    )
                ],
            },
        ),
        migrations.RunPython(options_to_rows, rows_to_options),
        migrations.RemoveField(model_name="question", name="option_labels"),
        migrations.RemoveField(model_name="question", name="options"),
        migrations.RunPython(load_question_bank, migrations.RunPython.noop),
        migrations.CreateModel(
            name="ImportPreview",
            fields=[
                (
                    "token",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("filename", models.CharField(blank=True, max_length=255)),
                ("content", models.TextField(blank=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="followup.survey",
                    ),
                ),
            ],
            options={
                "verbose_name": "import preview",
                "verbose_name_plural": "import previews",
                "ordering": ["-created_at"],
            },
        ),
        migrations.AddField(
            model_name="response",
            name="lock_version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="survey",
            name="commentary_version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="survey",
            name="lock_version",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="survey",
            name="opens_on",
            field=models.DateField(
                blank=True,
                help_text="When the secretariat plans to open the survey and invite the groups.",
                null=True,
                verbose_name="planned opening",
            ),
        ),
        migrations.RemoveConstraint(model_name="survey", name="survey_year_plausible"),
        migrations.AddConstraint(
            model_name="survey",
            constraint=models.CheckConstraint(
                condition=models.Q(("year__gte", 2000), ("year__lte", 2100)),
                name="survey_year_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="question",
            constraint=models.CheckConstraint(
                condition=models.Q(("order__lte", 100000)), name="question_order_plausible"
            ),
        ),
        migrations.RunPython(refuse_implausible_figures, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="manualfigure",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("indicator", "forum_cases"), ("value__gte", 0), ("value__lte", 10000)
                    ),
                    models.Q(
                        ("indicator", "forum_escalated"), ("value__gte", 0), ("value__lte", 10000)
                    ),
                    models.Q(
                        ("indicator", "deviations"), ("value__gte", 0), ("value__lte", 100000)
                    ),
                    models.Q(("indicator", "sips_new"), ("value__gte", 0), ("value__lte", 100000)),
                    models.Q(
                        ("indicator", "sips_active"), ("value__gte", 0), ("value__lte", 100000)
                    ),
                    models.Q(
                        ("indicator", "sips_followed_up"), ("value__gte", 0), ("value__lte", 100000)
                    ),
                    _connector="OR",
                ),
                name="manualfigure_value_plausible",
                violation_error_message="The figure is outside the indicator's plausible range.",
            ),
        ),
    ]
