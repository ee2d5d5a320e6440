"""No lost updates in the follow-up: two people (or a person and an import) saving the same answer,
commentary or survey; and creates that happen once however often the form is sent.

An edit form carries the record's version and its signed base; a save against a newer version is
refused with 409, and the page shows what the other person changed with the form holding their
version and this user's changes on top (bus_portal.concurrency, as the SIP edit).
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup
from bus_portal.models import FormSubmission
from followup.importing import import_responses
from followup.models import AnswerOption, Commentary, Question, Response, Survey
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.followup.payloads import form_payload
from tests.submissions import once

pytestmark = pytest.mark.django_db


@pytest.fixture
def taby(db):
    return LocalGroup.objects.get(name="Täby")


@pytest.fixture
def answer(survey, taby) -> Response:
    """Täby's draft in an open survey, with one answer."""
    return ResponseFactory.with_answers(
        {"group_exists": ["no"], "services_other": "Fritidsgård"},
        survey=survey,
        group=taby,
        status=Response.Status.DRAFT,
    )


def _url(response: Response) -> str:
    return reverse("followup:response_edit", kwargs={"pk": response.pk})


def _open(client, url: str):
    return client.get(url).context["form"]


def test_the_second_answer_save_shows_what_the_first_changed_and_keeps_both(answer, chair_client):
    url = _url(answer)
    mine, theirs = _open(chair_client, url), _open(chair_client, url)
    first = chair_client.post(url, form_payload(theirs, action="draft", q_group_exists="yes"))
    assert first.status_code == 302

    refused = chair_client.post(
        url, form_payload(mine, action="draft", q_services_other="Fritidsgård och bibliotek")
    )

    assert refused.status_code == 409
    answer.refresh_from_db()
    saved = {a.question.code: a for a in answer.answers.select_related("question")}
    assert saved["group_exists"].choices == ["yes"]
    assert saved["services_other"].text == "Fritidsgård"
    context = refused.context
    (change,) = context["their_changes"]
    assert change["label"] == "Finns det en lokal BUS-grupp?"
    assert (change["base"], change["theirs"]) == ("Nej", "Ja")
    assert not change["conflict"]
    assert [row["label"] for row in context["your_changes"]] == [
        "Andra verksamheter som ingår (fritext)"
    ]
    assert 'id="stale-warning"' in refused.content.decode()
    merged = context["form"]
    assert merged["q_group_exists"].value() == "yes"
    assert merged["q_services_other"].value() == "Fritidsgård och bibliotek"
    assert merged["lock_version"].value() == str(answer.lock_version)

    assert chair_client.post(url, form_payload(merged, action="draft")).status_code == 302
    answer.refresh_from_db()
    saved = {a.question.code: a for a in answer.answers.select_related("question")}
    assert saved["group_exists"].choices == ["yes"]
    assert saved["services_other"].text == "Fritidsgård och bibliotek"


def test_a_stale_answer_form_sent_again_still_cannot_overwrite(answer, chair_client):
    url = _url(answer)
    mine, theirs = _open(chair_client, url), _open(chair_client, url)
    chair_client.post(url, form_payload(theirs, action="draft", q_services_other="Deras"))
    stale = form_payload(mine, action="submit", q_services_other="Min")

    assert [chair_client.post(url, stale).status_code for _ in range(3)] == [409, 409, 409]
    answer.refresh_from_db()
    assert answer.answers.get(question__code="services_other").text == "Deras"
    assert answer.status == Response.Status.DRAFT


def test_a_field_both_changed_is_shown_side_by_side(answer, chair_client):
    url = _url(answer)
    mine, theirs = _open(chair_client, url), _open(chair_client, url)
    chair_client.post(url, form_payload(theirs, action="draft", q_services_other="Deras text"))

    refused = chair_client.post(
        url, form_payload(mine, action="draft", q_services_other="Min text")
    )

    (change,) = refused.context["their_changes"]
    assert change["conflict"]
    assert (change["theirs"], change["yours"]) == ("Deras text", "Min text")
    assert refused.context["conflicts"] == 1
    assert refused.context["form"]["q_services_other"].value() == "Min text"


def test_a_form_without_its_version_or_base_cannot_overwrite(answer, chair_client):
    url = _url(answer)
    data = form_payload(_open(chair_client, url), action="draft", q_services_other="Utan version")
    data.pop("lock_version")
    data["base"] = "manipulated"

    refused = chair_client.post(url, data)

    assert refused.status_code == 409
    answer.refresh_from_db()
    assert answer.answers.get(question__code="services_other").text == "Fritidsgård"


def test_an_answer_form_opened_before_an_import_cannot_overwrite_it(
    answer, taby, chair_client, secretariat
):
    url = _url(answer)
    mine = _open(chair_client, url)
    header = "group,areas,participants,services_other"
    import_responses(
        survey=answer.survey,
        content=f"{header}\nTäby,Täby,both,Från filen\n".encode(),
        user=secretariat,
        replace_groups={taby.pk},
    )

    refused = chair_client.post(url, form_payload(mine, action="draft", q_services_other="Min"))

    assert refused.status_code == 409
    assert refused.context["stale"].changed_by == str(secretariat)
    answer.refresh_from_db()
    assert answer.answers.get(question__code="services_other").text == "Från filen"


