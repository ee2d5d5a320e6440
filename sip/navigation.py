from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink
from bus_portal.roles import Role


def nav_links(user) -> list[NavLink]:
    links = []
    if user.has_role(Role.CASE_OFFICER, Role.UNIT_CHIEF):
        links.append(NavLink(reverse("sip:plan_list"), _("SIP")))
        links.append(NavLink(reverse("sip:forum_list"), _("Individforum")))
    return links
