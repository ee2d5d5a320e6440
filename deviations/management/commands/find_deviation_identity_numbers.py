"""The nightly check for identity numbers stored in deviation reports.

Run it every night (cron or a systemd timer), after the forms' de-identification has changed or
to find what was stored before it refused a way of writing a number::

    manage.py find_deviation_identity_numbers            # list and tell the secretariat
    manage.py find_deviation_identity_numbers --no-notify  # only list

It reads every stored text of every report (fields, steps' comments, comments, notifications)
with ``deviations.deidentify`` and prints one line per report that holds an identity number: the
report's number and the texts, never the number itself. Unless ``--no-notify`` is given, the
secretariat is notified of each such report (at most once a week per report) with a link to the
report's redaction page, where it removes the number (``deviations.redaction``). Exit status 0
either way; the last line says how many reports were found.
"""

from django.core.management.base import BaseCommand

from deviations import redaction


class Command(BaseCommand):
    help = (
        "List the deviation reports that hold an identity number in a stored text (report and "
        "texts, never the number) and notify the secretariat. Run nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-notify",
            action="store_true",
            help="Only list the reports; do not notify the secretariat.",
        )

    def handle(self, *args, **options):
        count = 0
        for deviation, codes in redaction.stored_identity_numbers():
            count += 1
            self.stdout.write(f"{deviation.reference}: {', '.join(codes)}")
            if not options["no_notify"]:
                redaction.tell_the_secretariat(deviation, codes)
        self.stdout.write(f"{count} report(s) with an identity number.")
