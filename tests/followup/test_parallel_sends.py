"""Sends that really overlap, on PostgreSQL: two stale answer forms saved at once, and the same
create form sent ten times at once. SQLite runs one writer at a time; the sequential tests in
test_concurrent_edits.py cover it there."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup
from bus_portal import audit
from followup.audit import Purpose
from followup.importing import preview_import
from followup.models import Question, Response, Survey
from tests.conftest import demo_user
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.followup.payloads import form_payload
from tests.submissions import once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one writer at a time; test_concurrent_edits.py covers it there",
    ),
]


def _post_in_parallel(username: str, url: str, payloads: list[dict]) -> list[int]:
    """Send each payload at once, each from its own thread and connection (as
    tests/sip/test_double_submits.py does)."""
    session = Client()
    session.force_login(demo_user(username))
    barrier = threading.Barrier(len(payloads))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send(data: dict) -> None:
        client = Client()
        client.cookies = session.cookies
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(data,)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


def test_two_stale_answer_forms_sent_at_once_cannot_both_save(demo_county):
    survey = SurveyFactory()
    taby = LocalGroup.objects.get(name="Täby")
    answer = ResponseFactory.with_answers(
        {"services_other": "Före"}, survey=survey, group=taby, status=Response.Status.DRAFT
    )
    url = reverse("followup:response_edit", kwargs={"pk": answer.pk})
    client = Client()
    client.force_login(demo_user("chair"))
    form = client.get(url).context["form"]  # both opened the same version
    texts = ["Först", "Sist"]

    statuses = _post_in_parallel(
        "chair",
        url,
        [form_payload(form, action="draft", q_services_other=text) for text in texts],
    )

    assert sorted(statuses) == [302, 409]
    answer.refresh_from_db()
    saved = answer.answers.get(question__code="services_other").text
    assert saved in texts
    assert answer.lock_version == 2  # one save, not two
    assert audit.events_for(answer).filter(purpose=Purpose.RESPONSE_DRAFT_SAVED).count() == 1


def test_ten_parallel_sends_of_each_followup_create_make_one(demo_county):
    year = timezone.localdate().year + 3
    survey_form = once(
        {
            "year": year,
            "deadline": f"{year}-11-30",
            "questions": [Question.objects.get(code="group_exists").pk],
        }
    )
    statuses = _post_in_parallel(
        "secretariat", reverse("followup:survey_create"), [survey_form] * 10
    )
    assert statuses == [302] * 10
    assert Survey.objects.filter(year=year).count() == 1

    question_form = once(
        {
            "code": "parallel_question",
            "section": "other",
            "kind": "single",
            "text": "Parallell?",
            "order": 1,
            "answer_codes": "yes: Ja\nno: Nej",
        }
    )
    statuses = _post_in_parallel(
        "secretariat", reverse("followup:question_create"), [question_form] * 10
    )
    assert statuses == [302] * 10
    assert Question.objects.filter(code="parallel_question").count() == 1

    open_survey = Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first()
    taby = LocalGroup.objects.get(name="Täby")
    start = reverse("followup:response_start", kwargs={"year": open_survey.year, "group": taby.pk})
    statuses = _post_in_parallel("chair", start, [once({"participants": "both"})] * 10)
    assert statuses == [302] * 10
    assert Response.objects.filter(survey=open_survey, group=taby).count() == 1


def test_ten_parallel_confirmations_of_an_import_write_it_once(demo_county):
    survey = SurveyFactory(year=datetime.date.today().year + 4)
    content = (
        "group;areas;participants;group_exists\nDanderyd;Danderyd;both;yes\nTäby;Täby;both;no\n"
    )
    preview = preview_import(
        survey=survey, content=content.encode(), filename="svar.csv", user=demo_user("secretariat")
    )
    url = reverse(
        "followup:survey_import_preview", kwargs={"year": survey.year, "token": preview.token}
    )
    client = Client()
    client.force_login(demo_user("secretariat"))
    plan = client.get(url).context["form"]["plan"].value()

    statuses = _post_in_parallel("secretariat", url, [once({"plan": plan})] * 10)

    assert statuses == [302] * 10
    assert Response.objects.filter(survey=survey).count() == 2
    assert audit.events_for(survey).filter(purpose=Purpose.SURVEY_IMPORTED).count() == 1
