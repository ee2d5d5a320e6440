from django.urls import path

from followup import views, views_indicators, views_report

app_name = "followup"

urlpatterns = [
    path("enkater/", views.SurveyListView.as_view(), name="survey_list"),
    path("enkater/ny/", views.SurveyCreateView.as_view(), name="survey_create"),
    path("enkater/<int:year>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("enkater/<int:year>/oppna/", views.survey_open, name="survey_open"),
    path("enkater/<int:year>/stang/", views.SurveyCloseView.as_view(), name="survey_close"),
    path("enkater/<int:year>/paminn/", views.survey_remind, name="survey_remind"),
    path("enkater/<int:year>/import/", views.SurveyImportView.as_view(), name="survey_import"),
    path("enkater/<int:year>/kommentarer/", views.CommentaryView.as_view(), name="commentary"),
    path("kontaktpersoner/", views.ContactListView.as_view(), name="contact_list"),
    path("kontaktpersoner/<int:pk>/ta-bort/", views.contact_remove, name="contact_remove"),
    path("fragor/", views.QuestionListView.as_view(), name="question_list"),
    path("fragor/ny/", views.QuestionCreateView.as_view(), name="question_create"),
    path("mina-enkater/", views.MySurveysView.as_view(), name="my_surveys"),
    path(
        "enkater/<int:year>/grupp/<int:group>/svara/",
        views.ResponseStartView.as_view(),
        name="response_start",
    ),
    path("svar/<int:pk>/", views.ResponseDetailView.as_view(), name="response_detail"),
    path("svar/<int:pk>/andra/", views.ResponseEditView.as_view(), name="response_edit"),
    path("rapport/<int:year>/", views_report.ReportView.as_view(), name="report"),
    path("rapport/<int:year>/pdf/", views_report.report_pdf, name="report_pdf"),
    path("rapport/<int:year>/csv/", views_report.report_csv, name="report_csv"),
    path("rapport/<int:year>/xlsx/", views_report.report_xlsx, name="report_xlsx"),
    path("lan/", views_report.CountyDashboardView.as_view(), name="county_dashboard"),
    path("indikatorer/", views_indicators.IndicatorListView.as_view(), name="indicator_list"),
    path(
        "indikatorer/<int:group>/<int:year>/",
        views_indicators.IndicatorDetailView.as_view(),
        name="indicator_detail",
    ),
    path(
        "indikatorer/<int:group>/<int:year>/manuella/",
        views_indicators.ManualFiguresView.as_view(),
        name="indicator_manual",
    ),
    path(
        "indikatorer/<int:group>/<int:year>/signera/",
        views_indicators.IndicatorSignOffView.as_view(),
        name="indicator_signoff",
    ),
]
