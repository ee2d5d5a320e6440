import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup
from bus_portal import outbox
from bus_portal.models import OutboundMessage, User
from followup import services
from followup.models import Commentary, Question, Response, Survey, SurveyContact
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.followup.payloads import page_payload
from tests.submissions import once


@pytest.fixture
def taby(db):
    return LocalGroup.objects.get(name="Täby")


def _answer_data(client, url: str, action: str, taby: LocalGroup, **answers) -> dict:
    """The answer form as the page shows it (its version and base included), with ``answers``."""
    data = page_payload(client, url, action=action, areas=[a.pk for a in taby.areas.all()])
    data.update({f"q_{code}": value for code, value in answers.items()})
    return data


def test_the_contact_person_saves_a_draft_then_submits(survey, taby, chair_client, chair):
    start = chair_client.post(
        reverse("followup:response_start", kwargs={"year": survey.year, "group": taby.pk}),
        once({"participants": "both"}),
    )
    response = Response.objects.get(survey=survey, group=taby)
    assert start["Location"] == reverse("followup:response_edit", kwargs={"pk": response.pk})
    edit_url = reverse("followup:response_edit", kwargs={"pk": response.pk})

    chair_client.post(
        edit_url, _answer_data(chair_client, edit_url, "draft", taby, group_exists="yes")
    )
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT
    assert response.answers.get().choices == ["yes"]

    chair_client.post(
        edit_url,
        _answer_data(
            chair_client,
            edit_url,
            "submit",
            taby,
            group_exists="yes",
            services=["bup", "school"],
            services_other="Fritid",
        ),
    )
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_by == chair
    assert {a.question.code for a in response.answers.all()} == {
        "group_exists",
        "services",
        "services_other",
    }


def test_submitting_requires_the_areas_covered(survey, taby, chair):
    response = services.start_response(survey=survey, group=taby, participants="both", user=chair)
    response.areas.clear()

    with pytest.raises(services.FollowupError):
        services.save_response(response=response, answers={}, areas=[], user=chair, submit=True)


def test_a_group_answers_jointly_or_once_per_principal(survey, taby, chair):
    services.start_response(survey=survey, group=taby, participants="municipality", user=chair)
    services.start_response(survey=survey, group=taby, participants="region", user=chair)

    with pytest.raises(services.ResponseConflictError):
        services.start_response(survey=survey, group=taby, participants="both", user=chair)
    with pytest.raises(services.ResponseConflictError):
        services.start_response(survey=survey, group=taby, participants="region", user=chair)


def test_a_closed_survey_refuses_changes(taby, chair, secretariat):
    survey = SurveyFactory()
    response = services.start_response(survey=survey, group=taby, participants="both", user=chair)
    services.close_survey(survey=survey, user=secretariat)

    with pytest.raises(services.SurveyStateError):
        services.save_response(response=response, answers={}, areas=taby.areas.all(), user=chair)


def test_reminders_go_only_to_groups_that_have_not_answered(taby, secretariat):
    survey = SurveyFactory()
    danderyd = LocalGroup.objects.get(name="Danderyd")
    SurveyContact.objects.create(group=danderyd, user=secretariat)
    ResponseFactory(survey=survey, group=danderyd)

    reminder = services.send_reminders(survey=survey, user=secretariat)

    assert reminder.group_count == LocalGroup.objects.count() - 1


def test_reminder_mail_reaches_the_contact_person(
    taby, chair, secretariat, django_capture_on_commit_callbacks
):
    survey = SurveyFactory()
    danderyd = LocalGroup.objects.get(name="Danderyd")
    SurveyContact.objects.create(group=danderyd, user=secretariat)
    ResponseFactory(survey=survey, group=danderyd)

    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(survey=survey, user=secretariat)

    # Through the outbox, in the contact person's digest (their choice; the default).
    queued = OutboundMessage.objects.filter(source=f"followup.survey:{survey.pk}:reminder")
    to_chair = queued.get(recipient=chair)
    assert to_chair.digest and to_chair.url == reverse("followup:my_surveys")
    assert str(survey.year) in to_chair.subject and "Täby" in to_chair.body
    assert not queued.filter(recipient=secretariat).exists()  # Danderyd has answered
    assert chair.email not in [r for message in mail.outbox for r in message.to]
    outbox.send_digests()
    (digest,) = [m for m in mail.outbox if m.to == [chair.email]]
    assert f"Påminnelse: BUS-länsenkäten {survey.year}" in digest.body


