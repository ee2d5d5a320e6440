"""The roles a user holds through a unit membership. Shared by every app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", _("Case officer")
    UNIT_CHIEF = "unit_chief", _("Unit chief")
    STEERING_CHAIR = "steering_chair", _("Steering-group chair")
    STEERING_MEMBER = "steering_member", _("Steering-group member")
    WORKING_GROUP_MEMBER = "working_group_member", _("Working-group member")
    SECRETARIAT = "secretariat", _("BUS secretariat")
    BUSSAM = "bussam", _("BUSSAM member")
    ADMIN = "admin", _("Administrator")


# The role groups, defined once. Views declare them as ``required_roles``.

#: County-level roles see aggregates only, never a child's personal data.
COUNTY_ROLES = (Role.SECRETARIAT, Role.BUSSAM)
#: Staff who draft plans and run forum cases: the only roles that see a child's data.
SIP_ROLES = (Role.CASE_OFFICER, Role.UNIT_CHIEF)
#: Members of a local steering group.
STEERING_ROLES = (Role.STEERING_CHAIR, Role.STEERING_MEMBER)
#: Everyone in a local BUS group (steering and working group).
LOCAL_GROUP_ROLES = (*STEERING_ROLES, Role.WORKING_GROUP_MEMBER)
