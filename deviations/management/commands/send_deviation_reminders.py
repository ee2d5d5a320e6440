from django.core.management.base import BaseCommand

from deviations.services import send_reminders


class Command(BaseCommand):
    help = (
        "Remind whoever must act on deviation reports waiting more than 14 days at a step "
        "(at most once per report and step every 7 days). Run daily, e.g. from cron."
    )

    def handle(self, *args, **options):
        count = send_reminders()
        self.stdout.write(f"{count}")
