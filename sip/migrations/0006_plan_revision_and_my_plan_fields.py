"""A plan's revision in progress (``Plan.in_revision``) and the child-language fields of "Min plan".

While ``in_revision`` is set the working copy is the draft of the next version and the latest
version stays in force. Versions saved before this migration keep their snapshots as they are;
``PlanVersion.compare`` and ``PlanContent`` read both shapes.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sip', '0005_audit_purpose_codes'),
    ]

    operations = [
        migrations.AddField(
            model_name='plan',
            name='in_revision',
            field=models.BooleanField(default=False, verbose_name='revision in progress'),
        ),
        migrations.AddField(
            model_name='plan',
            name='my_plan_what',
            field=models.TextField(blank=True, verbose_name="what we will do (in the child's words)"),
        ),
        migrations.AddField(
            model_name='plan',
            name='my_plan_when',
            field=models.TextField(blank=True, verbose_name="when we meet (in the child's words)"),
        ),
        migrations.AddField(
            model_name='plan',
            name='my_plan_who',
            field=models.TextField(blank=True, verbose_name="who helps me (in the child's words)"),
        ),
        migrations.AddConstraint(
            model_name='plan',
            constraint=models.CheckConstraint(condition=models.Q(('in_revision', False), models.Q(('status', 'draft'), _negated=True), _connector='OR'), name='plan_revision_only_after_agreement'),
        ),
    ]
