"""The roles a user holds through a unit membership. Shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", _("Handläggare")
    UNIT_CHIEF = "unit_chief", _("Enhetschef")
    STEERING_CHAIR = "steering_chair", _("Ordförande i lokal styrgrupp")
    STEERING_MEMBER = "steering_member", _("Ledamot i lokal styrgrupp")
    WORKING_GROUP_MEMBER = "working_group_member", _("Ledamot i arbetsgrupp")
    SECRETARIAT = "secretariat", _("BUS-sekretariatet")
    BUSSAM = "bussam", _("BUSSAM-ledamot")
    ADMIN = "admin", _("Administratör")


# County-level roles see aggregates only, never a child's personal data.
COUNTY_ROLES = frozenset({Role.SECRETARIAT, Role.BUSSAM})
