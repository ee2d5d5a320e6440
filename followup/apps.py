from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from bus_portal.registry import portal
        from followup import dashboard, demo, inbox, navigation, scale
        from followup.audit import Purpose
        from followup.models import SurveyContact

        portal.register_audit_purposes(Purpose)
        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=30)
        portal.register_demo_seeder(demo.seed, order=40)
        portal.register_scale_seeder(scale.seed, order=40)
        portal.register_inbox_items(inbox.items)

        # The menu remembers whether a user is a survey contact person (followup.navigation).
        post_save.connect(
            navigation.forget_contact_link, sender=SurveyContact, dispatch_uid="followup-nav-save"
        )
        post_delete.connect(
            navigation.forget_contact_link, sender=SurveyContact, dispatch_uid="followup-nav-delete"
        )
