"""Plausible dates, and no input of any size or kind gives a 500 on any deviations form or list:
huge numbers, 10,000-character strings, odd Unicode, NUL, page numbers past any list, ids no
column holds. Run on SQLite and on PostgreSQL (whose integer and text limits differ)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deviations.forms import MAX_TEXT
from deviations.models import Category, Deviation, Notification, Status
from tests.conftest import client_for, demo_user
from tests.deviations.factories import DeviationFactory, advance
from tests.deviations.test_report_form import _data
from tests.submissions import once

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
NASTY = [
    HUGE,
    "-1",
    "1e309",
    "NaN",
    "x" * MAX_TEXT,
    "ä" * (MAX_TEXT + 1),
    "a\x00b",
    "\u202e\u200b𝟘١ ̶1 \ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "2026-02-30",
    "99999-12-31",
    "",
]


# --- dates ---------------------------------------------------------------------------------------
def test_the_event_date_cannot_be_in_the_future(officer_client):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = officer_client.post(reverse("deviations:create"), _data(event_date=str(tomorrow)))
    assert response.status_code == 200
    assert "framtiden" in " ".join(response.context["form"].errors["event_date"])


def test_the_event_date_cannot_be_before_2000(officer_client):
    response = officer_client.post(reverse("deviations:create"), _data(event_date="1999-12-31"))
    assert "före 2000" in " ".join(response.context["form"].errors["event_date"])


def test_today_and_the_first_day_of_2000_are_accepted(officer_client):
    for day in (timezone.localdate(), datetime.date(2000, 1, 1)):
        data = _data(event_date=str(day), description=f"Händelse {day}.")
        assert officer_client.post(reverse("deviations:create"), data).status_code == 302


def test_a_text_longer_than_the_limit_is_refused_not_cut(officer_client):
    text = "a" * (MAX_TEXT + 1)
    response = officer_client.post(reverse("deviations:create"), _data(description=text))
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert response.context["form"]["description"].value() == text


# --- no 500s -----------------------------------------------------------------------------------
def _draft() -> Deviation:
    return DeviationFactory()


def _at_manager() -> Deviation:
    return advance(DeviationFactory(), Status.WITH_MANAGER)


def _at_bussam() -> Deviation:
    return advance(
        DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
    )


def _step(to: str):
    return lambda d: reverse("deviations:transition", kwargs={"pk": d.pk, "to": to})


# (name, user, report, url, valid data) for every form that posts.
FORMS = [
    ("create", "officer", None, lambda d: reverse("deviations:create"), _data),
    (
        "edit",
        "officer",
        _draft,
        lambda d: reverse("deviations:edit", kwargs={"pk": d.pk}),
        lambda: {**_data(), "lock_version": "0"},
    ),
    ("send", "officer", _draft, _step(Status.WITH_MANAGER), lambda: once({"comment": ""})),
    ("return", "chief", _at_manager, _step(Status.RETURNED), lambda: once({"comment": "Fråga?"})),
    (
        "close locally",
        "chief",
        _at_manager,
        _step(Status.RESOLVED_LOCALLY),
        lambda: once({"comment": "", "outcome": "Löst."}),
    ),
    (
        "to bussam",
        "chief",
        _at_manager,
        _step(Status.WITH_BUSSAM),
        lambda: once({"comment": "", "principled_reason": "Länet."}),
    ),
    (
        "comment",
        "officer",
        _at_manager,
        lambda d: reverse("deviations:comment", kwargs={"pk": d.pk}),
        lambda: once({"text": "En kommentar."}),
    ),
    (
        "redact",
        "chief",
        _at_manager,
        lambda d: reverse("deviations:redact", kwargs={"pk": d.pk}),
        lambda: once({"phrase": "Remissen", "confirm": "on"}),
    ),
    (
        "review",
        "secretariat",
        _at_bussam,
        lambda d: reverse("deviations:review", kwargs={"pk": d.pk}),
        # Three steps have been taken: the form was opened at version 3.
        lambda: {
            "regional_action": "routine",
            "regional_action_url": "",
            "response": "Svar.",
            "lock_version": "3",
        },
    ),
    (
        "assign",
        "secretariat",
        _at_bussam,
        lambda d: reverse("deviations:assign", kwargs={"pk": d.pk}),
        lambda: {"assigned_to": ""},
    ),
    (
        "category",
        "secretariat",
        None,
        lambda d: reverse("deviations:category_create"),
        lambda: {"name": "Ny kategori", "description": "", "position": "60", "is_active": "on"},
    ),
    (
        "category edit",
        "secretariat",
        None,
        lambda d: reverse(
            "deviations:category_edit",
            kwargs={"pk": Category.objects.order_by("position").first().pk},
        ),
        lambda: {"name": "Remiss avvisad", "description": "", "position": "20"},
    ),
]


@pytest.mark.parametrize(
    ("name", "username", "report", "url", "valid"), FORMS, ids=[f[0] for f in FORMS]
)
def test_no_value_in_any_field_of_any_form_gives_a_500(name, username, report, url, valid):
    client = client_for(username)
    base = valid()
    fields = [key for key in base if key not in ("save_draft",)] + ["unexpected"]
    for field in fields:
        for value in NASTY:
            deviation = report() if report else None
            data = {**base, field: value}
            if "submission_token" in base and field != "submission_token":
                data = once({k: v for k, v in data.items() if k != "submission_token"})
            response = client.post(url(deviation), data)
            assert response.status_code in (200, 302, 403, 409), (field, value[:20])
    # A list where one value is expected, and one where a list is.
    deviation = report() if report else None
    data = {**base, **{key: [HUGE, "-1", "x"] for key in base if key != "submission_token"}}
    assert client.post(url(deviation), data).status_code in (200, 302, 403, 409)


@pytest.mark.parametrize(
    "field", ["reporter_unit", "area", "category", "counterpart_principals", "counterpart_services"]
)
def test_ids_no_column_holds_are_form_errors(officer_client, field):
    value = [HUGE, "1"] if field.startswith("counterpart") else HUGE
    response = officer_client.post(reverse("deviations:create"), _data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field]


@pytest.mark.parametrize(
    "query",
    [
        {"page": HUGE},
        {"page": "-1"},
        {"page": "0"},
        {"page": "abc"},
        {"page": "1e3"},
        {"page": "last"},
        {"page": "\x00"},
    ],
)
@pytest.mark.parametrize(
    ("username", "name"),
    [("officer", "deviations:list"), ("secretariat", "deviations:queue")],
)
def test_page_numbers_past_any_list_are_not_found_not_errors(username, name, query):
    response = client_for(username).get(reverse(name), query)
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("value", NASTY)
def test_the_queue_filters_and_the_years_take_anything(secretariat_client, value):
    for key in ("year", "area", "category", "service_a", "service_b", "status"):
        response = secretariat_client.get(reverse("deviations:queue"), {key: value})
        assert response.status_code == 200, key
    for name in ("deviations:statistics", "deviations:statistics_csv"):
        assert secretariat_client.get(reverse(name), {"year": value}).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "deviations:detail",
        "deviations:edit",
        "deviations:review",
        "deviations:redact",
        "deviations:category_edit",
    ],
)
def test_ids_past_any_row_in_the_address_are_not_found(secretariat_client, name):
    assert secretariat_client.get(reverse(name, kwargs={"pk": HUGE})).status_code == 404
    url = reverse("deviations:transition", kwargs={"pk": HUGE, "to": "closed"})
    assert secretariat_client.get(url).status_code == 404


def test_posts_to_ids_past_any_row_are_not_found(officer_client):
    for name in ("deviations:comment", "deviations:assign", "deviations:notification_read"):
        response = officer_client.post(reverse(name, kwargs={"pk": HUGE}), {"text": "x"})
        assert response.status_code in (403, 404)


def test_marking_a_notification_read_takes_any_next(officer_client):
    advance(DeviationFactory(), Status.WITH_MANAGER)
    notification = Notification.objects.filter(recipient=demo_user("officer")).first()
    url = reverse("deviations:notification_read", kwargs={"pk": notification.pk})
    for value in NASTY:
        assert officer_client.post(url, {"next": value}).status_code == 302
