"""Plausible figures and years, and no server error for any input on any follow-up form or list."""

import datetime
import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agreements.models import LocalGroup, Principal
from followup import services
from followup.importing import preview_import
from followup.models import IndicatorYear, ManualFigure, Response, Survey
from tests.conftest import client_for, demo_user
from tests.followup.factories import SurveyFactory

pytestmark = pytest.mark.django_db

HOSTILE = {
    "huge number": "99999999999999999999",
    "huge negative number": "-99999999999999999999",
    "int32 overflow": "2147483648",
    "long text": "å" * 10_000,
    "control and bidi characters": "a\x00b\x07\u202eC\ufeff😀",
    "other digits": "²",
    "arabic digits": "١٢٣",
    "impossible date": "2026-02-30",
    "far date": "9999-12-31",
    "ancient date": "0001-01-01",
    "formula": '=HYPERLINK("http://example.org")',
    "empty": "",
}


def _taby() -> LocalGroup:
    return LocalGroup.objects.get(name="Täby")


def _manual_url(year: int) -> str:
    return reverse("followup:indicator_manual", kwargs={"group": _taby().pk, "year": year})


@pytest.mark.parametrize(
    "field, value",
    [
        ("forum_cases", "99999999999999999999"),
        ("forum_cases", "2147483648"),
        ("forum_cases", "10001"),
        ("deviations", "100001"),
        ("sips_new", "-1"),
        ("sips_active", "1e9"),
    ],
)
def test_a_manual_figure_outside_its_range_gets_a_clear_swedish_error(chair_client, field, value):
    year = timezone.localdate().year - 1

    page = chair_client.post(_manual_url(year), {field: value})

    assert page.status_code == 200
    assert field in page.context["form"].errors
    assert "Ange ett heltal från 0 till" in page.content.decode()
    assert not ManualFigure.objects.filter(
        indicator_year__year=year, indicator=field, value__gt=10
    ).exists()


def test_a_plausible_figure_is_saved_and_the_range_is_stated(chair_client):
    year = timezone.localdate().year - 1

    form = chair_client.get(_manual_url(year)).content.decode()
    saved = chair_client.post(_manual_url(year), {"forum_cases": "10000", "deviations": "100000"})

    assert "0–10\xa0000" in form or "0–10 000" in form
    assert saved.status_code == 302
    values = dict(
        ManualFigure.objects.filter(indicator_year__year=year).values_list("indicator", "value")
    )
    assert values == {"forum_cases": 10000, "deviations": 100000}


def test_the_service_and_the_database_refuse_an_implausible_figure(chair):
    year = timezone.localdate().year - 1
    municipality = Principal.objects.get(name="Täby kommun")

    with pytest.raises(services.FollowupError):
        services.save_manual_figures(
            group=_taby(),
            year=year,
            principal=municipality,
            values={"forum_cases": 2_147_483_648},
            note="",
            user=chair,
        )
    indicator_year, _created = IndicatorYear.objects.get_or_create(group=_taby(), year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        ManualFigure.objects.create(
            indicator_year=indicator_year,
            principal=municipality,
            indicator="forum_cases",
            value=10_001,
        )


def test_survey_years_must_be_within_ten_years_of_today(secretariat_client, chair_client):
    today = timezone.localdate()
    for year in (today.year - 11, today.year + 11, 99999999999999999999):
        page = secretariat_client.post(
            reverse("followup:survey_create"),
            {"year": year, "deadline": f"{today.year + 1}-11-30"},
        )
        assert page.status_code == 200
        assert "year" in page.context["form"].errors
    assert not Survey.objects.filter(year__in=[today.year - 11, today.year + 11]).exists()
    indicator = reverse(
        "followup:indicator_detail", kwargs={"group": _taby().pk, "year": today.year - 11}
    )
    assert chair_client.get(indicator).status_code == 404


@pytest.mark.parametrize(
    "username, url",
    [
        ("secretariat", "/uppfoljning/enkater/?page=99999999999999999999"),
        ("secretariat", "/uppfoljning/enkater/?page=-1"),
        ("secretariat", "/uppfoljning/fragor/?page=99999999999999999999"),
        ("secretariat", "/uppfoljning/fragor/?page=²"),
        ("secretariat", "/uppfoljning/enkater/99999999999999999999/"),
        ("secretariat", "/uppfoljning/enkater/99999999999999999999/import/"),
        ("secretariat", "/uppfoljning/fragor/99999999999999999999/andra/"),
        ("bussam", "/uppfoljning/lan/?group=²"),
        ("bussam", "/uppfoljning/lan/?group=99999999999999999999"),
        ("bussam", "/uppfoljning/rapport/99999999999999999999/"),
        ("chair", "/uppfoljning/indikatorer/1/99999999999999999999/"),
        ("chair", "/uppfoljning/svar/99999999999999999999/andra/"),
    ],
)
def test_lists_and_pages_answer_odd_parameters_without_a_server_error(username, url):
    response = client_for(username).get(url)

    assert response.status_code in (200, 404), response.status_code


_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
_FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"[^>]*>", re.I)
_SKIP = {"csrfmiddlewaretoken", "language", "next"}


