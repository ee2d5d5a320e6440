"""The secretariat: queue filters, assignment, review and closing, categories."""

import pytest
from django.urls import reverse

from agreements.models import Area, Unit
from deviations.models import Category, Deviation, Notification, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once
from tests.submissions import once

pytestmark = pytest.mark.django_db

ESCALATE = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM)


def _queue(client, **params):
    response = client.get(reverse("deviations:queue"), params)
    assert response.status_code == 200
    return {d.pk for d in response.context["object_list"]}


def test_the_queue_lists_only_reports_sent_to_bussam(secretariat_client):
    escalated = advance(DeviationFactory(), *ESCALATE)
    local = advance(DeviationFactory(), Status.WITH_MANAGER)
    ids = _queue(secretariat_client)
    assert escalated.pk in ids
    assert local.pk not in ids


def test_the_queue_filters(secretariat_client):
    last_category = Category.objects.order_by("-position").first()
    a = advance(DeviationFactory(services=["bup"]), *ESCALATE)
    b = advance(DeviationFactory(services=["habilitation"], category=last_category), *ESCALATE)
    c = advance(DeviationFactory(services=["bup"]), *ESCALATE)
    Deviation.objects.filter(pk=c.pk).update(
        event_date="2024-05-01", area=Area.objects.get(name="Nacka", valid_from=None)
    )
    mine = {a.pk, b.pk, c.pk}
    assert _queue(secretariat_client, category=last_category.pk) & mine == {b.pk}
    assert _queue(
        secretariat_client, area=Area.objects.get(name="Nacka", valid_from=None).pk
    ) & mine == {c.pk}
    assert _queue(secretariat_client, year=2026) & mine == {a.pk, b.pk}
    assert _queue(secretariat_client, status=Status.WITH_BUSSAM) & mine == mine
    assert _queue(secretariat_client, status=Status.CLOSED) & mine == set()
    # A pair in either direction: social services ↔ BUP.
    pair = _queue(secretariat_client, service_a="bup", service_b="social_services") & mine
    assert pair == {a.pk, c.pk}
    assert _queue(secretariat_client, service_a="social_services", service_b="bup") & mine == pair
    assert _queue(secretariat_client, service_a="habilitation") & mine == {b.pk}


def test_assignment_review_and_closing_with_a_response(
    secretariat_client, officer_client, mailoutbox
):
    mail_at_once("officer")
    deviation = advance(DeviationFactory(), *ESCALATE)
    secretariat = demo_user("secretariat")
    response = secretariat_client.post(
        reverse("deviations:assign", kwargs={"pk": deviation.pk}), {"assigned_to": secretariat.pk}
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.assigned_to == secretariat

    review = reverse("deviations:review", kwargs={"pk": deviation.pk})
    opened = secretariat_client.get(review).context["form"]
    response = secretariat_client.post(
        review,
        {
            "lock_version": opened["lock_version"].value(),
            "base": opened["base"].value(),
            "regional_action": "routine",
            "regional_action_url": "https://example.org/rutin",
            "response": "En regional rutin tas fram under våren.",
            "close": "1",
        },
    )
    close_url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.CLOSED})
    assert response["Location"] == close_url
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_BUSSAM  # the closing is its own confirmed step
    page = secretariat_client.get(close_url)
    # The outcome the reporter receives is the response, shown again to confirm.
    assert page.context["form"]["outcome"].value() == "En regional rutin tas fram under våren."
    secretariat_client.post(
        close_url,
        once({"comment": "Avslutad.", "outcome": "En regional rutin tas fram under våren."}),
    )
    deviation.refresh_from_db()
    assert deviation.status == Status.CLOSED
    assert deviation.closed_at is not None

    page = officer_client.get(reverse("deviations:detail", kwargs={"pk": deviation.pk}))
    assert "En regional rutin tas fram under våren." in page.content.decode()
    officer = demo_user("officer")
    assert Notification.objects.filter(
        recipient=officer, deviation=deviation, step__to_status=Status.CLOSED
    ).exists()
    assert [m for m in mailoutbox if officer.email in m.to and "regional rutin" in m.body]


def test_closing_without_a_response_is_refused(secretariat_client):
    deviation = advance(DeviationFactory(), *ESCALATE)
    url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.CLOSED})
    page = secretariat_client.get(url)
    assert page.context["form"].fields["outcome"].required
    refused = secretariat_client.post(url, once({"comment": "", "outcome": " "}))
    assert refused.context["form"].errors["outcome"]
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_BUSSAM