def test_the_secretariats_commentary_is_not_overwritten_unseen(secretariat_client):
    survey = Survey.objects.get(year=2025)
    url = reverse("followup:commentary", kwargs={"year": 2025})
    mine, theirs = _open(secretariat_client, url), _open(secretariat_client, url)
    assert secretariat_client.post(url, form_payload(theirs, habrehab="Deras")).status_code == 302

    refused = secretariat_client.post(url, form_payload(mine, other="Mitt tillägg"))

    assert refused.status_code == 409
    texts = dict(Commentary.objects.filter(survey=survey).values_list("section", "text"))
    assert texts["habrehab"] == "Deras" and texts.get("other", "") == ""
    merged = refused.context["form"]
    assert (merged["habrehab"].value(), merged["other"].value()) == ("Deras", "Mitt tillägg")
    assert secretariat_client.post(url, form_payload(merged)).status_code == 302
    texts = dict(Commentary.objects.filter(survey=survey).values_list("section", "text"))
    assert (texts["habrehab"], texts["other"]) == ("Deras", "Mitt tillägg")


def test_two_people_editing_a_survey_do_not_overwrite_each_other(secretariat_client):
    year = timezone.localdate().year + 1
    survey = SurveyFactory(year=year, deadline=datetime.date(year, 11, 30))
    url = reverse("followup:survey_edit", kwargs={"year": year})
    mine, theirs = _open(secretariat_client, url), _open(secretariat_client, url)
    secretariat_client.post(url, form_payload(theirs, deadline=f"{year}-12-01"))

    refused = secretariat_client.post(url, form_payload(mine, introduction="Min inledning"))

    assert refused.status_code == 409
    survey.refresh_from_db()
    assert (survey.deadline, survey.introduction) == (datetime.date(year, 12, 1), "")
    merged = refused.context["form"]
    assert merged["deadline"].value() == f"{year}-12-01"
    assert merged["introduction"].value() == "Min inledning"


def test_the_create_forms_sent_twice_create_once(survey, taby, chair_client, secretariat_client):
    year = timezone.localdate().year + 3
    data = once(
        {
            "year": year,
            "deadline": f"{year}-11-30",
            "questions": [Question.objects.get(code="group_exists").pk],
        }
    )
    created = [secretariat_client.post(reverse("followup:survey_create"), data) for _ in range(2)]
    assert [r.status_code for r in created] == [302, 302]
    assert created[0]["Location"] == created[1]["Location"]
    assert Survey.objects.filter(year=year).count() == 1

    question = once(
        {
            "code": "once_only",
            "section": "other",
            "kind": "single",
            "text": "En gång?",
            "order": 1,
            "answer_codes": "yes: Ja\nno: Nej",
        }
    )
    for _ in range(2):
        secretariat_client.post(reverse("followup:question_create"), question)
    assert Question.objects.filter(code="once_only").count() == 1

    start = reverse("followup:response_start", kwargs={"year": survey.year, "group": taby.pk})
    data = once({"participants": "municipality"})
    assert [chair_client.post(start, data).status_code for _ in range(2)] == [302, 302]
    assert Response.objects.filter(survey=survey, group=taby).count() == 1
    assert FormSubmission.objects.count() >= 3


def test_two_people_rewording_a_question_do_not_overwrite_each_other(secretariat_client):
    question = Question.objects.create(code="bank_new", section="other", kind="single", text="Ny?")
    AnswerOption.objects.bulk_create(
        [
            AnswerOption(question=question, code="yes", label="Ja", position=0),
            AnswerOption(question=question, code="no", label="Nej", position=1),
        ]
    )
    url = reverse("followup:question_edit", kwargs={"pk": question.pk})
    mine, theirs = _open(secretariat_client, url), _open(secretariat_client, url)
    saved = secretariat_client.post(url, form_payload(theirs, text="Finns en BUS-grupp?"))
    assert saved.status_code == 302

    refused = secretariat_client.post(
        url, form_payload(mine, answer_codes="yes: Ja\npartly: Delvis\nno: Nej")
    )

    assert refused.status_code == 409
    question.refresh_from_db()
    assert (question.text, question.options) == ("Finns en BUS-grupp?", ["yes", "no"])
    (change,) = refused.context["their_changes"]
    assert (change["base"], change["theirs"]) == ("Ny?", "Finns en BUS-grupp?")
    merged = refused.context["form"]
    assert merged["text"].value() == "Finns en BUS-grupp?"
    assert merged["answer_codes"].value() == "yes: Ja\npartly: Delvis\nno: Nej"
    assert 'id="stale-warning"' in refused.content.decode()
    # Saved again from the merged form: both changes kept; the stale form still cannot overwrite.
    assert secretariat_client.post(url, form_payload(merged)).status_code == 302
    question.refresh_from_db()
    assert question.text == "Finns en BUS-grupp?"
    assert question.options == ["yes", "partly", "no"]
    assert secretariat_client.post(url, form_payload(mine, text="Gammal")).status_code == 409
