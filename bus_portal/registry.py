"""The portal's extension points: how the apps feed the core without the core importing them.

``bus_portal`` never imports an app, yet its start page shows every app's panels, its menu every
app's links, and the meeting agenda in ``agreements`` shows escalated cases from ``sip``. Each app
registers what it offers in its ``AppConfig.ready()``, as ``django.contrib.admin`` apps register
their models with ``admin.site``::

    # sip/apps.py
    def ready(self):
        from bus_portal.registry import portal
        from sip import dashboard, navigation

        portal.register_dashboard_panels(dashboard.panels)
        portal.register_nav_links(navigation.nav_links, order=50)

and the core asks ``portal`` (``portal.dashboard_panels(request)``, ``portal.nav_links(user)`` …).

| register_…            | the function                                 | used by                        |
|-----------------------|----------------------------------------------|--------------------------------|
| dashboard_panels      | ``panels(request) -> list[Panel]``           | the start page                 |
| nav_links             | ``nav_links(user) -> list[NavLink]``         | the main menu                  |
| audit_subjects        | ``subjects(unit_ids) -> Iterable[str]``      | the unit chief's access log    |
| subject_search        | ``search(term) -> set[str]``                 | the access log's child filter  |
| agenda_suggestions    | ``suggest(local_group) -> list[AgendaSuggestion]`` | a meeting's agenda       |
| audit_purposes        | a ``TextChoices`` of purpose codes           | labels in the access log       |
| demo_seeder           | ``seed() -> None`` (idempotent)              | ``manage.py seed_demo``        |
| scale_seeder          | ``seed(ctx: ScaleContext) -> dict[str, int]`` | ``manage.py seed_scale``      |
| inbox_items           | ``items(user) -> Iterable[InboxItem]``       | "Att göra", start page, menu   |
| daily_job             | ``job() -> int`` (idempotent)                | ``manage.py run_daily``        |

A panel provider builds its panels with ``panels_with_rows()``: one per list that has rows.

Functions with an ``order`` run (or show) in ascending order; equal orders keep registration order,
which follows ``INSTALLED_APPS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import HttpRequest

if TYPE_CHECKING:
    from bus_portal.inbox import InboxItem
    from bus_portal.scale import ScaleContext


@dataclass
class Panel:
    """A box on the start page: what needs this user's attention."""

    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str
    active: bool = False


@dataclass(frozen=True)
class AgendaSuggestion:
    """An item another app asks to put on a body's next agenda. No personal data in the text."""

    title: str
    detail: str = ""
    url: str = ""
    source: str = ""  # e.g. "sip.forumcase:12", so the same item is not added twice


def panels_with_rows(
    folder: str, panels: Iterable[tuple[str, str, Sequence[Any], int]], **context: Any
) -> list[Panel]:
    """A provider's panels: one per ``(title, template, rows, order)`` whose rows are not empty.

    The template is ``<folder>/<template>.html`` and lists ``panel.context.rows``; ``context``
    (``today``, ``year`` …) is added to every panel's, so a user with nothing waiting gets ``[]``.
    """
    return [
        Panel(
            title=title,
            template=f"{folder}/{template}.html",
            context={"rows": rows, **context},
            order=order,
        )
        for title, template, rows, order in panels
        if rows
    ]


PanelProvider = Callable[[HttpRequest], list[Panel]]
NavProvider = Callable[[Any], list[NavLink]]
SubjectProvider = Callable[[Iterable[int]], Iterable[str]]
SubjectSearch = Callable[[str], set[str]]
AgendaProvider = Callable[[Any], list[AgendaSuggestion]]
DemoSeeder = Callable[[], object]
ScaleSeeder = Callable[["ScaleContext"], dict[str, int]]
InboxProvider = Callable[[Any], Iterable["InboxItem"]]
DailyJob = Callable[[], int]


