"""The counterpart's response: at the local step each counterpart principal's contact (the BUS
contact in the local agreement, else the unit chief in the area) is asked, responds once in the
report, may correct it with a trail; the reporter and the ladder see it; others are refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Body, BodyMember, Principal, Unit
from bus_portal import audit
from bus_portal.models import OutboundMessage
from deviations import counterpart_services, redaction
from deviations.audit import Purpose
from deviations.counterparts import (
    ContactSource,
    CounterpartResponse,
    CounterpartResponseVersion,
    ResponseRequest,
)
from deviations.models import Notification, NotificationKind, Status
from deviations.recipients import counterpart_contacts
from deviations.services import DeviationError, NotAllowedToAct
from tests.conftest import client_for, demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once
from tests.submissions import once

pytestmark = pytest.mark.django_db

TO_GROUP = (Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
NUMBER = "170101-2393"  # Skatteverket's test personnummer


def region() -> Principal:
    return Principal.objects.get(name="Region Stockholm")


def make_bus_contact(username: str = "officer2") -> BodyMember:
    """officer2 (BUP Täby) as Region Stockholm's contact person in Täby's local agreement."""
    user = demo_user(username)
    body = Body.objects.filter(agreement__local_group__name="Täby").order_by("position").first()
    return BodyMember.objects.create(
        body=body,
        name=user.get_full_name(),
        user=user,
        unit=Unit.objects.get(principal=region(), name="BUP Täby öppenvård"),
        role=BodyMember.Role.CONTACT,
    )


@pytest.fixture
def asked():
    """The officer's report naming Region Stockholm, at the local step, officer2 asked."""
    make_bus_contact()
    return advance(DeviationFactory(), *TO_GROUP)


def respond_url(deviation) -> str:
    return reverse("deviations:respond", kwargs={"pk": deviation.pk})


def post_response(client, deviation, text="BUP ser över rutinen för remisser.", **extra):
    return client.post(
        respond_url(deviation),
        prefixed(once({"principal": region().pk, "text": text, **extra})),
    )


def prefixed(data: dict) -> dict:
    """The response form's fields as the page names them (it shares the page with comments)."""
    return {f"response-{name}": value for name, value in data.items()}


# --- who is asked ----------------------------------------------------------------------------
def test_the_bus_contact_in_the_local_agreement_is_asked_first():
    make_bus_contact()
    deviation = DeviationFactory()
    contacts = counterpart_contacts(deviation)
    assert contacts == {region(): [(demo_user("officer2"), ContactSource.BUS_CONTACT)]}


def test_without_a_bus_contact_the_chief_of_the_named_service_in_the_area_is_asked():
    # officer2 (BUP Täby) reports about Täby kommun's social services: its unit chief is asked,
    # not the steering-group chair of the same unit, nor anyone of the reporter's own unit.
    deviation = DeviationFactory(
        reporter=demo_user("officer2"),
        reporter_unit=Unit.objects.get(principal=region(), name="BUP Täby öppenvård"),
        counterparts=[Principal.objects.get(name="Täby kommun")],
        services=["social_services"],
    )
    contacts = counterpart_contacts(deviation)
    assert list(contacts.values()) == [[(demo_user("chief"), ContactSource.UNIT_CHIEF)]]


def test_a_principal_without_any_contact_gets_nobody_and_the_page_says_so(chair_client):
    deviation = advance(DeviationFactory(), *TO_GROUP)  # Region Stockholm: no contact in Täby
    assert not ResponseRequest.objects.filter(deviation=deviation).exists()
    page = chair_client.get(reverse("deviations:detail", kwargs={"pk": deviation.pk}))
    assert "Ingen kontaktperson för den här huvudmannen finns i portalen" in page.content.decode()


def test_reaching_the_local_step_asks_the_contact_once_and_audits_it(asked):
    officer2 = demo_user("officer2")
    request = ResponseRequest.objects.get(deviation=asked)
    assert (request.contact, request.principal, request.source) == (
        officer2,
        region(),
        ContactSource.BUS_CONTACT,
    )
    told = Notification.objects.filter(
        deviation=asked, recipient=officer2, kind=NotificationKind.RESPONSE_REQUESTED
    )
    assert told.count() == 1
    event = audit.events_for(asked).filter(purpose=Purpose.RESPONSE_REQUEST).get()
    assert event.changes == {"principals": [region().pk], "contacts": 1}
    # Returned with a question and sent back to the local step: nobody is asked twice.
    chair = demo_user("chair")
    from deviations import services

    services.move(deviation=asked, to_status=Status.RETURNED, user=chair, comment="Fråga?")
    asked.refresh_from_db()
    services.move(deviation=asked, to_status=Status.WITH_LOCAL_GROUP, user=demo_user("officer"))
    assert ResponseRequest.objects.filter(deviation=asked).count() == 1
    assert told.count() == 1


