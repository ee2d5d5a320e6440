from django.urls import reverse
from django.utils.translation import gettext as _

from bus_portal.registry import NavLink


def nav_links(user) -> list[NavLink]:
    """Everyone logged in reads the county's agreements and published minutes."""
    return [NavLink(reverse("agreements:overview"), _("Agreements"))]
