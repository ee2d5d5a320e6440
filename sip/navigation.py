from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink
from bus_portal.roles import SIP_ROLES


def nav_links(user) -> list[NavLink]:
    links = []
    if user.has_role(*SIP_ROLES):
        links.append(NavLink(reverse("sip:plan_list"), _("SIP")))
        links.append(NavLink(reverse("sip:forum_list"), _("Individforum")))
    return links
