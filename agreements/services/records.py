"""Records kept with an agreement: the originals routing, attachments, the local BUS plan and
the yearly reviews."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements import plausibility, uploads
from agreements.audit import Purpose
from agreements.models import (
    Agreement,
    Attachment,
    Meeting,
    OriginalsStep,
    PlanItem,
    Principal,
    Review,
    Revision,
)
from agreements.services.base import AgreementsError, RoutingError, _audit
from bus_portal.models import AuditAction, User


@transaction.atomic
def record_originals_step(
    *,
    agreement: Agreement,
    principal: Principal,
    step: int,
    done_on: datetime.date,
    note: str = "",
    user: User,
    request: HttpRequest | None = None,
) -> OriginalsStep:
    """Tick the next step of the county agreement's originals routing for one municipality."""
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_county:
        raise RoutingError(_("Originals routing applies to the county agreement only."))
    done = {
        s.step: s for s in OriginalsStep.objects.filter(agreement=agreement, principal=principal)
    }
    if step in done:
        raise RoutingError(_("That step is already recorded."))
    expected = max(done, default=0) + 1
    if step != expected:
        raise RoutingError(_("Record step %(n)s first.") % {"n": expected})
    previous = done.get(step - 1)
    if previous is not None and done_on < previous.done_on:
        raise RoutingError(_("A step cannot be dated before the previous step."))
    problem = plausibility.past_date_error(done_on, plausibility.EARLIEST_AGREEMENT_DATE)
    if problem:
        raise RoutingError(problem)
    row = OriginalsStep.objects.create(
        agreement=agreement,
        principal=principal,
        step=step,
        done_on=done_on,
        note=note,
        recorded_by=user,
    )
    _audit(
        user,
        AuditAction.CREATE,
        row,
        Purpose.ORIGINALS_STEP_RECORDED,
        request,
        agreement=agreement,
    )
    return row


@transaction.atomic
def add_attachment(
    *,
    agreement: Agreement,
    kind: str,
    title: str,
    file: File,
    revision: Revision | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Attachment:
    """Keep a file with the agreement (a signed scan, an earlier version, an appendix).

    Only PDF, Office documents, JPEG and PNG up to 20 MB, by their content
    (``agreements.uploads``). The file is stored under a generated name with the extension of
    what it is, and served later with that type, never with the name or type it came with.
    """
    try:
        found = uploads.check(file)
    except ValidationError as error:
        raise AgreementsError(" ".join(error.messages)) from None
    if revision is not None and revision.agreement_id != agreement.pk:
        raise AgreementsError(_("Choose a revision of this agreement."))
    file.name = f"{uuid.uuid4().hex}.{found.extension}"
    attachment = Attachment.objects.create(
        agreement=agreement,
        revision=revision,
        kind=kind,
        title=title,
        file=file,
        content_type=found.content_type,
        uploaded_by=user,
    )
    _audit(
        user,
        AuditAction.CREATE,
        attachment,
        Purpose.ATTACHMENT_UPLOADED,
        request,
        {"content_type": ["", found.content_type]},
        agreement=agreement,
    )
    return attachment


@transaction.atomic
def add_plan_item(
    *,
    agreement: Agreement,
    year: int,
    kind: str,
    text: str,
    meeting: Meeting | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> PlanItem:
    """Add a goal, activity or focus area to the agreement's local BUS plan for a year."""
    check_plan_year(year)
    item = PlanItem.objects.create(
        agreement=agreement, year=year, kind=kind, text=text, meeting=meeting
    )
    _audit(user, AuditAction.CREATE, item, Purpose.PLAN_ITEM_ADDED, request, agreement=agreement)
    return item


def check_plan_year(year: int) -> None:
    low, high = plausibility.plan_year_range()
    if not low <= year <= high:
        raise AgreementsError(
            _("The year must be from %(low)s to %(high)s.") % {"low": low, "high": high}
        )


@transaction.atomic
def record_review(
    *,
    agreement: Agreement,
    reviewed_on: datetime.date,
    next_review: datetime.date,
    note: str = "",
    user: User,
    request: HttpRequest | None = None,
) -> Review:
    """Record the yearly review of the text in force: who reviewed it, when, and the next date.

    The review is kept as a row of its own (the trail of every review); the revision in force
    gets the next review date, which is not part of the signed text and so may change on it.
    """
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    fresh = Agreement.objects.with_details().get(pk=agreement.pk)
    revision = fresh.current_revision
    if revision is None:
        raise AgreementsError(_("Only an agreement in force can be reviewed."))
    problem = plausibility.reviewed_on_error(reviewed_on) or plausibility.review_pair_error(
        reviewed_on, next_review
    )
    if problem:
        raise AgreementsError(problem)
    before = revision.review_date
    revision.review_date = next_review
    revision.save(update_fields=["review_date"])
    review = Review.objects.create(
        agreement=agreement,
        revision=revision,
        reviewed_on=reviewed_on,
        next_review=next_review,
        note=note.strip(),
        reviewed_by=user,
    )
    changes = {
        "review_date": [str(before or ""), next_review.isoformat()],
        "reviewed_on": ["", reviewed_on.isoformat()],
    }
    _audit(
        user,
        AuditAction.CREATE,
        review,
        Purpose.REVIEW_RECORDED,
        request,
        changes,
        agreement=agreement,
    )
    return review
