from django.urls import include, path

from sip import consent_views, forum_views, meeting_views, read_views, views
from sip.auditing import audited_views
from sip.models import Consent, ForumCase, Plan

app_name = "sip"

# Grouped by the object a page belongs to, so each prefix (and its pk) is written once.
# Every view is wrapped by sip.auditing (``audited_views`` at the bottom, with the model each
# group's pk names): one audit row for each request that shows or refuses a child's record,
# whatever the view does itself. A pattern added anywhere here is wrapped too.
plan_patterns = [
    path("", read_views.PlanDetailView.as_view(), name="plan_detail"),
    path("redigera/", views.PlanEditView.as_view(), name="plan_edit"),
    path("samtycke/", consent_views.ConsentCreateView.as_view(), name="consent_create"),
    path("faststall/", views.PlanAgreeView.as_view(), name="plan_agree"),
    path("revidera/", views.PlanReviseView.as_view(), name="plan_revise"),
    path("uppfoljning/", views.PlanFollowUpView.as_view(), name="plan_followup"),
    path("avsluta/", views.PlanCloseView.as_view(), name="plan_close"),
    path("version/<int:number>/", read_views.PlanVersionView.as_view(), name="plan_version"),
    path("pdf/", read_views.PlanPdfView.as_view(), name="plan_pdf"),
    path("fhir/", read_views.PlanFhirView.as_view(), name="plan_fhir"),
    path("min-plan/", read_views.MyPlanView.as_view(), name="my_plan"),
    path("min-plan/pdf/", read_views.MyPlanPdfView.as_view(), name="my_plan_pdf"),
    path("mote/ny/", meeting_views.MeetingCreateView.as_view(), name="meeting_create"),
    path("mote/<int:meeting>/", meeting_views.MeetingEditView.as_view(), name="meeting_edit"),
    path(
        "mote/<int:meeting>/stall-in/",
        meeting_views.MeetingCancelView.as_view(),
        name="meeting_cancel",
    ),
    path(
        "mote/<int:meeting>/kallelse/",
        meeting_views.MeetingLetterView.as_view(),
        name="meeting_letter",
    ),
    path(
        "kallelse/<int:invitation>/",
        meeting_views.InvitationReplyView.as_view(),
        name="invitation_reply",
    ),
    path("bekrafta/", meeting_views.PlanConfirmView.as_view(), name="plan_confirm"),
    path(
        "familjens-godkannande/",
        meeting_views.FamilyAgreementView.as_view(),
        name="family_agreement",
    ),
    path(
        "familjens-godkannande/<int:signoff>/dokument/",
        read_views.FamilyAgreementDocumentView.as_view(),
        name="family_agreement_document",
    ),
]
consent_patterns = [
    path("aterkalla/", consent_views.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("dokument/", consent_views.ConsentDocumentView.as_view(), name="consent_document"),
]
forum_case_patterns = [
    path("", forum_views.ForumCaseDetailView.as_view(), name="forum_detail"),
    path("samtycke/", consent_views.ForumConsentCreateView.as_view(), name="forum_consent_create"),
    path("protokoll/", forum_views.ForumProtocolView.as_view(), name="forum_protocol"),
    path("avsluta/", forum_views.ForumCloseView.as_view(), name="forum_close"),
    path("pdf/", forum_views.ForumPdfView.as_view(), name="forum_pdf"),
]
forum_patterns = [
    path("", forum_views.ForumCaseListView.as_view(), name="forum_list"),
    path("nytt/", forum_views.ForumCaseCreateView.as_view(), name="forum_create"),
    path("<int:pk>/", include(forum_case_patterns)),
]

urlpatterns = audited_views(
    Plan,
    [
        path("", views.PlanListView.as_view(), name="plan_list"),
        path("ny/", views.PlanCreateView.as_view(), name="plan_create"),
        path("<int:pk>/", include(plan_patterns)),
        path("samtycke/<int:pk>/", include(audited_views(Consent, consent_patterns))),
        path("individforum/", include(audited_views(ForumCase, forum_patterns))),
    ],
)
