"""What `make bench` measures: key pages per role and the PDFs. Resolved inside Django.

One module here per app (``bench/targets/<app>.py``, each with ``targets() -> list[dict]`` built
with ``target()``); ``resolve()`` returns ``[{"label", "user", "path", "kind"}]`` (and
``budget_ms`` where a target has its own budget) with real object ids from the benchmark database.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def target(label: str, user: str, name: str, kind: str = "page", **kwargs: Any) -> dict:
    """One page (or PDF) to measure: the URL ``name`` with ``kwargs``, requested as ``user``.

    A target with its own time budget adds ``"budget_ms"`` to the row.
    """
    path = reverse(name, kwargs=kwargs or None)
    return {"label": label, "user": user, "path": path, "kind": kind}


def _try(label: str, user: str, name: str, kind: str = "page", **kwargs: Any) -> dict | None:
    try:
        return target(label, user, name, kind, **kwargs)
    except NoReverseMatch:
        return None


def resolve() -> list[dict]:
    # Imported here: the app modules import ``target`` from this package.
    from bench.targets import agreements, deviations, followup, sip

    targets = [
        _try(f"Start page ({user})", user, "home")
        for user in ("officer", "officer2", "chief", "chair", "secretariat", "bussam")
    ]
    targets.append(_try("Access log (chief)", "chief", "access_log"))
    for app in (agreements, sip, deviations, followup):
        targets.extend(app.targets())
    return [t for t in targets if t]
