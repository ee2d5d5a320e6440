from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusPortalConfig(AppConfig):
    name = "bus_portal"
    verbose_name = _("BUS-portalen")

    def ready(self):
        from bus_portal import checks, housekeeping, lookups, navigation  # noqa: F401 - checks
        from bus_portal.registry import portal

        lookups.register()
        portal.register_nav_links(navigation.nav_links, order=10)
        portal.register_daily_job(housekeeping.prune, order=90)
