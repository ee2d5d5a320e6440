"""Every agreements URL for every demo role. Objects come from the demo seed (Täby, Norrtälje …)."""

from django.utils import timezone

from agreements.models import (
    Agreement,
    Assignment,
    Attachment,
    Body,
    LocalGroup,
    Meeting,
    MinutesStatus,
    Party,
    PlanItem,
    Signatory,
)
from tests.permissions import Route, users

STEERING = users("chair", "admin")
NOT_WG_MEMBERS = users("officer", "officer2", "outsider", "secretariat", "bussam")
WG_MEMBERS = users("chair", "chief", "admin")
# Who leads the working group's meetings (sends notices, appoints justerare): its chair, admin.
LEADERS = users("chair", "admin")


def taby_group():
    return LocalGroup.objects.get(name="Täby")


def taby_agreement():
    return Agreement.objects.get(local_group__name="Täby")


def taby_body(name):
    return Body.objects.get(agreement__local_group__name="Täby", name=name)


def taby_draft_meeting():
    """The working group's last held meeting with draft minutes (the chief is its justerare)."""
    return Meeting.objects.filter(
        body=taby_body("Arbetsgrupp"),
        minutes_status=MinutesStatus.DRAFT,
        held_on__lt=timezone.localdate(),
    ).first()


def taby_coming_meeting():
    """The working group's coming meeting, whose notice went out to the chair and the chief."""
    return (
        Meeting.objects.planned()
        .filter(body=taby_body("Arbetsgrupp"))
        .exclude(notice_sent_at=None)
        .first()
    )


def taby_published_meeting():
    return (
        Meeting.objects.filter(
            body=taby_body("Lokal styrgrupp"), minutes_status=MinutesStatus.PUBLISHED
        )
        .order_by("-held_on")
        .first()
    )


def taby_latest_revision():
    return taby_agreement().revisions.order_by("-number").first()


def taby_party():
    return Party.objects.filter(revision=taby_latest_revision()).order_by("id").first()


def taby_signatory():
    return Signatory.objects.filter(party__revision=taby_latest_revision()).order_by("id").first()


def taby_plan_item():
    return PlanItem.objects.filter(agreement=taby_agreement(), meeting=None).order_by("id").first()


def norrtalje_attachment():
    return Attachment.objects.filter(agreement__local_group__name="Norrtälje").first()


def pk(obj):
    return {"pk": obj.pk}


