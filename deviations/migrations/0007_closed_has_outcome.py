"""Every closed report has an outcome (filled in by 0006 for earlier ones); a returned report
knows the step it goes back to."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deviations', '0006_outcomes_and_audit_without_content'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='deviation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ('resolved_locally', 'resolved_in_group', 'closed')), _negated=True), models.Q(('response', ''), _negated=True), _connector='OR'), name='deviation_closed_has_outcome'),
        ),
        migrations.AddConstraint(
            model_name='deviation',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'returned'), _negated=True), models.Q(('returned_from', ''), _negated=True), _connector='OR'), name='deviation_returned_has_step'),
        ),
    ]
