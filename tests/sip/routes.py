"""Every SIP URL. Plans and cases come from sip/demo.py (Täby); Nynäshamn's outsider gets 404."""

from sip.demo import AGREED_CHILD, DRAFT_CHILD, FORUM_CHILD, OVERDUE_CHILD
from tests.permissions import Route, users


def _plan(number: str) -> int:
    from sip.models import Plan

    return Plan.objects.get(child__personal_number=number).pk


def _case(number: str) -> int:
    from sip.models import ForumCase

    return ForumCase.objects.get(child__personal_number=number).pk


def _consent() -> int:
    from sip.models import Consent

    return Consent.objects.filter(plan_id=_plan(DRAFT_CHILD)).order_by("id").first().pk


def _written_consent() -> int:
    from sip.models import Consent

    return Consent.objects.get(forum_case_id=_case(FORUM_CHILD), form="written").pk


def _meeting() -> int:
    from sip.models import SipMeeting

    return SipMeeting.objects.filter(plan_id=_plan(DRAFT_CHILD)).order_by("id").first().pk


def _invitation_of(username: str) -> int:
    from sip.models import MeetingInvitation

    return MeetingInvitation.objects.get(
        meeting_id=_meeting(), kind="user", user__username=username
    ).pk


def _agreement_document() -> int:
    """A document the family's agreement to the agreed plan was given in (recorded once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bus_portal.models import User
    from sip import confirmation_services
    from sip.models import Plan, SignOff

    plan = Plan.objects.get(pk=_plan(AGREED_CHILD))
    existing = SignOff.objects.filter(version__plan=plan, method="document").first()
    if existing is not None:
        return existing.pk
    family = plan.participants.get(kind="family")
    return confirmation_services.record_family_agreement(
        plan=plan,
        user=User.objects.get(username="officer"),
        participant=family,
        method="document",
        document=SimpleUploadedFile("avtal.pdf", b"%PDF-1.4 avtal"),
    ).pk


def meeting() -> dict:
    return {**draft(), "meeting": _meeting()}


def draft() -> dict:
    return {"pk": _plan(DRAFT_CHILD)}


def agreed() -> dict:
    return {"pk": _plan(AGREED_CHILD)}


def forum() -> dict:
    return {"pk": _case(FORUM_CHILD)}


def overdue() -> dict:
    return {"pk": _case(OVERDUE_CHILD)}


READERS = users("officer", "officer2", "chief")
WRITERS = users("officer", "officer2")
CHIEFS = users("chief")
OUTSIDER = users("outsider")

ROUTES = [
    Route("sip:plan_list", allowed=users("officer", "officer2", "chief", "outsider")),
    Route("sip:plan_create", allowed=users("officer", "officer2", "outsider")),
    Route("sip:plan_detail", allowed=READERS, hidden=OUTSIDER, kwargs=draft),
    Route("sip:plan_edit", allowed=WRITERS, hidden=OUTSIDER, kwargs=draft),
    Route("sip:consent_create", allowed=WRITERS, hidden=OUTSIDER, kwargs=draft),
    Route("sip:plan_agree", allowed=WRITERS, hidden=OUTSIDER, kwargs=draft),
    Route("sip:plan_revise", allowed=WRITERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:plan_followup", allowed=WRITERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:plan_close", allowed=WRITERS, hidden=OUTSIDER, kwargs=agreed),
    Route(
        "sip:plan_version",
        allowed=READERS,
        hidden=OUTSIDER,
        kwargs=lambda: {**agreed(), "number": 2},
    ),
    Route("sip:plan_pdf", allowed=READERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:plan_fhir", allowed=READERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:my_plan", allowed=READERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:my_plan_pdf", allowed=READERS, hidden=OUTSIDER, kwargs=draft),
    Route(
        "sip:consent_withdraw",
        allowed=WRITERS,
        hidden=OUTSIDER,
        kwargs=lambda: {"pk": _consent()},
    ),
    Route(
        "sip:consent_document",
        allowed=READERS,
        hidden=OUTSIDER,
        kwargs=lambda: {"pk": _written_consent()},
    ),
    Route("sip:meeting_create", allowed=WRITERS, hidden=OUTSIDER, kwargs=draft),
    Route("sip:meeting_edit", allowed=WRITERS, hidden=OUTSIDER, kwargs=meeting),
    Route("sip:meeting_cancel", allowed=WRITERS, hidden=OUTSIDER, kwargs=meeting),
    Route("sip:meeting_letter", allowed=READERS, hidden=OUTSIDER, kwargs=meeting),
    # Only the invited person answers; anyone else with a SIP role does not learn it exists.
    Route(
        "sip:invitation_reply",
        allowed=users("officer2"),
        hidden=users("officer", "chief", "outsider"),
        kwargs=lambda: {**draft(), "invitation": _invitation_of("officer2")},
    ),
    Route("sip:plan_confirm", allowed=READERS, hidden=OUTSIDER, kwargs=agreed),
    Route("sip:family_agreement", allowed=WRITERS, hidden=OUTSIDER, kwargs=agreed),
    Route(
        "sip:family_agreement_document",
        allowed=READERS,
        hidden=OUTSIDER,
        kwargs=lambda: {**agreed(), "signoff": _agreement_document()},
    ),
    Route("sip:forum_list", allowed=users("officer", "officer2", "chief", "outsider")),
    Route("sip:forum_create", allowed=CHIEFS),
    Route("sip:forum_detail", allowed=READERS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_consent_create", allowed=CHIEFS, hidden=OUTSIDER, kwargs=overdue),
    Route("sip:forum_protocol", allowed=CHIEFS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_close", allowed=CHIEFS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_pdf", allowed=READERS, hidden=OUTSIDER, kwargs=forum),
]
