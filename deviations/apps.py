from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Deviations")

    def ready(self) -> None:
        from bus_portal.registry import portal
        from deviations import agenda, dashboard, demo, navigation, scale
        from deviations.audit import Purpose

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=40)
        portal.register_agenda_suggestions(agenda.agenda_suggestions)
        portal.register_audit_purposes(Purpose)
        portal.register_demo_seeder(demo.seed, order=30)
        portal.register_scale_seeder(scale.seed, order=30)
