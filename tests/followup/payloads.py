"""What a follow-up form shown on a page sends when saved (its values, hidden fields included)."""

from __future__ import annotations

from django.forms import BaseForm


def form_payload(form: BaseForm, **changes) -> dict:
    """The data ``form`` (as a page shows it) posts, with ``changes`` typed into it."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False or value == "" or value == []:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [getattr(v, "pk", v) for v in value]
        else:
            data[bound.html_name] = "on" if value is True else getattr(value, "pk", value)
    data.update(changes)
    return data


def page_payload(client, url: str, **changes) -> dict:
    """What the form on the page at ``url`` posts when opened now and saved with ``changes``."""
    return form_payload(client.get(url).context["form"], **changes)