def test_opening_a_survey_invites_the_groups(
    taby, chair, secretariat_client, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=chair.pk).update(email_digest=False)
    survey = SurveyFactory(status=Survey.Status.DRAFT)

    with django_capture_on_commit_callbacks(execute=True):
        secretariat_client.post(reverse("followup:survey_open", kwargs={"year": survey.year}))

    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN
    (invitation,) = [m for m in mail.outbox if m.to == [chair.email]]
    assert reverse("followup:my_surveys") in invitation.body
    assert OutboundMessage.objects.get(
        recipient=chair, source__startswith="followup.survey:"
    ).sent_at


def test_a_group_without_a_contact_person_is_invited_at_its_own_address(
    secretariat, django_capture_on_commit_callbacks
):
    survey = SurveyFactory()
    group = LocalGroup.objects.get(name="Danderyd")
    LocalGroup.objects.filter(pk=group.pk).update(contact_email="bus.danderyd@example.org")
    SurveyContact.objects.filter(group=group).delete()

    with django_capture_on_commit_callbacks(execute=True):
        services.send_reminders(survey=survey, user=secretariat)

    message = OutboundMessage.objects.get(to_address="bus.danderyd@example.org")
    assert message.recipient is None and not message.digest and message.sent_at
    assert "bus.danderyd@example.org" in [r for m in mail.outbox for r in m.to]


def test_the_secretariat_creates_a_survey_from_the_question_bank(secretariat_client):
    questions = list(Question.objects.filter(code__in=["group_exists", "services"]))
    year = timezone.localdate().year + 3
    response = secretariat_client.post(
        reverse("followup:survey_create"),
        once(
            {
                "year": year,
                "deadline": f"{year}-11-30",
                "opens_on": f"{year}-09-01",
                "questions": [q.pk for q in questions],
            }
        ),
    )

    survey = Survey.objects.get(year=year)
    assert response["Location"] == reverse("followup:survey_detail", kwargs={"year": year})
    assert survey.status == Survey.Status.DRAFT
    assert {q.code for q in survey.questions.all()} == {"group_exists", "services"}
    assert survey.deadline == datetime.date(year, 11, 30)
    assert survey.opens_on == datetime.date(year, 9, 1)


def test_the_builtin_question_bank_has_the_2014_codes(db):
    codes = set(Question.objects.values_list("code", flat=True))
    assert {
        "group_exists",
        "services",
        "local_agreements",
        "sip_template_known",
        "sip_template_rating",
        "habrehab_known",
        "habrehab_routines",
        "coordinator_appointed",
        "deviation_system_known",
        "deviation_rating",
    } <= codes
    assert Question.objects.get(code="habrehab_routines").options == [
        "yes",
        "in_progress",
        "no",
        "dont_know",
    ]
    assert "police" in Question.objects.get(code="services").options


def test_the_secretariat_adds_a_question_with_its_own_codes(secretariat_client):
    secretariat_client.post(
        reverse("followup:question_create"),
        once(
            {
                "code": "plan_updated",
                "section": "other",
                "kind": "single",
                "text": "Har planen uppdaterats?",
                "order": 500,
                "answer_codes": "yes: Ja\npartly: Delvis\nno: Nej",
            }
        ),
    )

    question = Question.objects.get(code="plan_updated")
    assert question.options == ["yes", "partly", "no"]
    assert question.label_for("partly") == "Delvis"


def test_the_commentary_is_saved_per_area_and_shown_in_the_report(survey, secretariat_client):
    url = reverse("followup:commentary", kwargs={"year": survey.year})
    secretariat_client.post(
        url,
        page_payload(
            secretariat_client,
            url,
            structure="Strukturen är stabil.",
            deviations="Fler avvikelser.",
        ),
    )

    assert (
        Commentary.objects.get(survey=survey, section="structure").text == "Strukturen är stabil."
    )
    page = secretariat_client.get(reverse("followup:report", kwargs={"year": survey.year}))
    assert "Strukturen är stabil." in page.content.decode()


