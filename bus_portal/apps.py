from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusPortalConfig(AppConfig):
    name = "bus_portal"
    verbose_name = _("BUS-portalen")

    def ready(self):
        from bus_portal import checks, lookups  # noqa: F401 - checks register on import

        lookups.register()
