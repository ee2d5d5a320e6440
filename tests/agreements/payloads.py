"""What the agreements forms a page shows send when saved, for tests that post them."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterable

from django.db import connection
from django.test import Client


def _value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return getattr(value, "pk", value)


def form_payload(context, *, formsets: Iterable[str] = (), **changes) -> dict:
    """The page's form (and the formsets named in ``formsets``) as posted, with ``changes``."""
    data: dict = {}
    forms = [context["form"]]
    for name in formsets:
        forms.extend(context[name])
        for bound in context[name].management_form:
            data[bound.html_name] = bound.value()
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False or value == "" or value == []:
                continue
            if value is True:
                data[bound.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [_value(v) for v in value]
            else:
                data[bound.html_name] = _value(value)
    data.update(changes)
    return data


def post_in_parallel(requests: list[tuple[Client, str, dict]]) -> list[int]:
    """Send each (client, url, data) at the same moment, from its own thread and connection;
    the statuses in the order given. (As tests/sip/test_double_submits.py does for one form.)"""
    barrier = threading.Barrier(len(requests))
    statuses: list[int | None] = [None] * len(requests)
    errors: list[BaseException] = []

    def send(index: int, client: Client, url: str, data: dict) -> None:
        try:
            barrier.wait()
            statuses[index] = client.post(url, data).status_code
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assert
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return [s for s in statuses if s is not None]
