"""One child per identity number: merge the children recorded twice, then a unique constraint.

Before, starting a SIP or a forum case for a child the portal already had created a second child
record (with its own guardians and no consents). For each identity number held by several records,
the oldest record stays; the plans and forum cases of the others move to it, their guardians fill
the positions it lacks (the rest are removed with the duplicate), and the audit rows about a
duplicate name the kept child, so the access log shows the child's whole history in one place.
The kept record's names are not changed. Reversing keeps the merged records merged.
"""

from django.db import migrations, models
from django.db.models import Count

from bus_portal.audit_migrations import rewritable_audit_rows


def subject(pk):
    return f"sip.child:{pk}"


def merge_duplicates(apps, schema_editor):
    Child = apps.get_model("sip", "Child")
    Guardian = apps.get_model("sip", "Guardian")
    Plan = apps.get_model("sip", "Plan")
    ForumCase = apps.get_model("sip", "ForumCase")
    AuditEvent = apps.get_model("bus_portal", "AuditEvent")
    numbers = (
        Child.objects.exclude(personal_number="")
        .values("personal_number")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("personal_number", flat=True)
    )
    with rewritable_audit_rows(schema_editor):
        for number in list(numbers):
            kept, *duplicates = Child.objects.filter(personal_number=number).order_by("id")
            for duplicate in duplicates:
                Plan.objects.filter(child=duplicate).update(child=kept)
                ForumCase.objects.filter(child=duplicate).update(child=kept)
                taken = set(Guardian.objects.filter(child=kept).values_list("position", flat=True))
                for guardian in Guardian.objects.filter(child=duplicate).order_by("position"):
                    if guardian.position not in taken:
                        Guardian.objects.filter(pk=guardian.pk).update(child=kept)
                        taken.add(guardian.position)
                AuditEvent.objects.filter(subject=subject(duplicate.pk)).update(
                    subject=subject(kept.pk)
                )
                Guardian.objects.filter(child=duplicate).delete()
                Child.objects.filter(pk=duplicate.pk).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sip", "0009_audit_rows_without_content"),
        ("bus_portal", "0007_form_submission"),
    ]

    operations = [
        migrations.RunPython(merge_duplicates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="child",
            constraint=models.UniqueConstraint(
                condition=models.Q(("personal_number", ""), _negated=True),
                fields=("personal_number",),
                name="child_unique_personal_number",
                violation_error_message="Another child in the portal has this personal identity number.",
            ),
        ),
    ]
