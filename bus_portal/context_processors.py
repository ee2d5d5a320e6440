from django.conf import settings

from bus_portal import inbox
from bus_portal.registry import NavLink, portal


def portal_context(request):
    """Demo flag, the main menu (each app fills it through ``portal.register_nav_links``) and the
    number of the user's open items (``bus_portal.inbox``), counted only when a page shows it."""
    links: list[NavLink] = []
    inbox_count = None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        links = portal.nav_links(user)
        inbox_count = inbox.lazy_count(request)
    # Only the most specific link under which the current page lives is marked current.
    matches = [link for link in links if request.path.startswith(link.url)]
    if matches:
        current = max(matches, key=lambda link: len(link.url))
        links = [NavLink(link.url, link.label, active=link is current) for link in links]
    return {"DEMO_MODE": settings.DEMO_MODE, "nav_links": links, "inbox_count": inbox_count}
