"""Every sip URL, as found by the resolver: one audit row per request that shows a child's data,
and one "denied" row with the status per refusal.

The URLs are read from sip's URL resolver, not from a list here: a URL added to sip is walked
as soon as it exists, and fails until ``tests/sip/routes.py`` gives it kwargs and each request to
it writes its row. Only the pages below that show no child's data are allowed to write none.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from bus_portal.models import AuditAction, AuditEvent
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, OVERDUE_CHILD
from sip.models import Consent, ForumCase, Plan
from tests.conftest import client_for, demo_user
from tests.permissions import ALL_USERS, Route
from tests.sip.routes import ROUTES

pytestmark = pytest.mark.django_db

ROUTE = {route.name: route for route in ROUTES}
# Pages that show no child's data: the empty forms that start a plan or a case, and the list of
# forum cases (numbers, dates and units; no names).
NO_CHILD_DATA = {"sip:plan_create", "sip:forum_create", "sip:forum_list"}
# The SIP list shows children's names: one list read per child shown, written by the view.
LISTS = {"sip:plan_list"}
# Who is asked first when several users may open a page.
PREFERENCE = ["officer", "officer2", "chief", "outsider", "chair", "secretariat", "bussam", "admin"]


def _walk(patterns: list[URLPattern | URLResolver], kwargs: frozenset[str] = frozenset()):
    """(name, the names of its URL's kwargs, its view) of each pattern, included ones too."""
    for pattern in patterns:
        names = kwargs | set(pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, names)
        elif pattern.name:
            yield f"sip:{pattern.name}", names, pattern.callback


def sip_urls() -> list[tuple[str, frozenset[str], object]]:
    _prefix, resolver = get_resolver().namespace_dict["sip"]
    return sorted(_walk(resolver.url_patterns), key=lambda url: url[0])


def sip_url_names() -> list[str]:
    return [name for name, _kwargs, _view in sip_urls()]


def refused_requests() -> list[tuple[str, str]]:
    """(URL name, user) for every user who is not allowed on a sip URL."""
    return [
        (name, user)
        for name in sip_url_names()
        if name in ROUTE
        for user in sorted(ALL_USERS - ROUTE[name].allowed)
    ]


def _route(name: str) -> Route:
    assert name in ROUTE, f"Add {name} to tests/sip/routes.py"
    return ROUTE[name]


def _last_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _get(username: str, url: str) -> tuple[int, list[AuditEvent]]:
    since = _last_id()
    response = client_for(username).get(url)
    return response.status_code, list(AuditEvent.objects.filter(id__gt=since).order_by("id"))


def _record(url: str, kwargs: dict) -> Plan | ForumCase | Consent | None:
    """The record a URL's ``pk`` names: the model its group declares in sip/urls.py."""
    about = getattr(resolve(url).func, "audit_about", None)
    assert about is not None, f"{url} is not wrapped by sip.auditing.audited_views"
    return about.objects.get(pk=kwargs["pk"]) if "pk" in kwargs else None


def test_the_walk_finds_every_kind_of_sip_page():
    names = sip_url_names()
    assert {"sip:plan_detail", "sip:plan_edit", "sip:consent_withdraw", "sip:forum_close"} <= set(
        names
    )
    assert len(names) >= 20


@pytest.mark.parametrize("name", sip_url_names())
def test_an_allowed_user_leaves_one_row_per_page_that_shows_child_data(name):
    route = _route(name)
    kwargs = route.kwargs()
    url = reverse(name, kwargs=kwargs)
    username = next(user for user in PREFERENCE if user in route.allowed)
    status, rows = _get(username, url)
    assert status == 200
    record = _record(url, kwargs)
    if name in NO_CHILD_DATA:
        assert rows == []
    elif name in LISTS:
        assert rows, "a list that shows children writes a list read per child"
        assert {row.purpose for row in rows} == {Purpose.PLAN_LIST_READ}
        assert all(row.subject.startswith("sip.child:") for row in rows)
    else:
        assert record is not None, f"{name} shows a child's data but names no record"
        assert len(rows) == 1, f"{name}: {len(rows)} audit rows"
        [row] = rows
        assert row.actor == demo_user(username)
        assert row.action in (AuditAction.VIEW, AuditAction.PRINT, AuditAction.EXPORT)
        assert row.purpose in Purpose.values
        assert row.subject == record.child.audit_subject


@pytest.mark.parametrize(("name", "username"), refused_requests())
def test_a_refused_user_leaves_one_denied_row_with_the_status(name, username):
    route = _route(name)
    kwargs = route.kwargs()
    url = reverse(name, kwargs=kwargs)
    status, rows = _get(username, url)
    expected = 404 if username in route.hidden else 403
    assert status == expected
    assert len(rows) == 1, f"{name} as {username}: {len(rows)} audit rows"
    [row] = rows
    assert row.action == AuditAction.DENIED
    assert row.changes["status"] == expected
    assert row.actor == demo_user(username)
    record = _record(url, kwargs)
    if record is None:  # a list or a new-record form: no child's record was asked for
        assert row.subject == ""
    else:
        # Named, with its child, even though this user may not know it exists.
        assert (row.object_id, row.subject) == (str(record.pk), record.child.audit_subject)
    if record is not None:  # no content: the child's name is nowhere in the row
        assert record.child.last_name not in f"{row.object_repr} {row.changes}"


@pytest.mark.parametrize("name", [name for name, kwargs, _view in sip_urls() if "pk" in kwargs])
def test_an_id_that_does_not_exist_is_denied_by_model_and_id_without_a_subject(name):
    route = _route(name)
    kwargs = {**route.kwargs(), "pk": 987654}
    url = reverse(name, kwargs=kwargs)
    username = next(user for user in PREFERENCE if user in route.allowed)
    status, rows = _get(username, url)
    assert status == 404
    [row] = rows
    assert (row.action, row.changes["status"]) == (AuditAction.DENIED, 404)
    assert (row.object_id, row.subject) == ("987654", "")
    assert row.content_type.model_class() is resolve(url).func.audit_about


def test_every_sip_view_is_wrapped_by_the_audit():
    unwrapped = [name for name, _kwargs, view in sip_urls() if not hasattr(view, "audit_about")]
    assert not unwrapped


def test_a_form_shown_again_with_errors_is_one_read(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    since = _last_id()
    response = officer_client.post(
        reverse("sip:plan_close", kwargs={"pk": plan.pk}), {"reason": ""}
    )
    assert response.status_code == 200
    [row] = AuditEvent.objects.filter(id__gt=since)
    assert (row.action, row.purpose) == (AuditAction.VIEW, Purpose.PAGE_READ)
    assert row.changes == {"page": "plan_close"}
    assert row.subject == plan.child.audit_subject


def test_a_change_is_one_row_written_by_its_service(officer_client):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    since = _last_id()
    response = officer_client.post(
        reverse("sip:plan_close", kwargs={"pk": plan.pk}), {"reason": "Målen är nådda"}
    )
    assert response.status_code == 302
    [row] = AuditEvent.objects.filter(id__gt=since)
    assert (row.action, row.purpose) == (AuditAction.CHANGE, Purpose.PLAN_CLOSED)


def test_the_no_valid_consent_page_is_one_denied_row():
    case = ForumCase.objects.get(child__personal_number=OVERDUE_CHILD)
    status, rows = _get("officer2", reverse("sip:forum_pdf", kwargs={"pk": case.pk}))
    assert status == 403
    [row] = rows
    assert (row.action, row.changes["status"], row.subject) == (
        AuditAction.DENIED,
        403,
        case.child.audit_subject,
    )