def test_the_tracking_page_has_a_constant_number_of_queries(secretariat_client):
    small, large = SurveyFactory(), SurveyFactory()
    for group in LocalGroup.objects.order_by("pk")[:2]:
        ResponseFactory(survey=small, group=group)
    for group in LocalGroup.objects.order_by("pk")[:20]:
        ResponseFactory(survey=large, group=group)

    def count(survey):
        with CaptureQueriesContext(connection) as queries:
            assert (
                secretariat_client.get(
                    reverse("followup:survey_detail", kwargs={"year": survey.year})
                ).status_code
                == 200
            )
        return len(queries)

    count(small)  # warm the session and caches
    assert count(small) == count(large)


def test_the_chair_sees_the_open_survey_on_the_start_page(chair_client):
    page = chair_client.get(reverse("home"))

    assert reverse("followup:my_surveys") in page.content.decode()


def test_the_secretariat_names_and_removes_a_contact_person(secretariat_client, officer):
    danderyd = LocalGroup.objects.get(name="Danderyd")

    secretariat_client.post(
        reverse("followup:contact_list"), {"group": danderyd.pk, "user": officer.pk}
    )
    contact = SurveyContact.objects.get(group=danderyd, user=officer)
    assert contact.active
    secretariat_client.post(reverse("followup:contact_remove", kwargs={"pk": contact.pk}))

    contact.refresh_from_db()
    assert not contact.active


def test_the_secretariat_panel_counts_groups_not_responses(rf, secretariat):
    from followup.dashboard import panels

    survey = SurveyFactory()
    salem = LocalGroup.objects.get(name="Södertälje/Salem")
    ResponseFactory(survey=survey, group=salem, participants="municipality")
    ResponseFactory(survey=survey, group=salem, participants="region")
    request = rf.get("/")
    request.user = secretariat

    tracking = next(p for p in panels(request) if p.template.endswith("survey_tracking.html"))

    assert (survey, 1) in tracking.context["rows"]


def test_the_contact_list_has_a_constant_number_of_queries(secretariat_client, officer, chief):
    url = reverse("followup:contact_list")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert secretariat_client.get(url).status_code == 200
        return len(queries)

    count()  # warm the session
    few = count()
    for group in LocalGroup.objects.order_by("pk")[:15]:
        SurveyContact.objects.create(group=group, user=officer)
        SurveyContact.objects.create(group=group, user=chief)
    assert count() == few


def test_the_guards_answer_yes_or_no_and_say_what_is_missing(db):
    empty = SurveyFactory(status=Survey.Status.DRAFT, questions=[])
    ready = SurveyFactory(status=Survey.Status.DRAFT)
    open_survey = SurveyFactory()

    assert (empty.can_open(), len(empty.missing_for_opening())) == (False, 1)
    assert (ready.can_open(), ready.missing_for_opening()) == (True, [])
    assert (open_survey.can_open(), open_survey.can_close()) == (False, True)
    assert (ready.can_close(), len(ready.missing_for_closing())) == (False, 1)


def test_a_response_without_areas_can_be_edited_but_not_submitted(survey, taby):
    response = ResponseFactory(survey=survey, group=taby, status=Response.Status.DRAFT, areas=[])

    assert response.can_edit()
    assert not response.can_submit()
    assert len(response.missing_for_submission()) == 1


def test_closing_a_closed_survey_goes_back_to_it_with_the_reason(secretariat_client):
    survey = SurveyFactory(status=Survey.Status.CLOSED)

    page = secretariat_client.post(
        reverse("followup:survey_close", kwargs={"year": survey.year}), follow=True
    )

    assert page.redirect_chain[-1][0] == reverse(
        "followup:survey_detail", kwargs={"year": survey.year}
    )
    assert [m.level_tag for m in page.context["messages"]] == ["error"]


def test_a_start_refused_by_the_rules_is_shown_on_the_form(survey, taby, chair_client, chair):
    services.start_response(survey=survey, group=taby, participants="both", user=chair)

    page = chair_client.post(
        reverse("followup:response_start", kwargs={"year": survey.year, "group": taby.pk}),
        {"participants": "both"},
    )

    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    assert Response.objects.filter(survey=survey, group=taby).count() == 1