def _valid_data(client, url: str) -> dict:
    """What the page's main form posts as shown (its hidden version, token and plan included)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    form = page.context.get("form")
    data: dict = {}
    if form is not None:
        for bound in form:
            value = bound.value()
            if value in (None, False, "", []):
                continue
            data[bound.html_name] = (
                [getattr(v, "pk", v) for v in value]
                if isinstance(value, list | tuple)
                else getattr(value, "pk", value)
            )
    names = {
        unescape(name)
        for match in _FORM.finditer(page.content.decode())
        for name in _FIELD.findall(match.group(1))
    } - _SKIP
    return {"names": sorted(names), "data": data}


def _form_urls() -> list[tuple[str, str]]:
    """Every follow-up page with a form, and who fills it in (the demo county)."""
    open_year = Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first().year
    taby = _taby()
    response = Response.objects.get(survey__year=2025, group=taby, participants="both")
    Survey.objects.filter(pk=response.survey_id).update(status=Survey.Status.OPEN)
    draft = SurveyFactory(
        year=timezone.localdate().year + 2,
        status=Survey.Status.DRAFT,
        deadline=datetime.date(timezone.localdate().year + 2, 11, 30),
    )
    preview = preview_import(
        survey=Survey.objects.get(year=open_year),
        content=b"group;areas;participants;group_exists\nDanderyd;Danderyd;both;yes\n",
        filename="svar.csv",
        user=demo_user("secretariat"),
    )
    last_year = timezone.localdate().year - 1
    return [
        ("secretariat", reverse("followup:survey_create")),
        ("secretariat", reverse("followup:survey_edit", kwargs={"year": draft.year})),
        ("secretariat", reverse("followup:survey_edit", kwargs={"year": open_year})),
        ("secretariat", reverse("followup:survey_reopen", kwargs={"year": 2024})),
        ("secretariat", reverse("followup:commentary", kwargs={"year": 2025})),
        ("secretariat", reverse("followup:question_create")),
        (
            "secretariat",
            reverse(
                "followup:survey_import_preview",
                kwargs={"year": open_year, "token": preview.token},
            ),
        ),
        ("secretariat", reverse("followup:contact_list")),
        ("chair", reverse("followup:response_start", kwargs={"year": open_year, "group": taby.pk})),
        ("chair", reverse("followup:response_edit", kwargs={"pk": response.pk})),
        (
            "chair",
            reverse("followup:indicator_manual", kwargs={"group": taby.pk, "year": last_year}),
        ),
    ]


def test_hostile_values_in_any_field_of_any_followup_form_never_give_a_server_error():
    """Each field of each form gets each hostile value in turn, the other fields as the page
    filled them, so that a value that passes the form also reaches the service and database."""
    failures = []
    for username, url in _form_urls():
        client = client_for(username)
        shown = _valid_data(client, url)
        assert shown["names"], f"no form found on {url}"
        for name in shown["names"]:
            for label, value in HOSTILE.items():
                data = {**shown["data"], name: value}
                status = client.post(url, data).status_code
                if status >= 500:
                    failures.append((url, name, label, status))
    assert not failures, failures


@pytest.mark.parametrize(
    "content",
    [
        b"\x00" * 1000,
        bytes(range(256)) * 50,
        ("group,areas,participants\n" + "Täby," * 100_000 + "\n").encode(),
        ("group;areas;participants\n" + '"' + "x" * 200_000 + '";Täby;both\n').encode(),
        "group,areas,participants\nTäby,Täby,\u202eboth\n".encode(),
        "group,areas,participants,group_exists\nTäby,Täby,both,²\n".encode("utf-16"),
    ],
)
def test_any_uploaded_file_is_answered_with_errors_not_a_server_error(secretariat_client, content):
    survey = SurveyFactory()

    page = secretariat_client.post(
        reverse("followup:survey_import", kwargs={"year": survey.year}),
        {"file": SimpleUploadedFile("svar.csv", content)},
    )

    assert page.status_code == 200
    assert page.context["import_errors"]