class Registry:
    """What the apps have registered. One instance, ``portal``."""

    def __init__(self) -> None:
        self.panel_providers: list[PanelProvider] = []
        self.nav_providers: list[tuple[int, NavProvider]] = []
        self.subject_providers: list[SubjectProvider] = []
        self.subject_searches: list[SubjectSearch] = []
        self.agenda_providers: list[AgendaProvider] = []
        self.demo_seeders: list[tuple[int, DemoSeeder]] = []
        self.scale_seeders: list[tuple[int, ScaleSeeder]] = []
        self.purposes: dict[str, str] = {}
        self.inbox_providers: list[InboxProvider] = []
        self.daily_jobs: list[tuple[int, DailyJob]] = []

    # Registration, from AppConfig.ready() ----------------------------------------------------

    def register_dashboard_panels(self, provider: PanelProvider) -> None:
        _add(self.panel_providers, provider)

    def register_nav_links(self, provider: NavProvider, *, order: int = 50) -> None:
        _add_ordered(self.nav_providers, provider, order)

    def register_audit_subjects(self, provider: SubjectProvider) -> None:
        _add(self.subject_providers, provider)

    def register_subject_search(self, search: SubjectSearch) -> None:
        """``search(term)``: the audit subjects a typed identity number or record number names."""
        _add(self.subject_searches, search)

    def register_agenda_suggestions(self, provider: AgendaProvider) -> None:
        _add(self.agenda_providers, provider)

    def register_audit_purposes(self, choices: type[models.TextChoices]) -> None:
        """Purpose codes stored in ``AuditEvent.purpose`` and their labels, translated when shown."""
        self.purposes.update(choices.choices)

    def register_demo_seeder(self, seeder: DemoSeeder, *, order: int = 50) -> None:
        _add_ordered(self.demo_seeders, seeder, order)

    def register_scale_seeder(self, seeder: ScaleSeeder, *, order: int = 50) -> None:
        _add_ordered(self.scale_seeders, seeder, order)

    def register_inbox_items(self, provider: InboxProvider) -> None:
        """``provider(user)``: this user's open actions (see ``bus_portal.inbox``)."""
        _add(self.inbox_providers, provider)

    def register_daily_job(self, job: DailyJob, *, order: int = 50) -> None:
        """``job()`` runs once a day from ``manage.py run_daily`` and returns what it did."""
        _add_ordered(self.daily_jobs, job, order)

    # Use, from the core ------------------------------------------------------------------------

    def dashboard_panels(self, request: HttpRequest) -> list[Panel]:
        panels = [panel for provider in self.panel_providers for panel in provider(request)]
        return sorted(panels, key=lambda panel: panel.order)

    def nav_links(self, user: Any) -> list[NavLink]:
        return [link for _, provider in _sorted(self.nav_providers) for link in provider(user)]

    def audit_subjects(self, unit_ids: Iterable[int]) -> set[str]:
        unit_ids = list(unit_ids)
        return {subject for provider in self.subject_providers for subject in provider(unit_ids)}

    def subjects_named(self, term: str) -> set[str]:
        return {subject for search in self.subject_searches for subject in search(term)}

    def agenda_suggestions(self, local_group: Any) -> list[AgendaSuggestion]:
        return [item for provider in self.agenda_providers for item in provider(local_group)]

    def purpose_label(self, code: str) -> str:
        """The label of a stored purpose code in the reader's language (the code if unknown)."""
        return str(self.purposes.get(code, code))

    def ordered_demo_seeders(self) -> list[DemoSeeder]:
        return [seeder for _, seeder in _sorted(self.demo_seeders)]

    def inbox_items(self, user: Any) -> list[InboxItem]:
        return [item for provider in self.inbox_providers for item in provider(user)]

    def ordered_daily_jobs(self) -> list[DailyJob]:
        return [job for _, job in _sorted(self.daily_jobs)]

    def ordered_scale_seeders(self) -> list[ScaleSeeder]:
        return [seeder for _, seeder in _sorted(self.scale_seeders)]


def _add(providers: list, provider: Callable) -> None:
    # ready() may run twice in tests that reload apps; register each function once.
    if provider not in providers:
        providers.append(provider)


def _add_ordered(providers: list, provider: Callable, order: int) -> None:
    if all(existing is not provider for _, existing in providers):
        providers.append((order, provider))


def _sorted(providers: list[tuple[int, Callable]]) -> list[tuple[int, Callable]]:
    return sorted(providers, key=lambda pair: pair[0])


portal = Registry()