def test_bussam_reads_the_queue_but_does_not_review():
    from tests.conftest import client_for

    deviation = advance(DeviationFactory(), *ESCALATE)
    bussam = client_for("bussam")
    assert deviation.pk in _queue(bussam)
    assert bussam.get(reverse("deviations:review", kwargs={"pk": deviation.pk})).status_code == 403


def test_the_secretariat_maintains_the_categories(secretariat_client):
    names = set(Category.objects.values_list("name", flat=True))
    assert {
        "Oklart ansvar mellan huvudmän",
        "Remiss avvisad",
        "Väntetid",
        "SIP inte hållen eller inte följd",
        "Information inte delad",
        "Annat",
    } <= names
    secretariat_client.post(
        reverse("deviations:category_create"),
        {
            "name": "Övergång mellan skolformer",
            "description": "",
            "position": 60,
            "is_active": "on",
        },
    )
    category = Category.objects.get(name="Övergång mellan skolformer")
    secretariat_client.post(
        reverse("deviations:category_edit", kwargs={"pk": category.pk}),
        {"name": category.name, "description": "", "position": 60},
    )
    category.refresh_from_db()
    assert not category.is_active
    from tests.conftest import client_for

    form = client_for("officer").get(reverse("deviations:create")).context["form"]
    assert category not in form.fields["category"].queryset


def test_a_reporter_can_only_report_for_their_own_units(officer_client):
    from deviations.forms import DeviationForm

    other = Unit.objects.get(principal__name="Nacka kommun", name="Grundskola")
    form = DeviationForm(user=demo_user("officer"), data={"reporter_unit": other.pk})
    form.is_valid()
    assert "reporter_unit" in form.errors


def test_a_category_is_saved_with_its_audit_row(secretariat_client):
    from bus_portal import audit
    from deviations.audit import Purpose

    secretariat_client.post(reverse("deviations:category_create"), _category_data())
    category = Category.objects.get(name="Övergång mellan skolformer")
    event = audit.events_for(category).get()
    assert (event.action, event.purpose) == ("create", Purpose.CATEGORY)
    secretariat_client.post(
        reverse("deviations:category_edit", kwargs={"pk": category.pk}),
        _category_data(position=70),
    )
    assert [e.action for e in audit.events_for(category).order_by("at", "id")] == [
        "create",
        "change",
    ]


@pytest.mark.parametrize("existing", [False, True], ids=["create", "edit"])
def test_a_category_is_not_saved_when_its_audit_row_fails(
    secretariat_client, monkeypatch, existing
):
    from bus_portal import audit

    category = Category.objects.order_by("position").first()
    url = (
        reverse("deviations:category_edit", kwargs={"pk": category.pk})
        if existing
        else reverse("deviations:category_create")
    )

    def failing_record(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(audit, "record", failing_record)
    with pytest.raises(RuntimeError):
        secretariat_client.post(url, _category_data())
    assert not Category.objects.filter(name="Övergång mellan skolformer").exists()
    category.refresh_from_db()
    assert category.name != "Övergång mellan skolformer"


def _category_data(**overrides):
    data = {
        "name": "Övergång mellan skolformer",
        "description": "",
        "position": 60,
        "is_active": "on",
    }
    return {**data, **overrides}


def test_a_refused_step_is_shown_on_the_confirmation_form(chief_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    # Not a step from here (the secretariat closes reports at BUSSAM): the service refuses, and
    # the page says why with the comment and the outcome kept.
    url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.CLOSED})
    response = chief_client.post(url, once({"comment": "Avslutad.", "outcome": "Klart."}))
    assert response.status_code == 200
    assert response.context["form"]["comment"].value() == "Avslutad."
    assert response.context["form"]["outcome"].value() == "Klart."
    errors = response.context["form"].non_field_errors()
    assert errors and "inte möjligt" in errors[0]
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_MANAGER


def test_the_queue_pages_without_counting(secretariat_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    now = timezone.now()
    for _ in range(26):
        DeviationFactory(
            status=Status.WITH_BUSSAM, submitted_at=now, reached_bussam_at=now, is_principled=True
        )
    with CaptureQueriesContext(connection) as queries:
        first = secretariat_client.get(reverse("deviations:queue"))
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "deviations_deviation" in sql]
    assert len(first.context["object_list"]) == 25
    assert first.context["page_obj"].has_next()
    assert '<caption id="queue-caption">Avvikelser 1–25</caption>' in first.content.decode()
    second = secretariat_client.get(reverse("deviations:queue"), {"page": 2})
    assert second.status_code == 200
    assert second.context["page_obj"].start_index() == 26