ROUTES = [
    Route("agreements:overview"),
    Route("agreements:group_detail", kwargs=lambda: pk(taby_group())),
    Route("agreements:group_meetings_csv", kwargs=lambda: pk(taby_group())),
    Route(
        "agreements:agreement_create",
        allowed=users("admin"),
        kwargs=lambda: pk(LocalGroup.objects.get(name="Skärholmen")),
    ),
    Route("agreements:agreement_detail", kwargs=lambda: pk(taby_agreement())),
    Route("agreements:agreement_pdf", kwargs=lambda: pk(taby_agreement())),
    Route(
        "agreements:revision_create",
        allowed=STEERING,
        method="post",
        kwargs=lambda: pk(taby_agreement()),
    ),
    Route("agreements:revision_compare", kwargs=lambda: pk(taby_agreement())),
    # The review form is on the agreement's page; its own page shows it again on an error.
    Route("agreements:review_record", allowed=STEERING, kwargs=lambda: pk(taby_agreement())),
    Route(
        "agreements:originals_step",
        allowed=users("secretariat", "admin"),
        method="post",
        kwargs=lambda: pk(Agreement.objects.get(kind=Agreement.Kind.COUNTY)),
    ),
    Route("agreements:attachment_create", allowed=STEERING, kwargs=lambda: pk(taby_agreement())),
    Route("agreements:plan_item_create", allowed=STEERING, kwargs=lambda: pk(taby_agreement())),
    Route(
        "agreements:body_create",
        allowed=STEERING,
        kwargs=lambda: {"agreement_pk": taby_agreement().pk},
    ),
    Route(
        "agreements:attachment_download",
        kwargs=lambda: pk(norrtalje_attachment()),
    ),
    Route("agreements:revision_detail", kwargs=lambda: pk(taby_latest_revision())),
    # Täby's latest revision is signed: editing it sends the chair back to the revision.
    Route(
        "agreements:revision_edit",
        allowed=STEERING,
        kwargs=lambda: pk(taby_latest_revision()),
        ok_status=(302,),
    ),
    Route("agreements:party_create", allowed=STEERING, kwargs=lambda: pk(taby_latest_revision())),
    Route(
        "agreements:signatory_create",
        allowed=STEERING,
        kwargs=lambda: pk(Party.objects.filter(revision=taby_latest_revision()).first()),
    ),
    Route(
        "agreements:sign",
        allowed=STEERING,
        method="post",
        kwargs=lambda: pk(Signatory.objects.filter(party__revision=taby_latest_revision()).first()),
    ),
    Route("agreements:body_detail", kwargs=lambda: pk(taby_body("Lokal styrgrupp"))),
    Route(
        "agreements:body_edit", allowed=STEERING, kwargs=lambda: pk(taby_body("Lokal styrgrupp"))
    ),
    Route(
        "agreements:member_create",
        allowed=STEERING,
        kwargs=lambda: {"body_pk": taby_body("Lokal styrgrupp").pk},
    ),
    Route(
        "agreements:member_edit",
        allowed=STEERING,
        kwargs=lambda: pk(taby_body("Lokal styrgrupp").members.order_by("id").first()),
    ),
    Route(
        "agreements:meeting_create",
        allowed=WG_MEMBERS,
        kwargs=lambda: {"body_pk": taby_body("Arbetsgrupp").pk},
    ),
    Route(
        "agreements:meeting_detail",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_edit",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    # Justering under one's own login: only the appointed justerare (the chief).
    Route(
        "agreements:meeting_check",
        allowed=users("chief"),
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_checkers",
        allowed=LEADERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_notice",
        allowed=LEADERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting()),
    ),
    Route(
        "agreements:meeting_notice_pdf",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting()),
    ),
    # A reply is one's own: the invited members (admin sees the meeting but was not invited).
    Route(
        "agreements:meeting_reply",
        allowed=users("chair", "chief"),
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting()),
    ),
    Route(
        "agreements:meeting_cancel",
        allowed=LEADERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting()),
    ),
    Route(
        "agreements:paper_create",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting()),
    ),
    Route(
        "agreements:meeting_paper",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting().papers.first()),
    ),
    Route(
        "agreements:paper_remove",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_coming_meeting().papers.first()),
    ),
    Route(
        "agreements:meeting_publish",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_refresh_agenda",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        method="post",
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_addendum",
        allowed=STEERING,
        kwargs=lambda: pk(taby_published_meeting()),
    ),
    Route(
        "agreements:meeting_delete",
        allowed=WG_MEMBERS,
        hidden=NOT_WG_MEMBERS,
        kwargs=lambda: pk(taby_draft_meeting()),
    ),
    Route(
        "agreements:meeting_withdraw",
        allowed=STEERING,
        kwargs=lambda: pk(taby_published_meeting()),
    ),
    # Corrections: Täby's latest revision is signed, so the pages explain what may still change
    # (a signatory who has signed is corrected by withdrawing the signature: back to the page).
    Route("agreements:party_edit", allowed=STEERING, kwargs=lambda: pk(taby_party())),
    Route("agreements:party_remove", allowed=STEERING, kwargs=lambda: pk(taby_party())),
    Route(
        "agreements:signatory_edit",
        allowed=STEERING,
        kwargs=lambda: pk(taby_signatory()),
        ok_status=(302,),
    ),
    Route("agreements:signatory_remove", allowed=STEERING, kwargs=lambda: pk(taby_signatory())),
    Route("agreements:signature_withdraw", allowed=STEERING, kwargs=lambda: pk(taby_signatory())),
    Route("agreements:plan_item_edit", allowed=STEERING, kwargs=lambda: pk(taby_plan_item())),
    Route("agreements:plan_item_remove", allowed=STEERING, kwargs=lambda: pk(taby_plan_item())),
    Route(
        "agreements:attachment_edit",
        allowed=users("admin"),
        kwargs=lambda: pk(norrtalje_attachment()),
    ),
    Route(
        "agreements:attachment_remove",
        allowed=users("admin"),
        kwargs=lambda: pk(norrtalje_attachment()),
    ),
    Route("agreements:meeting_pdf", kwargs=lambda: pk(taby_published_meeting())),
    Route(
        "agreements:assignment_update",
        allowed=WG_MEMBERS,
        method="post",
        kwargs=lambda: pk(
            Assignment.objects.open().filter(body=taby_body("Arbetsgrupp")).order_by("id").first()
        ),
    ),
]
