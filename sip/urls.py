from django.urls import path

from sip import consent_views, forum_views, read_views, views

app_name = "sip"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan_list"),
    path("ny/", views.PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/", read_views.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/redigera/", views.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/samtycke/", consent_views.ConsentCreateView.as_view(), name="consent_create"),
    path("<int:pk>/faststall/", views.PlanAgreeView.as_view(), name="plan_agree"),
    path("<int:pk>/uppfoljning/", views.PlanFollowUpView.as_view(), name="plan_followup"),
    path("<int:pk>/avsluta/", views.PlanCloseView.as_view(), name="plan_close"),
    path(
        "<int:pk>/version/<int:number>/",
        read_views.PlanVersionView.as_view(),
        name="plan_version",
    ),
    path("<int:pk>/pdf/", read_views.PlanPdfView.as_view(), name="plan_pdf"),
    path("<int:pk>/fhir/", read_views.PlanFhirView.as_view(), name="plan_fhir"),
    path("<int:pk>/min-plan/", read_views.MyPlanView.as_view(), name="my_plan"),
    path("<int:pk>/min-plan/pdf/", read_views.MyPlanPdfView.as_view(), name="my_plan_pdf"),
    path(
        "samtycke/<int:pk>/aterkalla/",
        consent_views.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path(
        "samtycke/<int:pk>/dokument/",
        consent_views.ConsentDocumentView.as_view(),
        name="consent_document",
    ),
    path("individforum/", forum_views.ForumCaseListView.as_view(), name="forum_list"),
    path("individforum/nytt/", forum_views.ForumCaseCreateView.as_view(), name="forum_create"),
    path("individforum/<int:pk>/", forum_views.ForumCaseDetailView.as_view(), name="forum_detail"),
    path(
        "individforum/<int:pk>/samtycke/",
        consent_views.ForumConsentCreateView.as_view(),
        name="forum_consent_create",
    ),
    path(
        "individforum/<int:pk>/protokoll/",
        forum_views.ForumProtocolView.as_view(),
        name="forum_protocol",
    ),
    path(
        "individforum/<int:pk>/avsluta/", forum_views.ForumCloseView.as_view(), name="forum_close"
    ),
    path("individforum/<int:pk>/pdf/", forum_views.ForumPdfView.as_view(), name="forum_pdf"),
]
