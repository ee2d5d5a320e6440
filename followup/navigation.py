from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.context_processors import NavLink
from bus_portal.roles import COUNTY_ROLES, Role
from followup.models import contact_group_ids, steering_group_ids


def nav_links(user) -> list[NavLink]:
    links = []
    if user.has_role(Role.SECRETARIAT):
        links.append(NavLink(reverse("followup:survey_list"), _("Surveys")))
    if contact_group_ids(user):
        links.append(NavLink(reverse("followup:my_surveys"), _("County survey")))
    if user.has_role(*COUNTY_ROLES):
        links.append(NavLink(reverse("followup:county_dashboard"), _("County follow-up")))
    if user.has_role(*COUNTY_ROLES) or steering_group_ids(user):
        links.append(NavLink(reverse("followup:indicator_list"), _("Local indicators")))
    return links
