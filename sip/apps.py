from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SipConfig(AppConfig):
    name = "sip"
    verbose_name = _("SIP and individforum")

    def ready(self) -> None:
        from bus_portal.registry import portal
        from sip import access, dashboard, demo, hooks, inbox, navigation, reminders, scale
        from sip.audit import Purpose

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=50)
        portal.register_audit_subjects(access.audit_subjects_for_units)
        portal.register_subject_search(access.subjects_named)
        portal.register_audit_purposes(Purpose)
        portal.register_agenda_suggestions(hooks.escalated_cases_for_agenda)
        portal.register_demo_seeder(demo.seed, order=20)
        portal.register_scale_seeder(scale.seed, order=20)
        portal.register_inbox_items(inbox.items)
        portal.register_daily_job(reminders.send_reminders)
