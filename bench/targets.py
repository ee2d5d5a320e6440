"""What `make bench` measures: key pages per role and the PDFs. Resolved inside Django.

Each app's pages are added here as they exist; ``resolve()`` returns
``[{"label", "user", "path", "kind"}]`` with real object ids from the benchmark database.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse


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
    for provider in _app_providers():
        targets.extend(provider())
    return [t for t in targets if t]


def _app_providers():
    from importlib import import_module

    providers = []
    for app in ("agreements", "sip", "deviations", "followup"):
        try:
            module = import_module(f"{app}.bench_targets")
        except ModuleNotFoundError:
            continue
        providers.append(module.targets)
    return providers
