"""The start page gathers panels from every app listed in settings.BUS_DASHBOARD_PANELS.

A provider is ``panels(request) -> list[Panel]``; it returns only what needs this user's attention.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def collect_panels(request) -> list[Panel]:
    panels: list[Panel] = []
    for path in settings.BUS_DASHBOARD_PANELS:
        panels.extend(import_string(path)(request))
    return sorted(panels, key=lambda p: p.order)
