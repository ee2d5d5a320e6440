from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str

    @property
    def prefix_len(self) -> str:
        return f":{len(self.url)}"


def portal(request):
    """Demo flag and the main menu, which each app fills through settings.BUS_NAV_PROVIDERS."""
    links: list[NavLink] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for path in settings.BUS_NAV_PROVIDERS:
            links.extend(import_string(path)(user))
    return {"DEMO_MODE": settings.DEMO_MODE, "nav_links": links}
