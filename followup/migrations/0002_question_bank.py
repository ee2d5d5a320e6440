from django.db import migrations


def load_question_bank(apps, schema_editor):
    # A fresh install must ship with the 2014 questionnaire; the constant data lives in one place.
    from followup.question_bank import ensure_question_bank

    ensure_question_bank(apps.get_model("followup", "Question"))


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(load_question_bank, migrations.RunPython.noop)]
