"""The report form, a step and a comment sent twice — a double click, a resend, ten parallel
posts — create one record (bus_portal.submissions). The parallel test runs on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from bus_portal.models import FormSubmission
from bus_portal.submissions import TOKEN_FIELD
from deviations.models import Comment, Deviation, DeviationStep, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance
from tests.deviations.test_report_form import _data
from tests.submissions import once


@pytest.mark.django_db
def test_the_report_form_sent_twice_makes_one_report(officer_client):
    data = _data(description="Dubbelklickad rapport.")
    first = officer_client.post(reverse("deviations:create"), data)
    second = officer_client.post(reverse("deviations:create"), data, follow=True)
    deviation = Deviation.objects.get(description="Dubbelklickad rapport.")
    assert first["Location"] == reverse("deviations:detail", kwargs={"pk": deviation.pk})
    assert second.redirect_chain[-1][0] == first["Location"]
    assert "Formuläret var redan skickat" in second.content.decode()


@pytest.mark.django_db
def test_a_refused_report_keeps_its_token_usable(officer_client):
    data = _data(description="Eleven 170101-2393.")
    refused = officer_client.post(reverse("deviations:create"), data)
    assert refused.status_code == 200
    assert data[TOKEN_FIELD] in refused.content.decode()
    saved = officer_client.post(reverse("deviations:create"), {**data, "description": "Ny."})
    assert saved.status_code == 302
    assert Deviation.objects.filter(description="Ny.").count() == 1


@pytest.mark.django_db
def test_a_send_without_a_token_is_refused_and_gets_a_fresh_one(officer_client):
    data = _data(description="Utan token.")
    del data[TOKEN_FIELD]
    response = officer_client.post(reverse("deviations:create"), data)
    assert response.status_code == 200
    assert f'name="{TOKEN_FIELD}" value="' in response.content.decode()
    assert not Deviation.objects.filter(description="Utan token.").exists()


@pytest.mark.django_db
def test_a_comment_and_a_step_sent_twice_are_made_once(officer_client, chief_client):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    url = reverse("deviations:comment", kwargs={"pk": deviation.pk})
    data = once({"text": "En fråga om remissen."})
    assert [officer_client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert Comment.objects.filter(deviation=deviation).count() == 1

    url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.RETURNED})
    data = once({"comment": "Komplettera med vad ni försökt."})
    first = chief_client.post(url, data)
    second = chief_client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert second["Location"] == first["Location"]
    assert DeviationStep.objects.filter(deviation=deviation, to_status=Status.RETURNED).count() == 1


def _post_in_parallel(username: str, url: str, data: dict, times: int = 10) -> list[int]:
    """Send the same form ``times`` times at once, each from its own thread and connection."""
    session = Client()
    session.force_login(demo_user(username))
    barrier = threading.Barrier(times)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def send() -> None:
        client = Client()
        client.cookies = session.cookies
        try:
            barrier.wait()
            statuses.append(client.post(url, data).status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return statuses


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite runs one writer at a time; the sequential tests above cover it there",
)
def test_ten_parallel_sends_make_one_report_one_comment_and_one_step(demo_county):
    data = _data(description="Tio samtidiga skick.")
    assert _post_in_parallel("officer", reverse("deviations:create"), data) == [302] * 10
    deviation = Deviation.objects.get(description="Tio samtidiga skick.")

    url = reverse("deviations:transition", kwargs={"pk": deviation.pk, "to": Status.WITH_MANAGER})
    assert _post_in_parallel("officer", url, once({"comment": ""})) == [302] * 10
    assert DeviationStep.objects.filter(deviation=deviation).count() == 1

    url = reverse("deviations:comment", kwargs={"pk": deviation.pk})
    assert _post_in_parallel("chief", url, once({"text": "Samma kommentar."})) == [302] * 10
    assert Comment.objects.filter(deviation=deviation).count() == 1
    assert FormSubmission.objects.count() == 3
