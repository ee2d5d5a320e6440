from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from followup.models import SurveyContact
        from followup.navigation import forget_contact_link

        # The menu remembers whether a user is a survey contact person (followup.navigation).
        post_save.connect(
            forget_contact_link, sender=SurveyContact, dispatch_uid="followup-nav-save"
        )
        post_delete.connect(
            forget_contact_link, sender=SurveyContact, dispatch_uid="followup-nav-delete"
        )
