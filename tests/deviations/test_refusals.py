"""A refused identity number: every form and the services refuse it in every writing, the
refusal says where it is (field, line, character, the words around it, never the number), and
everything the user typed comes back, comments included."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deviations import notifications, services
from deviations.models import Comment, Deviation, DeviationStep, Notification, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance, mail_at_once
from tests.deviations.test_report_form import _data
from tests.submissions import once

pytestmark = pytest.mark.django_db

# Skatteverket test personnummer 2017-01-01-2393, as Outlook and a browser deliver it.
WRITTEN = "170101\r\n\u20132393"
DIGITS = re.compile(r"2393|170101")


def _errors(response, field: str) -> str:
    return " ".join(response.context["form"].errors[field])


def test_the_report_form_says_where_the_number_is_and_keeps_all_text(officer_client):
    text = "Första stycket om remissen.\r\nEleven med nummer " + WRITTEN + " fick vänta länge."
    data = _data(description=text, consequence="Stödet dröjde i månader.")
    before = Deviation.objects.count()
    response = officer_client.post(reverse("deviations:create"), data)
    assert response.status_code == 200
    errors = _errors(response, "description")
    assert "personnummer på rad 2, vid tecken 19" in errors
    assert "nummer [personnummer] fick" in errors
    assert not DIGITS.search(errors)
    # The summary names the field and links to it, without the number either.
    summary = re.search(r'id="error-summary".*?</div>', response.content.decode(), re.S).group(0)
    assert 'href="#id_description"' in summary and not DIGITS.search(summary)
    # Every field comes back as typed.
    form = response.context["form"]
    assert form["description"].value() == text
    assert form["consequence"].value() == "Stödet dröjde i månader."
    assert Deviation.objects.count() == before


def test_a_refused_comment_keeps_its_text_and_says_where(officer_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    text = "En fråga till chefen.\nGäller 2017-01-01-2393, som vi talade om."
    response = officer_client.post(
        reverse("deviations:comment", kwargs={"pk": deviation.pk}), once({"text": text})
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "rad 2, vid tecken 8" in body
    assert response.context["comment_form"]["text"].value() == text
    assert f"{text}</textarea>" in body  # kept in the comment form
    assert not Comment.objects.filter(deviation=deviation).exists()
    # Then corrected, it is saved once.
    fixed = officer_client.post(
        reverse("deviations:comment", kwargs={"pk": deviation.pk}),
        once({"text": "En fråga till chefen om eleven."}),
    )
    assert fixed.status_code == 302
    assert deviation.comments.count() == 1


def test_a_refused_step_comment_keeps_its_text(chief_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.RETURNED})
    question = "Kan ni komplettera? Gäller 201701012393."
    response = chief_client.post(url, once({"comment": question}))
    assert response.status_code == 200
    assert "personnummer på rad 1, vid tecken 28" in _errors(response, "comment")
    assert response.context["form"]["comment"].value() == question
    assert not DeviationStep.objects.filter(deviation=deviation, to_status=Status.RETURNED)


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        ("add_comment", {"text": "Se 170101-2393."}),
        ("review", {"cleaned": {"response": "Gäller 170101–2393."}}),
    ],
)
def test_the_services_refuse_a_number_whatever_path_it_came_by(service, kwargs):
    deviation = advance(
        DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
    )
    with pytest.raises(services.DeviationError):
        getattr(services, service)(deviation=deviation, user=demo_user("secretariat"), **kwargs)
    assert not deviation.comments.exists()
    deviation.refresh_from_db()
    assert deviation.response == ""


def test_a_step_and_a_draft_refuse_it_in_the_service_too():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    with pytest.raises(services.DeviationError):
        services.move(
            deviation=deviation,
            to_status=Status.RESOLVED_LOCALLY,
            user=demo_user("chief"),
            outcome="Klart för 17 01 01-2393.",
        )
    with pytest.raises(services.DeviationError):
        services.save_draft(
            user=demo_user("officer"),
            cleaned={
                "reporter_unit": deviation.reporter_unit,
                "description": "１７０１０１２３９３",
            },
        )


def test_no_mail_carries_a_number_that_got_past_the_forms(mailoutbox):
    # Stored before the forms refused this writing: the mail guard replaces it.
    mail_at_once("chief")
    deviation = DeviationFactory(description="Eleven 170101\u22122393.")
    notifications.notify(
        deviation=deviation,
        recipients=[demo_user("chief")],
        kind="comment",
        subject="Om 170101-2393",
        body=f"Texten: {deviation.description}",
    )
    stored = Notification.objects.get(deviation=deviation)
    assert "[borttaget]" in stored.subject and "[borttaget]" in stored.body
    assert mailoutbox and not DIGITS.search(mailoutbox[-1].body + mailoutbox[-1].subject)


def test_the_link_to_a_regional_action_is_checked_too(secretariat_client):
    deviation = advance(
        DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
    )
    response = secretariat_client.post(
        reverse("deviations:review", kwargs={"pk": deviation.pk}),
        {"regional_action": "routine", "regional_action_url": "https://example.org/170101-2393"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["regional_action_url"]


def test_the_admin_only_reads_reports(rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = demo_user("admin")
    model_admin = admin.site.get_model_admin(Deviation)
    deviation = DeviationFactory()
    assert not model_admin.has_change_permission(request, deviation)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_delete_permission(request, deviation)
