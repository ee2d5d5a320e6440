from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink
from bus_portal.roles import Role


def nav_links(user) -> list[NavLink]:
    links = []
    if user.has_role(Role.UNIT_CHIEF):
        links.append(NavLink(reverse("access_log"), _("Access log")))
    if user.is_staff:
        links.append(NavLink(reverse("admin:index"), _("Administration")))
    return links
