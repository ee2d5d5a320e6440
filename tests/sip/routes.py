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
    Route("sip:forum_list", allowed=users("officer", "officer2", "chief", "outsider")),
    Route("sip:forum_create", allowed=CHIEFS),
    Route("sip:forum_detail", allowed=READERS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_consent_create", allowed=CHIEFS, hidden=OUTSIDER, kwargs=overdue),
    Route("sip:forum_protocol", allowed=CHIEFS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_close", allowed=CHIEFS, hidden=OUTSIDER, kwargs=forum),
    Route("sip:forum_pdf", allowed=READERS, hidden=OUTSIDER, kwargs=forum),
]