# --- responding ------------------------------------------------------------------------------
def test_the_contact_responds_and_the_reporter_and_the_ladder_see_it(asked):
    officer2 = client_for("officer2")
    page = officer2.get(reverse("deviations:detail", kwargs={"pk": asked.pk}))
    assert page.status_code == 200 and 'id="respond"' in page.content.decode()
    response = post_response(officer2, asked)
    assert response.status_code == 302
    saved = CounterpartResponse.objects.get(deviation=asked)
    assert (saved.author, saved.principal) == (demo_user("officer2"), region())
    for username in ("officer", "chair"):
        html = client_for(username).get(reverse("deviations:detail", kwargs={"pk": asked.pk}))
        assert "BUP ser över rutinen för remisser." in html.content.decode()
    told = Notification.objects.filter(deviation=asked, kind=NotificationKind.RESPONSE)
    assert set(told.values_list("recipient__username", flat=True)) == {"officer", "chair"}
    # The notifications name the principal, never the response itself.
    assert all("rutinen" not in n.body for n in told)
    event = audit.events_for(asked).filter(purpose=Purpose.RESPONSE).get()
    assert event.changes == {"fields": ["counterpart_response"], "principal": region().pk}
    # Done: the form is gone from the contact's page.
    page = officer2.get(reverse("deviations:detail", kwargs={"pk": asked.pk}))
    assert 'id="respond"' not in page.content.decode()


def test_a_double_submit_makes_one_response(asked):
    client = client_for("officer2")
    data = prefixed(once({"principal": region().pk, "text": "Ett svar."}))
    first = client.post(respond_url(asked), data)
    second = client.post(respond_url(asked), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    # A second form (another tab) is refused: the principal has responded.
    third = post_response(client, asked, text="Ett annat svar.")
    assert third.status_code == 403
    assert CounterpartResponse.objects.filter(deviation=asked).count() == 1
    with pytest.raises(DeviationError):
        counterpart_services.respond(
            deviation=asked, user=demo_user("officer2"), principal=region(), text="Igen."
        )


def test_an_identity_number_in_a_response_is_refused_and_the_text_kept(asked):
    client = client_for("officer2")
    text = f"Eleven med {NUMBER} fick vänta."
    page = post_response(client, asked, text=text)
    assert page.status_code == 200
    assert page.context["response_form"].errors["text"]
    assert "Eleven med" in page.content.decode()  # the rest of the text is kept
    assert not CounterpartResponse.objects.filter(deviation=asked).exists()
    with pytest.raises(DeviationError):
        counterpart_services.respond(
            deviation=asked, user=demo_user("officer2"), principal=region(), text=text
        )


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("officer", 403),  # the reporter sees the report but is not the counterpart
        ("chair", 403),
        ("chief", 403),
        ("outsider", 404),  # does not see the report at all
        ("secretariat", 404),
        ("bussam", 404),
    ],
)
def test_only_the_contact_asked_may_respond(asked, username, status):
    assert post_response(client_for(username), asked).status_code == status
    assert not CounterpartResponse.objects.filter(deviation=asked).exists()


def test_a_closed_report_takes_no_response(asked):
    from deviations import services
    from deviations.models import Deviation

    Deviation.objects.filter(pk=asked.pk).update(response="Löst i gruppen.")
    asked.refresh_from_db()
    services.move(deviation=asked, to_status=Status.RESOLVED_IN_GROUP, user=demo_user("chair"))
    assert post_response(client_for("officer2"), asked).status_code == 403
    with pytest.raises(NotAllowedToAct):
        counterpart_services.respond(
            deviation=asked, user=demo_user("officer2"), principal=region(), text="Sent svar."
        )


def test_a_tampered_principal_is_refused(asked):
    client = client_for("officer2")
    for principal in ("99999999999999999999999", "-1", "abc", str(Principal.objects.last().pk)):
        page = client.post(
            respond_url(asked), prefixed(once({"principal": principal, "text": "Svar."}))
        )
        assert page.status_code == 200
        assert page.context["response_form"].errors["principal"]
    assert not CounterpartResponse.objects.filter(deviation=asked).exists()


