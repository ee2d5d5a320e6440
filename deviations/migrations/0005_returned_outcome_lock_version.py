"""Returned reports, an outcome for every closing, optimistic locking (issue 13).

* ``returned``: any open step can return a report to its reporter with a question;
  ``returned_from`` is the step it goes back to when the reporter resubmits it.
* ``lock_version``: the report's edit is refused over someone else's save (409).
* ``response`` is the outcome the reporter receives at any closing step; the constraint that it
  is written moves from the secretariat's closing to all three, in 0007, after 0006 has filled
  it in for the reports closed locally before.
* The notifications' kind ``identity_found``: the nightly check tells the secretariat.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('deviations', '0004_audit_purpose_codes'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='deviation',
            name='deviation_closed_has_response',
        ),
        migrations.AddField(
            model_name='deviation',
            name='lock_version',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='deviation',
            name='returned_from',
            field=models.CharField(blank=True, choices=[('draft', 'Draft'), ('with_manager', 'With the nearest manager'), ('resolved_locally', 'Resolved by the manager (closed)'), ('with_local_group', 'With the local BUS group / BUS individforum'), ('resolved_in_group', 'Resolved in the local BUS group (closed)'), ('with_bussam', 'Reported to BUSSAM, copy to the secretariat'), ('closed', 'Closed by the secretariat with a response'), ('returned', 'Returned to the reporter with a question')], max_length=20, verbose_name='returned from'),
        ),
        migrations.AlterField(
            model_name='deviation',
            name='response',
            field=models.TextField(blank=True, verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='deviation',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('with_manager', 'With the nearest manager'), ('resolved_locally', 'Resolved by the manager (closed)'), ('with_local_group', 'With the local BUS group / BUS individforum'), ('resolved_in_group', 'Resolved in the local BUS group (closed)'), ('with_bussam', 'Reported to BUSSAM, copy to the secretariat'), ('closed', 'Closed by the secretariat with a response'), ('returned', 'Returned to the reporter with a question')], default='draft', max_length=20, verbose_name='status'),
        ),
        migrations.AlterField(
            model_name='deviationstep',
            name='from_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('with_manager', 'With the nearest manager'), ('resolved_locally', 'Resolved by the manager (closed)'), ('with_local_group', 'With the local BUS group / BUS individforum'), ('resolved_in_group', 'Resolved in the local BUS group (closed)'), ('with_bussam', 'Reported to BUSSAM, copy to the secretariat'), ('closed', 'Closed by the secretariat with a response'), ('returned', 'Returned to the reporter with a question')], max_length=20, verbose_name='from'),
        ),
        migrations.AlterField(
            model_name='deviationstep',
            name='to_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('with_manager', 'With the nearest manager'), ('resolved_locally', 'Resolved by the manager (closed)'), ('with_local_group', 'With the local BUS group / BUS individforum'), ('resolved_in_group', 'Resolved in the local BUS group (closed)'), ('with_bussam', 'Reported to BUSSAM, copy to the secretariat'), ('closed', 'Closed by the secretariat with a response'), ('returned', 'Returned to the reporter with a question')], max_length=20, verbose_name='to'),
        ),
        migrations.AlterField(
            model_name='notification',
            name='kind',
            field=models.CharField(choices=[('step', 'Step on the ladder'), ('reminder', 'Reminder'), ('assigned', 'Assigned'), ('comment', 'Comment'), ('identity_found', 'Identity number found')], max_length=20, verbose_name='kind'),
        ),
    ]
