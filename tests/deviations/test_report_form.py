"""Reporting through the form: refusal of identity numbers (never stored), warnings, drafts."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from bus_portal.models import AuditEvent
from deviations.models import Category, Deviation, Status
from tests.conftest import demo_user
from tests.deviations.factories import taby_unit
from tests.submissions import once

pytestmark = pytest.mark.django_db

TEST_PNR = "20170101-2393"  # Skatteverket test personnummer


def _data(**overrides):
    from agreements.models import Area, Principal

    data = {
        "reporter_unit": taby_unit().pk,
        "counterpart_principals": [Principal.objects.get(name="Region Stockholm").pk],
        "counterpart_services": ["bup"],
        "event_date": "2026-03-10",
        "area": Area.objects.get(name="Täby", valid_from=None).pk,
        "category": Category.objects.order_by("position").first().pk,
        "description": "Remissen returnerades utan motivering.",
        "consequence": "Stödet dröjde i flera månader.",
        "tried_locally": "Samtal mellan cheferna.",
        "proposed_improvement": "Gemensam rutin.",
        "principled_reason": "",
        "contact_person": "Sara Ekholm",
        "confirm_no_identification": "on",
        "save_draft": "1",
    }
    data.update(overrides)
    return once(data)


def test_it_saves_a_draft_with_the_reporters_unit(officer_client):
    response = officer_client.post(reverse("deviations:create"), _data())
    deviation = Deviation.objects.get(description="Remissen returnerades utan motivering.")
    assert response.status_code == 302
    assert deviation.status == Status.DRAFT
    assert deviation.reporter == demo_user("officer")
    assert list(deviation.counterpart_services.values_list("service_type", flat=True)) == ["bup"]
    assert deviation.confirmed_no_identification_at is not None


def test_the_form_prefills_the_reporters_unit_and_area(officer_client):
    form = officer_client.get(reverse("deviations:create")).context["form"]
    assert form.initial["reporter_unit"] == taby_unit().pk
    assert form.initial["area"] == taby_unit().area_id


@pytest.mark.parametrize(
    "field",
    ["description", "consequence", "tried_locally", "proposed_improvement", "contact_person"],
)
@pytest.mark.parametrize(
    "written", [TEST_PNR, "201701012393", "1701012393", "170101-2393", "170101 2393"]
)
def test_it_refuses_a_personnummer_and_stores_nothing(officer_client, field, written, caplog):
    caplog.set_level(logging.DEBUG)
    before = Deviation.objects.count()
    audit_before = AuditEvent.objects.count()
    text = f"Eleven {written} fick vänta."
    response = officer_client.post(reverse("deviations:create"), _data(**{field: text}))
    assert response.status_code == 200
    form = response.context["form"]
    assert "personnummer" in " ".join(form.errors[field])
    html = response.content.decode()
    # The error summary names the field and links to it.
    assert f'href="#id_{field}"' in html
    assert str(form.fields[field].label) in html
    assert Deviation.objects.count() == before
    assert AuditEvent.objects.count() == audit_before
    assert written not in caplog.text
    for session in Session.objects.all():
        assert written not in str(session.get_decoded())


def test_it_refuses_a_samordningsnummer_with_its_own_message(officer_client):
    from stdnum import luhn

    number = "170161239" + luhn.calc_check_digit("170161239")  # 2017-01-01 as day 61
    response = officer_client.post(reverse("deviations:create"), _data(description=f"Nr {number}."))
    errors = " ".join(response.context["form"].errors["description"])
    assert "samordningsnummer" in errors
    assert not Deviation.objects.filter(description__contains=number).exists()


def test_it_refuses_a_personnummer_in_a_step_comment_and_a_comment(officer_client, chief_client):
    from tests.deviations.factories import DeviationFactory, advance

    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    url = reverse(
        "deviations:transition", kwargs={"pk": deviation.pk, "to": Status.WITH_LOCAL_GROUP}
    )
    response = chief_client.post(url, once({"comment": f"Gäller {TEST_PNR}"}))
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_MANAGER
    officer_client.post(
        reverse("deviations:comment", kwargs={"pk": deviation.pk}), once({"text": TEST_PNR})
    )
    assert not deviation.comments.exists()


def test_a_number_failing_the_checksum_is_accepted(officer_client):
    response = officer_client.post(
        reverse("deviations:create"), _data(description="Ärendenummer 20170101-2394 hos BUP.")
    )
    assert response.status_code == 302
    assert Deviation.objects.filter(description__contains="20170101-2394").exists()


def test_names_and_dates_of_birth_warn_once_then_save(officer_client):
    text = "Elsa, född 2014-03-05, fick vänta."
    first = officer_client.post(reverse("deviations:create"), _data(description=text))
    assert first.status_code == 200
    form = first.context["form"]
    assert [w for _label, w in form.warnings if "Elsa" in w]
    assert [w for _label, w in form.warnings if "2014-03-05" in w]
    assert not Deviation.objects.filter(description=text).exists()
    fingerprint = form.warnings_fingerprint()
    assert f'value="{fingerprint}"' in first.content.decode()
    second = officer_client.post(
        reverse("deviations:create"), _data(description=text, warnings_seen=fingerprint)
    )
    assert second.status_code == 302
    assert Deviation.objects.filter(description=text).exists()


def test_the_confirmation_is_required(officer_client):
    data = _data()
    del data["confirm_no_identification"]
    response = officer_client.post(reverse("deviations:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["confirm_no_identification"]


def test_save_and_send_leads_to_the_confirmation_step(officer_client):
    data = _data(submit="1")
    del data["save_draft"]
    response = officer_client.post(reverse("deviations:create"), data)
    deviation = Deviation.objects.get(description=data["description"])
    assert response["Location"] == reverse(
        "deviations:transition", kwargs={"pk": deviation.pk, "to": Status.WITH_MANAGER}
    )
    assert deviation.status == Status.DRAFT  # nothing changes until the step is confirmed
    officer_client.post(response["Location"], once({"comment": ""}))
    deviation.refresh_from_db()
    assert deviation.status == Status.WITH_MANAGER


def test_only_the_reporter_edits_a_draft(officer_client, officer2_client):
    officer_client.post(reverse("deviations:create"), _data())
    deviation = Deviation.objects.get(description=_data()["description"])
    assert (
        officer2_client.get(reverse("deviations:edit", kwargs={"pk": deviation.pk})).status_code
        == 404
    )
    response = officer_client.post(
        reverse("deviations:edit", kwargs={"pk": deviation.pk}), _data(description="Ny text.")
    )
    assert response.status_code == 302
    deviation.refresh_from_db()
    assert deviation.description == "Ny text."


def test_the_reporter_cannot_edit_a_report_once_sent(officer_client):
    from tests.deviations.factories import DeviationFactory, advance

    draft = DeviationFactory()
    officer = demo_user("officer")
    assert draft.can_edit(officer)
    assert not draft.can_edit(demo_user("chief"))
    sent = advance(draft, Status.WITH_MANAGER)
    assert not sent.can_edit(officer)
    url = reverse("deviations:edit", kwargs={"pk": sent.pk})
    assert officer_client.get(url).status_code == 403
    assert officer_client.post(url, _data(description="Ny text.")).status_code == 403
    sent.refresh_from_db()
    assert sent.description != "Ny text."