# --- correcting ------------------------------------------------------------------------------
def _correct_url(response: CounterpartResponse) -> str:
    return reverse(
        "deviations:response_correct",
        kwargs={"pk": response.deviation_id, "response": response.pk},
    )


def test_the_author_corrects_the_response_and_the_earlier_text_stays_visible(asked):
    client = client_for("officer2")
    post_response(client, asked, text="Första svaret.")
    response = CounterpartResponse.objects.get(deviation=asked)
    assert client.get(_correct_url(response)).status_code == 200
    saved = client.post(_correct_url(response), {"text": "Rättat svar.", "lock_version": 0})
    assert saved.status_code == 302
    response.refresh_from_db()
    assert (response.text, response.lock_version) == ("Rättat svar.", 1)
    assert response.edited_at is not None
    assert list(response.versions.values_list("text", flat=True)) == ["Första svaret."]
    html = client_for("officer").get(reverse("deviations:detail", kwargs={"pk": asked.pk}))
    assert "Rättat svar." in html.content.decode() and "Första svaret." in html.content.decode()
    events = audit.events_for(asked).filter(purpose=Purpose.RESPONSE)
    assert events.count() == 2
    assert "Rättat" not in str(list(events.values_list("changes", flat=True)))


def test_a_correction_over_a_newer_text_is_refused_with_409_and_nothing_lost(asked):
    client = client_for("officer2")
    post_response(client, asked, text="Första svaret.")
    response = CounterpartResponse.objects.get(deviation=asked)
    client.post(_correct_url(response), {"text": "Andra svaret.", "lock_version": 0})
    stale = client.post(_correct_url(response), {"text": "Från en gammal flik.", "lock_version": 0})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Andra svaret." in html and "Från en gammal flik." in html
    response.refresh_from_db()
    assert response.text == "Andra svaret."
    again = client.post(_correct_url(response), stale.context["form"].data)
    assert again.status_code == 302
    response.refresh_from_db()
    assert response.text == "Från en gammal flik."


def test_only_the_author_corrects_and_an_identity_number_is_refused(asked):
    post_response(client_for("officer2"), asked)
    response = CounterpartResponse.objects.get(deviation=asked)
    assert client_for("officer").get(_correct_url(response)).status_code == 403
    assert client_for("chair").get(_correct_url(response)).status_code == 403
    assert client_for("outsider").get(_correct_url(response)).status_code == 404
    refused = client_for("officer2").post(
        _correct_url(response), {"text": f"Nu med {NUMBER}.", "lock_version": 0}
    )
    assert refused.status_code == 200 and refused.context["form"].errors["text"]
    response.refresh_from_db()
    assert NUMBER not in response.text and not response.versions.exists()


def test_a_redaction_reaches_the_response_its_earlier_texts_and_the_emails(asked):
    name = "Elsa"
    client = client_for("officer2")
    post_response(client, asked, text=f"{name} fick vänta.")
    response = CounterpartResponse.objects.get(deviation=asked)
    client.post(_correct_url(response), {"text": f"{name}s remiss kom bort.", "lock_version": 0})
    codes = redaction.redact(deviation=asked, user=demo_user("chair"), phrase=name)
    version = CounterpartResponseVersion.objects.get(response=response)
    assert f"response:{response.pk}" in codes and f"response_version:{version.pk}" in codes
    response.refresh_from_db()
    version.refresh_from_db()
    assert name not in response.text + version.text
    assert not OutboundMessage.objects.filter(body__contains=name).exists()


# --- e-mail over real SMTP -------------------------------------------------------------------
def test_the_request_and_the_response_are_emailed_without_the_reports_text(smtp_server):
    mail_at_once("officer2", "officer")
    make_bus_contact()
    deviation = advance(
        DeviationFactory(description="Remissen om Elsa returnerades utan motivering."), *TO_GROUP
    )
    officer2 = demo_user("officer2")
    asked_mail = [
        m for m in smtp_server.to(officer2.email) if "svar efterfrågas" in str(m["Subject"])
    ]
    assert len(asked_mail) == 1
    text = smtp_server.text(asked_mail[0])
    link = reverse("deviations:detail", kwargs={"pk": deviation.pk})
    assert deviation.reference in text and link in text and "Region Stockholm" in text
    assert "Elsa" not in text and "Remissen" not in text

    post_response(client_for("officer2"), deviation, text="Vi har pratat med Elsas skola.")
    told = [
        m for m in smtp_server.to(demo_user("officer").email) if "har svarat" in str(m["Subject"])
    ]
    assert len(told) == 1
    body = smtp_server.text(told[0])
    assert link in body and "Elsa" not in body and "skola" not in body
