from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    active: bool = False


def portal(request):
    """Demo flag and the main menu, which each app fills through settings.BUS_NAV_PROVIDERS."""
    links: list[NavLink] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for path in settings.BUS_NAV_PROVIDERS:
            links.extend(import_string(path)(user))
    # Only the most specific link under which the current page lives is marked current.
    matches = [link for link in links if request.path.startswith(link.url)]
    if matches:
        current = max(matches, key=lambda link: len(link.url))
        links = [NavLink(link.url, link.label, active=link is current) for link in links]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav_links": links}
