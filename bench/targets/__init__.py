"""What `make bench` measures: key pages per role and the PDFs. Resolved inside Django.

One module here per app (``bench/targets/<app>.py``, each with ``targets() -> list[dict]``);
``resolve()`` returns
``[{"label", "user", "path", "kind"}]`` with real object ids from the benchmark database.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from bench.targets import agreements, deviations, followup, sip


def _try(label: str, user: str, name: str, kind: str = "page", **kwargs) -> dict | None:
    try:
        return {
            "label": label,
            "user": user,
            "path": reverse(name, kwargs=kwargs or None),
            "kind": kind,
        }
    except NoReverseMatch:
        return None


def resolve() -> list[dict]:
    targets = [
        _try(f"Start page ({user})", user, "home")
        for user in ("officer", "officer2", "chief", "chair", "secretariat", "bussam")
    ]
    targets.append(_try("Access log (chief)", "chief", "access_log"))
    for app in (agreements, sip, deviations, followup):
        targets.extend(app.targets())
    return [t for t in targets if t]
