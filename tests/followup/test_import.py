"""Importing responses from a CSV file: read what Excel writes, check every row, never overwrite
a group's own answer unseen, and only into an open survey."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import Area, LocalGroup
from bus_portal import audit
from bus_portal.models import FormSubmission
from followup import services
from followup.audit import Purpose
from followup.importing import (
    ImportFailed,
    ImportRefused,
    confirm_import,
    import_responses,
    load_plan,
    preview_import,
)
from followup.models import Answer, ImportPreview, Response, Survey
from followup.report import build_report
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.submissions import once


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the msgid language; the UI shows them in Swedish.
    with translation.override("en"):
        yield


HEADER = "group,areas,participants,group_exists,services,services_other,sip_template_rating"


def _csv(*rows: str, header: str = HEADER, separator: str = ",") -> bytes:
    lines = [header.replace(",", separator), *rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


GOOD = _csv(
    "Täby,Täby,both,yes,social_services;bup;other,Fritidsgård,good",
    "Södertälje/Salem,Södertälje;Salem,municipality,being_formed,school,,",
    "Södertälje/Salem,Södertälje;Salem,region,yes,bup;habilitation,,less_good",
    "Rinkeby-Kista och Spånga-Tensta,Rinkeby-Kista;Spånga-Tensta,both,yes,,,dont_know",
)


def _errors(survey, content):
    with pytest.raises(ImportFailed) as exc:
        import_responses(survey=survey, content=content)
    return [(e.row, e.column) for e in exc.value.errors], exc.value.errors


@pytest.fixture
def taby(db):
    return LocalGroup.objects.get(name="Täby")


def _web_answer(survey, group, **answers) -> Response:
    """The group's own answer, given in the portal."""
    return ResponseFactory.with_answers(
        answers or {"group_exists": ["no"], "services_other": "Vår egen fritext"},
        survey=survey,
        group=group,
        source=Response.Source.WEB,
    )


# --- Reading the file ----------------------------------------------------------------------------


def test_it_imports_every_row_with_answers_and_areas(survey):
    result = import_responses(survey=survey, content=GOOD)

    assert (result.created, result.updated) == (4, 0)
    taby = Response.objects.get(survey=survey, group__name="Täby")
    assert taby.status == Response.Status.SUBMITTED
    assert taby.source == Response.Source.IMPORT
    assert [a.name for a in taby.areas.all()] == ["Täby"]
    answers = {a.question.code: a for a in taby.answers.select_related("question")}
    assert answers["services"].choices == ["social_services", "bup", "other"]
    assert answers["services_other"].text == "Fritidsgård"
    assert set(answers) == {"group_exists", "services", "services_other", "sip_template_rating"}
    districts = Response.objects.get(survey=survey, group__name__startswith="Rinkeby")
    assert sorted(a.kind for a in districts.areas.all()) == ["district", "district"]


def test_importing_the_same_file_twice_replaces_the_earlier_import(survey):
    import_responses(survey=survey, content=GOOD)
    result = import_responses(survey=survey, content=GOOD)

    assert (result.created, result.updated) == (0, 4)
    assert Response.objects.filter(survey=survey).count() == 4
    assert Answer.objects.filter(response__survey=survey).count() == 4 + 2 + 3 + 2


def test_it_accepts_a_byte_order_mark(survey):
    import_responses(survey=survey, content=b"\xef\xbb\xbf" + GOOD)

    assert Response.objects.filter(survey=survey).count() == 4


def test_it_reads_a_semicolon_separated_file_from_swedish_excel(survey):
    # Excel with Swedish settings separates with ";" and writes Windows-1252; several values in
    # a cell come quoted with ";" or unquoted with ",".
    content = _csv(
        'Täby;Täby;both;yes;"social_services;bup";Fritidsgård, ungdomsmottagning;good',
        "Södertälje/Salem;Södertälje,Salem;municipality;being_formed;school;;",
        separator=";",
    ).decode()
    content = content.encode("cp1252")

    result = import_responses(survey=survey, content=content)

    assert result.created == 2
    taby = Response.objects.get(survey=survey, group__name="Täby")
    answers = {a.question.code: a for a in taby.answers.select_related("question")}
    assert answers["services"].choices == ["social_services", "bup"]
    assert answers["services_other"].text == "Fritidsgård, ungdomsmottagning"
    salem = Response.objects.get(survey=survey, group__name="Södertälje/Salem")
    assert sorted(a.name for a in salem.areas.all()) == ["Salem", "Södertälje"]


