from django.urls import path

from agreements import views
from agreements import views_bodies as bodies
from agreements import views_corrections as corrections
from agreements import views_meetings as meetings
from agreements import views_notices as notices
from agreements import views_revisions as revisions

app_name = "agreements"

urlpatterns = [
    path("", views.CountyOverviewView.as_view(), name="overview"),
    path("grupper/<int:pk>/", views.GroupDetailView.as_view(), name="group_detail"),
    path(
        "grupper/<int:pk>/moten.csv",
        views.group_meetings_csv,
        name="group_meetings_csv",
    ),
    path(
        "grupper/<int:pk>/ny-overenskommelse/",
        views.AgreementCreateView.as_view(),
        name="agreement_create",
    ),
    path(
        "overenskommelser/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"
    ),
    path("overenskommelser/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path(
        "overenskommelser/<int:pk>/ny-revision/",
        revisions.revision_create,
        name="revision_create",
    ),
    path(
        "overenskommelser/<int:pk>/jamfor/",
        revisions.RevisionCompareView.as_view(),
        name="revision_compare",
    ),
    path(
        "overenskommelser/<int:pk>/oversyn/",
        revisions.ReviewCreateView.as_view(),
        name="review_record",
    ),
    path(
        "overenskommelser/<int:pk>/originalgang/",
        revisions.originals_step,
        name="originals_step",
    ),
    path(
        "overenskommelser/<int:pk>/bilagor/ny/",
        revisions.AttachmentCreateView.as_view(),
        name="attachment_create",
    ),
    path(
        "overenskommelser/<int:pk>/plan/ny/",
        revisions.PlanItemCreateView.as_view(),
        name="plan_item_create",
    ),
    path(
        "overenskommelser/<int:agreement_pk>/organ/nytt/",
        bodies.BodyFormView.as_view(),
        name="body_create",
    ),
    path("bilagor/<int:pk>/", revisions.attachment_download, name="attachment_download"),
    path(
        "bilagor/<int:pk>/andra/", corrections.AttachmentEditView.as_view(), name="attachment_edit"
    ),
    path(
        "bilagor/<int:pk>/ta-bort/",
        corrections.AttachmentRemoveView.as_view(),
        name="attachment_remove",
    ),
    path("plan/<int:pk>/andra/", corrections.PlanItemEditView.as_view(), name="plan_item_edit"),
    path(
        "plan/<int:pk>/ta-bort/", corrections.PlanItemRemoveView.as_view(), name="plan_item_remove"
    ),
    path("revisioner/<int:pk>/", revisions.RevisionDetailView.as_view(), name="revision_detail"),
    path("revisioner/<int:pk>/andra/", revisions.RevisionEditView.as_view(), name="revision_edit"),
    path(
        "revisioner/<int:pk>/parter/ny/", revisions.PartyCreateView.as_view(), name="party_create"
    ),
    path("parter/<int:pk>/andra/", corrections.PartyEditView.as_view(), name="party_edit"),
    path("parter/<int:pk>/ta-bort/", corrections.PartyRemoveView.as_view(), name="party_remove"),
    path(
        "parter/<int:pk>/undertecknare/ny/",
        revisions.SignatoryCreateView.as_view(),
        name="signatory_create",
    ),
    path("undertecknare/<int:pk>/signera/", revisions.sign, name="sign"),
    path(
        "undertecknare/<int:pk>/andra/",
        corrections.SignatoryEditView.as_view(),
        name="signatory_edit",
    ),
    path(
        "undertecknare/<int:pk>/ta-bort/",
        corrections.SignatoryRemoveView.as_view(),
        name="signatory_remove",
    ),
    path(
        "undertecknare/<int:pk>/aterkalla/",
        corrections.SignatureWithdrawView.as_view(),
        name="signature_withdraw",
    ),
    path("organ/<int:pk>/", bodies.BodyDetailView.as_view(), name="body_detail"),
    path("organ/<int:pk>/andra/", bodies.BodyFormView.as_view(), name="body_edit"),
    path(
        "organ/<int:body_pk>/ledamoter/ny/", bodies.MemberFormView.as_view(), name="member_create"
    ),
    path(
        "organ/<int:body_pk>/moten/nytt/",
        meetings.MeetingCreateView.as_view(),
        name="meeting_create",
    ),
    path("ledamoter/<int:pk>/andra/", bodies.MemberFormView.as_view(), name="member_edit"),
    path("moten/<int:pk>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("moten/<int:pk>/andra/", meetings.MeetingEditView.as_view(), name="meeting_edit"),
    path("moten/<int:pk>/justera/", notices.MeetingCheckView.as_view(), name="meeting_check"),
    path(
        "moten/<int:pk>/publicera/", meetings.MeetingPublishView.as_view(), name="meeting_publish"
    ),
    path(
        "moten/<int:pk>/tillagg/", meetings.MeetingAddendumView.as_view(), name="meeting_addendum"
    ),
    path("moten/<int:pk>/ta-bort/", meetings.MeetingDeleteView.as_view(), name="meeting_delete"),
    path("moten/<int:pk>/stryk/", meetings.MeetingWithdrawView.as_view(), name="meeting_withdraw"),
    path(
        "moten/<int:pk>/dagordning/",
        meetings.meeting_refresh_agenda,
        name="meeting_refresh_agenda",
    ),
    path("moten/<int:pk>/pdf/", meetings.meeting_pdf, name="meeting_pdf"),
    path("moten/<int:pk>/kallelse/", notices.MeetingNoticeView.as_view(), name="meeting_notice"),
    path("moten/<int:pk>/kallelse/pdf/", notices.notice_pdf, name="meeting_notice_pdf"),
    path("moten/<int:pk>/svar/", notices.MeetingReplyView.as_view(), name="meeting_reply"),
    path(
        "moten/<int:pk>/justerare/",
        notices.MeetingCheckersView.as_view(),
        name="meeting_checkers",
    ),
    path("moten/<int:pk>/stall-in/", notices.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("moten/<int:pk>/handlingar/ny/", notices.PaperCreateView.as_view(), name="paper_create"),
    path("handlingar/<int:pk>/", notices.paper_download, name="meeting_paper"),
    path("handlingar/<int:pk>/ta-bort/", notices.PaperRemoveView.as_view(), name="paper_remove"),
    path("uppdrag/<int:pk>/", meetings.assignment_update, name="assignment_update"),
]
