from django.db import migrations

# The 2014 questionnaire used to be loaded here; since its answer codes became rows of their own
# (0004_answer_options), 0004 loads it, so that a fresh install and an upgraded one end alike.


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
