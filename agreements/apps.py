from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Agreements and directory")

    def ready(self) -> None:
        from agreements import dashboard, demo, inbox, navigation, scale, services
        from agreements.audit import Purpose
        from bus_portal.registry import portal

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=20)
        portal.register_audit_purposes(Purpose)
        portal.register_demo_seeder(demo.seed, order=10)
        portal.register_scale_seeder(scale.seed, order=10)
        portal.register_inbox_items(inbox.items)
        portal.register_daily_job(services.daily_job, order=20)
