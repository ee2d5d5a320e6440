from tests.permissions import ALL_USERS, Route, users


def _taby():
    from agreements.models import LocalGroup

    return LocalGroup.objects.get(name="Täby").pk


def _open_year():
    from followup.models import Survey

    return Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year").first().year


def _taby_response():
    from followup.models import Response

    return Response.objects.get(survey__year=2025, group__name="Täby", participants="both").pk


def _taby_contact():
    from followup.models import SurveyContact

    return SurveyContact.objects.get(group__name="Täby", user__username="chair").pk


def _import_preview():
    """A file the secretariat uploaded to the open survey, waiting on its preview."""
    from followup.importing import preview_import
    from followup.models import Survey
    from tests.conftest import demo_user

    survey = Survey.objects.get(year=_open_year())
    content = b"group;areas;participants;group_exists\nDanderyd;Danderyd;both;yes\n"
    preview = preview_import(
        survey=survey, content=content, filename="svar.csv", user=demo_user("secretariat")
    )
    return {"year": survey.year, "token": preview.token}


def _question():
    from followup.models import Question

    return Question.objects.get(code="group_exists").pk


SECRETARIAT = users("secretariat")
COUNTY = users("secretariat", "bussam")
INDICATORS = users("chair", "secretariat", "bussam")
NOT_CHAIR = ALL_USERS - users("chair")
NOT_CHAIR_OR_SECRETARIAT = ALL_USERS - users("chair", "secretariat")

ROUTES = [
    Route("followup:survey_list", allowed=SECRETARIAT),
    Route("followup:survey_create", allowed=SECRETARIAT),
    Route("followup:survey_detail", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}),
    Route(
        "followup:survey_open", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}, method="post"
    ),
    Route("followup:survey_close", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}),
    Route(
        "followup:survey_remind", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}, method="post"
    ),
    Route("followup:survey_edit", allowed=SECRETARIAT, kwargs=lambda: {"year": _open_year()}),
    Route("followup:survey_reopen", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}),
    Route("followup:survey_import", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}),
    Route("followup:survey_import_preview", allowed=SECRETARIAT, kwargs=_import_preview),
    Route("followup:commentary", allowed=SECRETARIAT, kwargs=lambda: {"year": 2025}),
    Route("followup:contact_list", allowed=SECRETARIAT),
    Route(
        "followup:contact_remove",
        allowed=SECRETARIAT,
        kwargs=lambda: {"pk": _taby_contact()},
        method="post",
    ),
    Route("followup:question_list", allowed=SECRETARIAT),
    Route("followup:question_create", allowed=SECRETARIAT),
    Route("followup:question_edit", allowed=SECRETARIAT, kwargs=lambda: {"pk": _question()}),
    Route("followup:my_surveys", allowed=users("chair")),
    Route(
        "followup:response_start",
        allowed=users("chair"),
        hidden=NOT_CHAIR,
        kwargs=lambda: {"year": _open_year(), "group": _taby()},
    ),
    Route(
        "followup:response_detail",
        allowed=users("chair", "secretariat"),
        hidden=NOT_CHAIR_OR_SECRETARIAT,
        kwargs=lambda: {"pk": _taby_response()},
    ),
    Route(
        "followup:response_edit",
        allowed=users("chair"),
        hidden=NOT_CHAIR_OR_SECRETARIAT,
        kwargs=lambda: {"pk": _taby_response()},
    ),
    Route("followup:report", allowed=COUNTY, kwargs=lambda: {"year": 2025}),
    Route("followup:report_pdf", allowed=COUNTY, kwargs=lambda: {"year": 2025}),
    Route("followup:report_csv", allowed=COUNTY, kwargs=lambda: {"year": 2025}),
    Route("followup:report_xlsx", allowed=COUNTY, kwargs=lambda: {"year": 2025}),
    Route("followup:county_dashboard", allowed=COUNTY),
    Route("followup:indicator_list", allowed=INDICATORS),
    Route(
        "followup:indicator_detail",
        allowed=INDICATORS,
        kwargs=lambda: {"group": _taby(), "year": 2025},
    ),
    Route(
        "followup:indicator_manual",
        allowed=users("chair"),
        kwargs=lambda: {"group": _taby(), "year": 2025},
    ),
    Route(
        "followup:indicator_signoff",
        allowed=users("chair"),
        kwargs=lambda: {"group": _taby(), "year": 2025},
    ),
]
