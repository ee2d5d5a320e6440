from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements and directory")

    def ready(self):
        from agreements import dashboard, demo_agreements, navigation, scale
        from bus_portal.registry import portal

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=20)
        portal.register_demo_seeder(demo_agreements.seed, order=10)
        portal.register_scale_seeder(scale.seed, order=10)
