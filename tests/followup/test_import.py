import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from agreements.models import LocalGroup
from followup.importing import ImportFailed, import_responses
from followup.models import Answer, Response
from tests.followup.factories import ResponseFactory, SurveyFactory


@pytest.fixture(autouse=True)
def _english():
    # Messages are asserted in the msgid language; the UI shows them in Swedish.
    with translation.override("en"):
        yield


HEADER = "group,areas,participants,group_exists,services,services_other,sip_template_rating"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


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


def test_importing_the_same_file_twice_does_not_double_the_responses(survey):
    import_responses(survey=survey, content=GOOD)
    result = import_responses(survey=survey, content=GOOD)

    assert (result.created, result.updated) == (0, 4)
    assert Response.objects.filter(survey=survey).count() == 4
    assert Answer.objects.filter(response__survey=survey).count() == 4 + 2 + 3 + 2


def test_it_accepts_a_byte_order_mark(survey):
    import_responses(survey=survey, content=b"\xef\xbb\xbf" + GOOD)

    assert Response.objects.filter(survey=survey).count() == 4


def test_it_refuses_a_file_that_is_not_utf8_and_names_the_row(survey):
    latin1 = (
        _csv("Täby,Täby,both,yes,,,", "Österåker,Österåker,both,no,,,").decode().encode("latin-1")
    )

    cells, errors = _errors(survey, latin1)

    assert cells == [(2, "")]
    assert "UTF-8" in errors[0].message
    assert not Response.objects.filter(survey=survey).exists()


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
    content = _csv("Täby,Täby;Atlantis,both,yes,,,", "Gotham,Täby,both,yes,,,")

    cells, errors = _errors(survey, content)

    assert cells == [(2, "areas"), (3, "group")]
    assert "Atlantis" in errors[0].message


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


def test_it_refuses_a_separate_answer_when_the_group_already_answered_jointly(survey):
    ResponseFactory(survey=survey, group=LocalGroup.objects.get(name="Täby"))

    cells, _ = _errors(survey, _csv("Täby,Täby,region,yes,,,"))

    assert cells == [(2, "participants")]


def test_it_reports_unknown_columns_and_bad_participants(survey):
    cells, _ = _errors(survey, _csv("Täby,Täby,both,yes", header="group,areas,participants,colour"))
    assert cells == [(1, "colour")]

    cells, _ = _errors(survey, _csv("Täby,Täby,everyone,yes,,,"))
    assert cells == [(2, "participants")]


def test_the_management_command_imports_and_reports_errors(survey, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(GOOD)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv("Täby,Täby,both,maybe,,,"))

    call_command("import_survey_responses", "--year", str(survey.year), str(good))
    with pytest.raises(CommandError):
        call_command("import_survey_responses", "--year", str(survey.year), str(bad))

    assert Response.objects.filter(survey=survey).count() == 4
    assert "2" in capsys.readouterr().err.split("group_exists")[0]


def test_the_secretariat_uploads_a_file_in_the_browser(survey, secretariat_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("followup:survey_import", kwargs={"year": survey.year})
    bad = secretariat_client.post(
        url, {"file": SimpleUploadedFile("svar.csv", _csv("Täby,Täby,both,maybe,,,"))}
    )
    assert bad.status_code == 200
    assert [(e.row, e.column) for e in bad.context["import_errors"]] == [(2, "group_exists")]

    good = secretariat_client.post(url, {"file": SimpleUploadedFile("svar.csv", GOOD)})
    assert good.status_code == 302
    assert Response.objects.filter(survey=survey).count() == 4
