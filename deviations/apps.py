from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeviationsConfig(AppConfig):
    name = "deviations"
    verbose_name = _("Deviations")

    def ready(self) -> None:
        from bus_portal.registry import portal
        from deviations import agenda, dashboard, demo, inbox, navigation, redaction, scale
        from deviations.audit import Purpose
        from deviations.services import send_reminders

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=40)
        portal.register_agenda_suggestions(agenda.agenda_suggestions)
        portal.register_audit_purposes(Purpose)
        portal.register_demo_seeder(demo.seed, order=30)
        portal.register_scale_seeder(scale.seed, order=30)
        portal.register_inbox_items(inbox.items)
        # Reminders of reports waiting 14 days at a step, and the nightly identity-number check.
        portal.register_daily_job(send_reminders, order=30)
        portal.register_daily_job(redaction.nightly_check, order=31)