def test_it_reads_a_tab_separated_file(survey):
    import_responses(survey=survey, content=_csv("Täby\tTäby\tboth\tyes\t\t\t", separator="\t"))

    assert Response.objects.filter(survey=survey, group__name="Täby").exists()


def test_a_missing_column_names_the_separator_and_the_columns_found(survey):
    content = _csv("Täby|Täby|both", header="group|areas|participants")

    cells, errors = _errors(survey, content)

    assert cells == [
        (1, "group"),
        (1, "areas"),
        (1, "participants"),
        (1, "group|areas|participants"),
    ]
    assert "comma (,)" in errors[0].message
    assert "“group|areas|participants”" in errors[0].message


def test_it_refuses_text_that_is_neither_utf8_nor_windows_1252_and_names_the_line(survey):
    content = _csv("Täby,Täby,both,yes,,,", "Danderyd,Danderyd,both,no,,,")
    broken = content.replace(b"Danderyd,Danderyd", b"Danderyd\x81,Danderyd")

    cells, errors = _errors(survey, broken)

    assert cells == [(3, "")]
    assert "neither UTF-8 nor Windows-1252" in errors[0].message
    assert not Response.objects.filter(survey=survey).exists()


def test_utf8_with_a_broken_byte_is_refused_rather_than_garbled(survey):
    content = _csv("Täby,Täby,both,yes,,,", "Österåker,Österåker,both,no,,,") + b"\xff\n"

    cells, _ = _errors(survey, content)

    assert cells == [(4, "")]


@pytest.mark.parametrize(
    "content, expected",
    [
        (b"\xff\xfeg\x00r\x00", "UTF-16"),
        (b"PK\x03\x04binary", "Excel workbook"),
        (b"group,areas\x00,participants\n", "binary data"),
        (b"group,areas,participants\nT\x07by,T\xc3\xa4by,both\n", "control characters"),
        (b"", "empty"),
    ],
)
def test_files_that_are_not_csv_get_a_clear_message(survey, content, expected):
    _cells, errors = _errors(survey, content)

    assert expected in errors[0].message


def test_it_reports_a_bad_answer_code_by_row_and_column_and_imports_nothing(survey):
    content = _csv(
        "Täby,Täby,both,yes,bup,,good",
        "Danderyd,Danderyd,both,maybe,bup;dentist,,good",
    )

    cells, errors = _errors(survey, content)

    assert cells == [(3, "group_exists"), (3, "services")]
    assert "maybe" in errors[0].message and "dentist" in errors[1].message
    assert not Response.objects.filter(survey=survey).exists()


def test_it_reports_an_unknown_area_and_an_unknown_group(survey):
    # No group is named Gotham, and none covers exactly Täby and Danderyd.
    content = _csv("Täby,Täby;Atlantis,both,yes,,,", "Gotham,Täby;Danderyd,both,yes,,,")

    cells, errors = _errors(survey, content)

    assert cells == [(2, "areas"), (3, "group")]
    assert "Atlantis" in errors[0].message
    assert "Gotham" in errors[1].message


def test_line_numbers_count_lines_of_the_file_not_records(survey):
    # A quoted free text over two lines: the next record starts on line 4.
    content = _csv('Täby,Täby,both,yes,,"rad ett\nrad två",', "Danderyd,Danderyd,both,maybe,,,")

    cells, _ = _errors(survey, content)

    assert cells == [(4, "group_exists")]


def test_huge_and_odd_cells_are_refused_as_errors(survey):
    content = _csv(
        f"Täby,Täby,both,yes,,{'x' * 10_000},",
        f"Danderyd,Danderyd,{'9' * 30},yes,,,",
        "Vallentuna,Vallentuna,both,\u202eyes,,,",
    )

    cells, _ = _errors(survey, content)

    assert cells == [(2, "services_other"), (3, "participants"), (4, "group_exists")]


def test_areas_are_matched_as_they_were_in_the_survey_year(db):
    # Älvsjö was merged into Hägersten-Älvsjö in 2020.
    old, new = SurveyFactory(year=2019), SurveyFactory(year=2021)
    row = "Hägersten-Älvsjö,Älvsjö,both,yes,,,"

    import_responses(survey=old, content=_csv(row))
    cells, _ = _errors(new, _csv(row))

    assert Response.objects.get(survey=old).areas.get().name == "Älvsjö"
    assert cells == [(2, "areas")]


def test_it_refuses_the_same_group_and_participants_twice_in_one_file(survey):
    content = _csv("Täby,Täby,municipality,yes,,,", "Täby,Täby,municipality,no,,,")

    cells, errors = _errors(survey, content)

    assert cells == [(3, "participants")]
    assert "row 2" in errors[0].message


