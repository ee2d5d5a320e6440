"""The secretariat edits a survey and the question bank, and reopens a closed survey: each change
checked, audited, and refused where it would change what others rely on."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bus_portal import audit
from followup import services
from followup.audit import Purpose
from followup.models import AnswerOption, Question, Survey
from tests.followup.factories import SurveyFactory
from tests.followup.payloads import page_payload
from tests.submissions import once

pytestmark = pytest.mark.django_db


def _today() -> datetime.date:
    return timezone.localdate()


def _edit_url(survey: Survey) -> str:
    return reverse("followup:survey_edit", kwargs={"year": survey.year})


@pytest.fixture
def draft(db):
    year = _today().year + 1
    return SurveyFactory(
        year=year,
        status=Survey.Status.DRAFT,
        deadline=datetime.date(year, 11, 30),
        questions=list(Question.objects.filter(code__in=["group_exists", "services"])),
    )


def test_the_secretariat_changes_a_draft_surveys_dates_introduction_and_questions(
    draft, secretariat, secretariat_client
):
    rating = Question.objects.get(code="sip_template_rating")
    url = _edit_url(draft)
    data = page_payload(
        secretariat_client,
        url,
        deadline=f"{draft.year}-12-15",
        opens_on=f"{draft.year}-09-01",
        introduction="Välkomna till årets enkät.",
    )
    data["questions"] = [*data["questions"], rating.pk]

    saved = secretariat_client.post(url, data)

    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.deadline == datetime.date(draft.year, 12, 15)
    assert draft.opens_on == datetime.date(draft.year, 9, 1)
    assert draft.introduction == "Välkomna till årets enkät."
    assert rating in draft.questions.all()
    event = audit.events_for(draft).get(purpose=Purpose.SURVEY_EDITED)
    assert event.actor == secretariat
    assert event.changes["deadline"] == [f"{draft.year}-11-30", f"{draft.year}-12-15"]
    assert event.changes["questions"][1] == "group_exists,services,sip_template_rating"


def test_a_deadline_in_the_past_is_refused_at_creation_and_edit(
    draft, secretariat, secretariat_client
):
    yesterday = _today() - datetime.timedelta(days=1)
    created = secretariat_client.post(
        reverse("followup:survey_create"),
        once(
            {
                "year": _today().year + 2,
                "deadline": yesterday.isoformat(),
                "questions": [Question.objects.first().pk],
            }
        ),
    )
    edited = secretariat_client.post(
        _edit_url(draft),
        page_payload(secretariat_client, _edit_url(draft), deadline=str(yesterday)),
    )

    assert created.status_code == edited.status_code == 200
    assert "deadline" in created.context["form"].errors
    assert "deadline" in edited.context["form"].errors
    assert not Survey.objects.filter(year=_today().year + 2).exists()
    draft.refresh_from_db()
    assert draft.deadline == datetime.date(draft.year, 11, 30)
    with pytest.raises(services.SurveyStateError):
        services.create_survey(
            year=_today().year + 2, deadline=yesterday, questions=[], user=secretariat
        )
    with pytest.raises(services.SurveyStateError):
        services.update_survey(
            survey=draft,
            user=secretariat,
            expected_version=draft.lock_version,
            deadline=yesterday,
            opens_on=None,
            introduction="",
        )


def test_an_open_survey_whose_deadline_passed_can_still_have_its_introduction_changed(
    secretariat,
):
    passed = _today() - datetime.timedelta(days=3)
    survey = SurveyFactory()
    Survey.objects.filter(pk=survey.pk).update(deadline=passed)
    survey.refresh_from_db()

    services.update_survey(
        survey=survey,
        user=secretariat,
        expected_version=survey.lock_version,
        deadline=passed,  # the saved one: kept
        opens_on=None,
        introduction="Förlängt svar tas emot.",
    )

    survey.refresh_from_db()
    assert survey.introduction == "Förlängt svar tas emot."


def test_an_opened_surveys_questions_are_fixed(secretariat, secretariat_client):
    survey = SurveyFactory(
        year=_today().year + 1, deadline=datetime.date(_today().year + 1, 11, 30)
    )
    before = set(survey.questions.values_list("pk", flat=True))

    page = secretariat_client.get(_edit_url(survey))
    data = page_payload(secretariat_client, _edit_url(survey), introduction="Ny text")
    data["questions"] = [Question.objects.first().pk]  # a disabled field: ignored
    secretariat_client.post(_edit_url(survey), data)

    assert page.context["form"].fields["questions"].disabled
    survey.refresh_from_db()
    assert survey.introduction == "Ny text"
    assert set(survey.questions.values_list("pk", flat=True)) == before
    with pytest.raises(services.SurveyStateError):
        services.update_survey(
            survey=survey,
            user=secretariat,
            expected_version=survey.lock_version,
            deadline=survey.deadline,
            opens_on=None,
            introduction="",
            questions=[Question.objects.first()],
        )


def test_a_closed_survey_is_not_edited_until_reopened(secretariat, secretariat_client):
    survey = SurveyFactory(status=Survey.Status.CLOSED)

    page = secretariat_client.get(_edit_url(survey))

    assert 'id="edit-refused"' in page.content.decode()
    with pytest.raises(services.SurveyStateError):
        services.update_survey(
            survey=survey,
            user=secretariat,
            expected_version=survey.lock_version,
            deadline=survey.deadline,
            opens_on=None,
            introduction="Ändrad i efterhand",
        )


def test_reopening_a_closed_survey_needs_a_reason_which_the_log_keeps(
    secretariat, secretariat_client
):
    survey = SurveyFactory(status=Survey.Status.CLOSED, closed_at=timezone.now())
    url = reverse("followup:survey_reopen", kwargs={"year": survey.year})

    without = secretariat_client.post(url, {"reason": "   "})
    survey.refresh_from_db()
    assert without.status_code == 200 and "reason" in without.context["form"].errors
    assert survey.status == Survey.Status.CLOSED

    reopened = secretariat_client.post(url, {"reason": "Täbys pappersenkät kom sent"})

    assert reopened.status_code == 302
    survey.refresh_from_db()
    assert (survey.status, survey.closed_at) == (Survey.Status.OPEN, None)
    event = audit.events_for(survey).get(purpose=Purpose.SURVEY_REOPENED)
    assert event.actor == secretariat
    assert event.changes == {
        "status": ["closed", "open"],
        "reason": ["", "Täbys pappersenkät kom sent"],
    }
    detail = secretariat_client.get(reverse("followup:survey_detail", kwargs={"year": survey.year}))
    assert "Täbys pappersenkät kom sent" in detail.content.decode()
    # Only a closed survey is reopened: the second send is refused on the form.
    again = secretariat_client.post(url, {"reason": "Igen"})
    assert again.status_code == 200
    assert audit.events_for(survey).filter(purpose=Purpose.SURVEY_REOPENED).count() == 1


def test_answer_codes_cannot_repeat_within_a_question(secretariat, secretariat_client):
    page = secretariat_client.post(
        reverse("followup:question_create"),
        once(
            {
                "code": "twice",
                "section": "other",
                "kind": "single",
                "text": "Två gånger?",
                "order": 10,
                "answer_codes": "yes: Ja\nno: Nej\nyes: Ja igen",
            }
        ),
    )

    assert page.status_code == 200
    assert "answer_codes" in page.context["form"].errors
    assert not Question.objects.filter(code="twice").exists()
    question = Question.objects.get(code="group_exists")
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerOption.objects.create(question=question, code="yes", position=99)
    with pytest.raises(services.FollowupError):
        services.create_question(
            question=Question(code="twice", section="other", kind="single", text="?"),
            options=[("yes", "Ja"), ("yes", "Ja")],
            user=secretariat,
        )


def test_a_question_not_yet_asked_can_be_reworded_and_its_codes_changed(
    secretariat, secretariat_client
):
    question = Question.objects.create(code="new_one", section="other", kind="single", text="Ny?")
    AnswerOption.objects.bulk_create(
        [
            AnswerOption(question=question, code="yes", position=0),
            AnswerOption(question=question, code="no", position=1),
        ]
    )
    url = reverse("followup:question_edit", kwargs={"pk": question.pk})

    saved = secretariat_client.post(
        url,
        page_payload(
            secretariat_client,
            url,
            text="Nytt namn?",
            answer_codes="yes: Ja\npartly: Delvis\nno: Nej",
        ),
    )

    assert saved.status_code == 302
    question.refresh_from_db()
    assert question.text == "Nytt namn?"
    assert question.options == ["yes", "partly", "no"]
    assert question.label_for("partly") == "Delvis"
    event = audit.events_for(question).get(purpose=Purpose.QUESTION_EDITED)
    assert event.changes["options"] == ["yes,no", "yes,partly,no"]


def test_a_question_asked_in_an_opened_survey_keeps_its_codes(secretariat, secretariat_client):
    question = Question.objects.get(code="group_exists")  # asked in the demo surveys
    url = reverse("followup:question_edit", kwargs={"pk": question.pk})

    page = secretariat_client.get(url)
    secretariat_client.post(url, {"text": "Omformulerad", "answer_codes": "a: A\nb: B"})

    assert 'id="edit-refused"' in page.content.decode()
    question.refresh_from_db()
    assert question.options == ["yes", "being_formed", "no"]
    with pytest.raises(services.FollowupError):
        services.update_question(
            question=question,
            text="x",
            section="structure",
            kind="single",
            order=1,
            options=[("a", "A"), ("b", "B")],
            user=secretariat,
        )
