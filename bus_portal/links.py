"""Absolute links for messages that leave the portal (e-mail), from settings.SITE_URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, **kwargs) -> str:
    """``reverse(viewname, kwargs=kwargs)`` prefixed with SITE_URL (relative if it is not set)."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, kwargs=kwargs or None)