def test_it_refuses_a_joint_answer_next_to_separate_ones(survey):
    content = _csv("Täby,Täby,region,yes,,,", "Täby,Täby,both,no,,,")

    cells, _ = _errors(survey, content)

    assert cells == [(3, "participants")]


def test_it_refuses_a_separate_answer_when_the_group_already_answered_jointly(survey, taby):
    ResponseFactory(survey=survey, group=taby)

    cells, _ = _errors(survey, _csv("Täby,Täby,region,yes,,,"))

    assert cells == [(2, "participants")]


def test_it_reports_unknown_columns_and_bad_participants(survey):
    cells, _ = _errors(survey, _csv("Täby,Täby,both,yes", header="group,areas,participants,colour"))
    assert cells == [(1, "colour")]

    cells, _ = _errors(survey, _csv("Täby,Täby,everyone,yes,,,"))
    assert cells == [(2, "participants")]


# --- Which local group: by name or by areas, among the groups of the survey's year -------------


def test_a_row_finds_its_group_by_the_areas_when_the_name_differs(survey):
    import_responses(survey=survey, content=_csv("Gruppen i Salem,Södertälje;Salem,both,yes,,,"))

    assert Response.objects.get(survey=survey).group.name == "Södertälje/Salem"


def test_earlier_years_groupings_import_into_that_years_survey(db):
    # In 2014 the inner city was one group under another name; the current group began in 2016.
    inner_areas = Area.objects.filter(name__in=["Kungsholmen", "Norrmalm", "Östermalm"])
    current = LocalGroup.objects.get(name__startswith="Innerstaden")
    current.valid_from = datetime.date(2016, 1, 1)
    current.save()
    historical = LocalGroup.objects.create(
        name="Kungsholmen/Norrmalm/Östermalm", valid_to=datetime.date(2015, 12, 31)
    )
    historical.areas.set(inner_areas)
    survey_2014 = SurveyFactory(year=2014)
    by_name = "Kungsholmen/Norrmalm/Östermalm,Kungsholmen;Norrmalm;Östermalm,municipality,yes,,,"
    by_areas = "Innerstadsgruppen,Kungsholmen;Norrmalm;Östermalm,region,yes,,,"

    import_responses(survey=survey_2014, content=_csv(by_name, by_areas))

    responses = Response.objects.filter(survey=survey_2014)
    assert {r.group for r in responses} == {historical}
    # The current group is not one of 2014's, so naming it is refused with its period.
    cells, errors = _errors(
        SurveyFactory(year=2015), _csv(f'"{current.name}",Kungsholmen,both,yes,,,')
    )
    assert cells == [(2, "group")]
    assert "not a local group in 2015" in errors[0].message
    assert "2016-01-01" in errors[0].message
    # The survey's tracking and report list the groups of that year.
    assert historical in survey_2014.local_groups()
    assert current not in survey_2014.local_groups()
    report = build_report(survey_2014)
    assert current.name not in report.coverage.missing_groups
    assert historical.name not in report.coverage.missing_groups


def test_two_groups_of_the_year_with_the_same_areas_must_be_named(survey):
    twin = LocalGroup.objects.create(name="Täby tvilling")
    twin.areas.set(LocalGroup.objects.get(name="Täby").areas.all())

    cells, errors = _errors(survey, _csv("Täbygruppen,Täby,both,yes,,,"))

    assert cells == [(2, "group")]
    assert "Täby tvilling" in errors[0].message


# --- Only into an open survey --------------------------------------------------------------------


def test_a_closed_survey_refuses_the_import_and_its_report_stays_as_published(secretariat):
    survey = SurveyFactory(status=Survey.Status.CLOSED)
    published = build_report(survey).to_json()

    with pytest.raises(ImportRefused) as refused:
        import_responses(survey=survey, content=GOOD)
    with pytest.raises(ImportRefused):
        preview_import(survey=survey, content=GOOD, filename="svar.csv", user=secretariat)

    assert "reopen" in str(refused.value)
    assert build_report(survey).to_json() == published
    services.reopen_survey(survey=survey, user=secretariat, reason="Sena pappersenkäter")
    assert import_responses(survey=survey, content=GOOD).created == 4


def test_a_survey_not_yet_opened_refuses_and_says_when_it_opens(secretariat):
    survey = SurveyFactory(status=Survey.Status.DRAFT, opens_on=datetime.date(2040, 9, 1))

    with pytest.raises(ImportRefused) as refused:
        import_responses(survey=survey, content=GOOD)

    assert "2040-09-01" in str(refused.value)
    assert not Response.objects.filter(survey=survey).exists()


