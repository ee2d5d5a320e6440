"""The portal's daily run: every app's reminders, then the digests.

Run once a day (cron or a systemd timer, see docs/deployment.md); every job is idempotent, so a
second run the same day sends nothing twice.
"""

from django.core.management.base import BaseCommand

from bus_portal import outbox
from bus_portal.registry import portal


class Command(BaseCommand):
    help = "Run the daily reminders of every app, retry failed e-mails and send the digests."

    def handle(self, *args, **options):
        for job in portal.ordered_daily_jobs():
            done = job()
            self.stdout.write(f"{job.__module__}.{job.__qualname__}: {done}")
        self.stdout.write(f"retried e-mails: {outbox.retry_failed()}")
        self.stdout.write(f"digests: {outbox.send_digests()}")
