from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EidConfig(AppConfig):
    name = "eid"
    verbose_name = _("Sign-in")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from bus_portal.registry import portal
        from eid import signin_log
        from eid.audit import Purpose

        signin_log.connect()
        portal.register_audit_purposes(Purpose)