def test_the_upload_page_of_a_closed_survey_says_to_reopen_it(secretariat_client):
    survey = SurveyFactory(status=Survey.Status.CLOSED)

    page = secretariat_client.get(reverse("followup:survey_import", kwargs={"year": survey.year}))
    posted = secretariat_client.post(
        reverse("followup:survey_import", kwargs={"year": survey.year}),
        {"file": SimpleUploadedFile("svar.csv", GOOD)},
    )

    body = page.content.decode()
    assert 'id="import-refused"' in body
    assert reverse("followup:survey_reopen", kwargs={"year": survey.year}) in body
    assert posted.status_code == 200
    assert not Response.objects.filter(survey=survey).exists()
    assert not ImportPreview.objects.exists()


# --- A group's own answer is not replaced unasked ------------------------------------------------


def test_a_web_answer_is_kept_unless_its_group_is_chosen(survey, taby, secretariat):
    web = _web_answer(survey, taby)

    kept = import_responses(survey=survey, content=GOOD, user=secretariat)

    web.refresh_from_db()
    assert (kept.kept_web, kept.created) == (1, 3)
    assert web.source == Response.Source.WEB
    assert web.answers.get(question__code="services_other").text == "Vår egen fritext"

    replaced = import_responses(
        survey=survey, content=GOOD, user=secretariat, replace_groups={taby.pk}
    )

    web.refresh_from_db()
    assert (replaced.replaced_web, replaced.updated) == (1, 3)
    assert web.source == Response.Source.IMPORT
    assert web.answers.get(question__code="services_other").text == "Fritidsgård"
    event = audit.events_for(web).get(purpose=Purpose.RESPONSE_IMPORTED)
    assert (event.actor, event.changes) == (secretariat, {"source": ["web", "import"]})


def _upload(client, survey, content=GOOD):
    return client.post(
        reverse("followup:survey_import", kwargs={"year": survey.year}),
        {"file": SimpleUploadedFile("svar.csv", content)},
    )


def test_the_upload_shows_what_each_row_will_do_before_anything_is_written(
    survey, taby, secretariat_client
):
    _web_answer(survey, taby)
    ResponseFactory(
        survey=survey,
        group=LocalGroup.objects.get(name="Rinkeby-Kista och Spånga-Tensta"),
        source=Response.Source.IMPORT,
    )

    uploaded = _upload(secretariat_client, survey)
    preview = ImportPreview.objects.get()
    page = secretariat_client.get(uploaded["Location"])

    assert uploaded["Location"] == reverse(
        "followup:survey_import_preview", kwargs={"year": survey.year, "token": preview.token}
    )
    assert Response.objects.filter(survey=survey).count() == 2  # nothing written yet
    actions = {(row.parsed.row, row.action) for row in page.context["plan"].rows}
    assert actions == {(2, "conflict"), (3, "new"), (4, "new"), (5, "replace_import")}
    body = page.content.decode()
    assert "Vår egen fritext" in body and "Fritidsgård" in body  # the differing answers
    form = page.context["form"]
    assert form[f"group_{taby.pk}"].value() == "keep"  # the default keeps the group's answer


def test_confirming_keeps_the_web_answer_by_default_and_needs_no_second_upload(
    survey, taby, chair, secretariat, secretariat_client
):
    web = _web_answer(survey, taby)
    Response.objects.filter(pk=web.pk).update(submitted_by=chair)
    url = _upload(secretariat_client, survey)["Location"]
    data = once({"plan": secretariat_client.get(url).context["form"]["plan"].value()})

    first = secretariat_client.post(url, data)
    again = secretariat_client.post(url, data)

    assert first.status_code == again.status_code == 302
    web.refresh_from_db()
    assert (web.source, web.submitted_by) == (Response.Source.WEB, chair)
    assert web.answers.get(question__code="services_other").text == "Vår egen fritext"
    assert Response.objects.filter(survey=survey).count() == 4
    assert FormSubmission.objects.filter(user=secretariat).count() == 1
    imported = audit.events_for(survey).filter(purpose=Purpose.SURVEY_IMPORTED)
    assert [e.changes["kept_web"] for e in imported] == [["", "1"]]
    preview = ImportPreview.objects.get()
    assert preview.confirmed_at is not None and preview.content == ""


