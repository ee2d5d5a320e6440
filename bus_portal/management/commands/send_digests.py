"""Send each user the messages that waited for their daily digest (one e-mail per user)."""

from django.core.management.base import BaseCommand

from bus_portal import outbox


class Command(BaseCommand):
    help = "E-mail each user the day's messages in one digest."

    def handle(self, *args, **options):
        count = outbox.send_digests()
        self.stdout.write(f"{count} digest(s) sent.")
