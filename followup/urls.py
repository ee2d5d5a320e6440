from django.urls import include, path

from followup import views, views_import, views_indicators, views_report, views_response

app_name = "followup"

# The pages of one year's survey, report and group indicators, each under its one prefix.
survey_year_patterns = [
    path("", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("andra/", views.SurveyEditView.as_view(), name="survey_edit"),
    path("oppna/", views.survey_open, name="survey_open"),
    path("stang/", views.SurveyCloseView.as_view(), name="survey_close"),
    path("ateroppna/", views.SurveyReopenView.as_view(), name="survey_reopen"),
    path("paminn/", views.survey_remind, name="survey_remind"),
    path("import/", views_import.SurveyImportView.as_view(), name="survey_import"),
    path(
        "import/<uuid:token>/",
        views_import.ImportPreviewView.as_view(),
        name="survey_import_preview",
    ),
    path("kommentarer/", views.CommentaryView.as_view(), name="commentary"),
    path(
        "grupp/<int:group>/svara/",
        views_response.ResponseStartView.as_view(),
        name="response_start",
    ),
]
report_year_patterns = [
    path("", views_report.ReportView.as_view(), name="report"),
    path("pdf/", views_report.report_pdf, name="report_pdf"),
    path("csv/", views_report.report_csv, name="report_csv"),
    path("xlsx/", views_report.report_xlsx, name="report_xlsx"),
]
indicator_year_patterns = [
    path("", views_indicators.IndicatorDetailView.as_view(), name="indicator_detail"),
    path("manuella/", views_indicators.ManualFiguresView.as_view(), name="indicator_manual"),
    path("signera/", views_indicators.IndicatorSignOffView.as_view(), name="indicator_signoff"),
]

urlpatterns = [
    path("enkater/", views.SurveyListView.as_view(), name="survey_list"),
    path("enkater/ny/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("enkater/<int:year>/", include(survey_year_patterns)),
    path("kontaktpersoner/", views.ContactListView.as_view(), name="contact_list"),
    path("kontaktpersoner/<int:pk>/ta-bort/", views.contact_remove, name="contact_remove"),
    path("fragor/", views.QuestionListView.as_view(), name="question_list"),
    path("fragor/ny/", views.QuestionCreateView.as_view(), name="question_create"),
    path("fragor/<int:pk>/andra/", views.QuestionEditView.as_view(), name="question_edit"),
    path("mina-enkater/", views_response.MySurveysView.as_view(), name="my_surveys"),
    path("svar/<int:pk>/", views_response.ResponseDetailView.as_view(), name="response_detail"),
    path("svar/<int:pk>/andra/", views_response.ResponseEditView.as_view(), name="response_edit"),
    path("rapport/<int:year>/", include(report_year_patterns)),
    path("lan/", views_report.CountyDashboardView.as_view(), name="county_dashboard"),
    path("indikatorer/", views_indicators.IndicatorListView.as_view(), name="indicator_list"),
    path("indikatorer/<int:group>/<int:year>/", include(indicator_year_patterns)),
]