def test_choosing_replace_on_the_preview_replaces_only_that_groups_answer(
    survey, taby, secretariat, secretariat_client
):
    taby_web = _web_answer(survey, taby)
    salem = LocalGroup.objects.get(name="Södertälje/Salem")
    salem_web = _web_answer(survey, salem, group_exists=["no"])
    Response.objects.filter(pk=salem_web.pk).update(participants="municipality")
    url = _upload(secretariat_client, survey)["Location"]
    form = secretariat_client.get(url).context["form"]

    secretariat_client.post(
        url,
        once(
            {
                "plan": form["plan"].value(),
                f"group_{taby.pk}": "replace",
                f"group_{salem.pk}": "keep",
            }
        ),
    )

    taby_web.refresh_from_db()
    salem_web.refresh_from_db()
    assert (taby_web.source, taby_web.submitted_by) == (Response.Source.IMPORT, secretariat)
    assert salem_web.source == Response.Source.WEB
    assert salem_web.answers.get().choices == ["no"]


def test_an_answer_given_in_the_portal_after_the_preview_stops_the_import(
    survey, taby, secretariat_client
):
    url = _upload(secretariat_client, survey)["Location"]
    data = once({"plan": secretariat_client.get(url).context["form"]["plan"].value()})
    _web_answer(survey, taby)  # Täby answers while the secretariat looks at the preview

    refused = secretariat_client.post(url, data)

    assert refused.status_code == 409
    assert Response.objects.filter(survey=survey).count() == 1  # only Täby's own
    assert 'id="plan-changed"' in refused.content.decode()
    form = refused.context["form"]
    assert form[f"group_{taby.pk}"].value() == "keep"
    # The new preview, confirmed, imports the rest and keeps Täby's answer.
    assert secretariat_client.post(url, once({"plan": form["plan"].value()})).status_code == 302
    assert Response.objects.filter(survey=survey, source=Response.Source.IMPORT).count() == 3


def test_a_preview_is_only_for_the_person_who_uploaded_it(survey, secretariat, bussam_client):
    preview = preview_import(survey=survey, content=GOOD, filename="svar.csv", user=secretariat)
    other = secretariat.__class__.objects.create_user("secretariat2", is_demo=True)
    for membership in secretariat.memberships.all():
        membership.pk, membership.user = None, other
        membership.save()
    client = Client()
    client.force_login(other)
    url = reverse(
        "followup:survey_import_preview", kwargs={"year": survey.year, "token": preview.token}
    )

    assert client.get(url).status_code == 404
    assert bussam_client.get(url).status_code == 403


def test_an_expired_preview_asks_for_the_file_again(survey, secretariat, secretariat_client):
    preview = preview_import(survey=survey, content=GOOD, filename="svar.csv", user=secretariat)
    ImportPreview.objects.filter(pk=preview.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    url = reverse(
        "followup:survey_import_preview", kwargs={"year": survey.year, "token": preview.token}
    )

    page = secretariat_client.get(url)

    assert page["Location"] == reverse("followup:survey_import", kwargs={"year": survey.year})
    with pytest.raises(services.FollowupError):
        confirm_import(
            preview=preview,
            replace_groups=(),
            expected_digest=load_plan(preview).digest,
            user=secretariat,
        )


def test_a_survey_closed_after_the_preview_refuses_the_confirmation(
    survey, secretariat, secretariat_client
):
    url = _upload(secretariat_client, survey)["Location"]
    data = once({"plan": secretariat_client.get(url).context["form"]["plan"].value()})
    services.close_survey(survey=survey, user=secretariat)

    refused = secretariat_client.post(url, data)

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert not Response.objects.filter(survey=survey).exists()


def test_the_management_command_imports_keeps_web_answers_and_reports_errors(
    survey, taby, tmp_path, capsys
):
    web = _web_answer(survey, taby)
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("Täby,Täby,both,maybe,,,"))

    call_command("import_survey_responses", "--year", str(survey.year), "--dry-run", str(good))
    assert "Conflict" in capsys.readouterr().out
    call_command("import_survey_responses", "--year", str(survey.year), str(good))
    with pytest.raises(CommandError):
        call_command("import_survey_responses", "--year", str(survey.year), str(bad))

    assert Response.objects.filter(survey=survey).count() == 4
    web.refresh_from_db()
    assert web.source == Response.Source.WEB
    assert "2" in capsys.readouterr().err.split("group_exists")[0]
    call_command(
        "import_survey_responses",
        "--year",
        str(survey.year),
        "--replace-portal-answer",
        "Täby",
        str(good),
    )
    web.refresh_from_db()
    assert web.source == Response.Source.IMPORT


def test_the_secretariat_uploads_a_file_with_errors_and_sees_them(survey, secretariat_client):
    bad = _upload(secretariat_client, survey, _csv("Täby,Täby,both,maybe,,,"))

    assert bad.status_code == 200
    assert [(e.row, e.column) for e in bad.context["import_errors"]] == [(2, "group_exists")]
    assert not ImportPreview.objects.exists()
