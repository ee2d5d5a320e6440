from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from agreements.demo import seed_directory, seed_users
from bus_portal.registry import portal


class Command(BaseCommand):
    help = "Load the fictional demo county and demo users (safe to run again)."

    def handle(self, *args, **options):
        seed_directory()
        rows = seed_users()
        for seed in portal.ordered_demo_seeders():
            seed()
        self.stdout.write(self.style.SUCCESS(_("The demo county is loaded.")))
        self.stdout.write("")
        self.stdout.write(
            _("Demo logins (password for all: %(pw)s)") % {"pw": settings.DEMO_PASSWORD}
        )
        for username, name, role in rows:
            self.stdout.write(f"  {username:<12} {name:<20} {role}")
