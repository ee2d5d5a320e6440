from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink


def nav_links(user) -> list[NavLink]:
    # One menu entry: the queue, statistics and categories are reached from the list page, so the
    # shared navbar stays short enough for every role.
    return [NavLink(reverse("deviations:list"), _("Deviations"))]
