from django.db import migrations

# The six starting categories (issue 5). Data, in Swedish; the secretariat maintains the list.
STARTING_CATEGORIES = [
    ("Oklart ansvar mellan huvudmän", 10),
    ("Remiss avvisad", 20),
    ("Väntetid", 30),
    ("SIP inte hållen eller inte följd", 40),
    ("Information inte delad", 50),
    ("Annat", 90),
]


def add_categories(apps, schema_editor):
    Category = apps.get_model("deviations", "Category")
    for name, position in STARTING_CATEGORIES:
        Category.objects.get_or_create(name=name, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("deviations", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
