"""System checks of the portal's own settings."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Warning(
            "SITE_URL is not an https:// address, so links in e-mails are relative or insecure.",
            hint="Set SITE_URL to the portal's public address, e.g. https://bus-portalen.example.",
            id="bus_portal.W001",
        )
    ]
