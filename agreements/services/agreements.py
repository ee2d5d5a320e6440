"""Agreements, revisions, signatures, originals routing, attachments and the BUS plan."""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict

from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import (
    Agreement,
    Attachment,
    LocalGroup,
    Meeting,
    OriginalsStep,
    Party,
    PlanItem,
    Principal,
    Revision,
    RevisionSection,
    Signatory,
)
from agreements.services.base import (
    STANDARD_SECTIONS,
    AgreementsError,
    RevisionLockedError,
    RoutingError,
    SigningError,
    Template,
    _audit,
)
from agreements.services.bodies import create_standard_bodies
from bus_portal import audit
from bus_portal.models import AuditAction, User

# Agreements and revisions ------------------------------------------------------------------


class SectionData(TypedDict):
    """One text section as the revision form sends it (matched across revisions by ``key``)."""

    key: str
    heading: str
    text: str
    delete: NotRequired[bool]


@transaction.atomic
def create_local_agreement(
    *,
    local_group: LocalGroup,
    title: str,
    template: str,
    user: User,
    request: HttpRequest | None = None,
) -> Agreement:
    """Create a local group's agreement with a first draft revision, from the standard shape or empty.

    The standard shape is local steering group → working group → BUS individforum (seed 001).
    """
    LocalGroup.objects.select_for_update().get(pk=local_group.pk)
    if Agreement.objects.filter(local_group=local_group).exists():
        raise AgreementsError(
            _("This group already has an agreement; start a new revision instead.")
        )
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.LOCAL, title=title, local_group=local_group
    )
    revision = Revision.objects.create(
        agreement=agreement, number=1, title=_("First version"), created_by=user
    )
    for position, principal in enumerate(local_group.principals.order_by("kind", "name")):
        Party.objects.create(revision=revision, principal=principal, position=position)
    if template == Template.STANDARD:
        for position, (key, heading) in enumerate(STANDARD_SECTIONS):
            RevisionSection.objects.create(
                revision=revision, key=key, heading=heading, position=position
            )
        create_standard_bodies(agreement)
    _audit(user, AuditAction.CREATE, agreement, Purpose.AGREEMENT_CREATED, request)
    return agreement


@transaction.atomic
def update_revision(
    *,
    revision: Revision,
    fields: dict[str, Any],
    sections: list[SectionData],
    user: User,
    request: HttpRequest | None = None,
) -> Revision:
    """Save a revision's terms and text sections; refused once anyone has signed it.

    ``sections`` come in the order they are shown; a section marked ``delete`` is removed.
    """
    revision = (
        Revision.objects.select_for_update()
        .prefetch_related("parties__signatories")
        .get(pk=revision.pk)
    )
    if not revision.can_edit():
        raise RevisionLockedError(
            _("Someone has already signed this revision; start a new revision to change it.")
        )
    before = {name: getattr(revision, name) for name in fields}
    for name, value in fields.items():
        setattr(revision, name, value)
    revision.full_clean()
    revision.save()
    for position, section in enumerate(sections):
        if section.get("delete"):
            RevisionSection.objects.filter(revision=revision, key=section["key"]).delete()
            continue
        RevisionSection.objects.update_or_create(
            revision=revision,
            key=section["key"],
            defaults={
                "heading": section["heading"],
                "text": section["text"],
                "position": position,
            },
        )
    _audit(
        user,
        AuditAction.CHANGE,
        revision,
        Purpose.REVISION_EDITED,
        request,
        audit.diff_fields(before, fields),
    )
    return revision


@transaction.atomic
def start_revision(
    *, agreement: Agreement, user: User, request: HttpRequest | None = None
) -> Revision:
    """A new revision starts as a copy of the latest one (text, terms, parties, signatories unsigned)."""
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    latest = (
        Revision.objects.filter(agreement=agreement)
        .prefetch_related("parties__signatories", "sections")
        .order_by("-number")
        .first()
    )
    if latest is not None and not latest.is_fully_signed:
        raise AgreementsError(
            _("Revision %(n)s is still waiting for signatures.") % {"n": latest.number}
        )
    number = (latest.number + 1) if latest else 1
    revision = Revision.objects.create(
        agreement=agreement,
        number=number,
        title=_("Revision %(n)s") % {"n": number},
        decision_body=latest.decision_body if latest else "",
        valid_from=None,
        valid_to=None,
        review_date=latest.review_date if latest else None,
        originals_count=latest.originals_count if latest else 2,
        created_by=user,
    )
    if latest is not None:
        RevisionSection.objects.bulk_create(
            RevisionSection(
                revision=revision, key=s.key, heading=s.heading, text=s.text, position=s.position
            )
            for s in latest.sections.all()
        )
        for party in latest.parties.all():
            copy = Party.objects.create(
                revision=revision,
                principal_id=party.principal_id,
                contact_person=party.contact_person,
                contact_email=party.contact_email,
                position=party.position,
            )
            Signatory.objects.bulk_create(
                Signatory(party=copy, name=s.name, title=s.title) for s in party.signatories.all()
            )
    _audit(user, AuditAction.CREATE, revision, Purpose.REVISION_STARTED, request)
    return revision


def _locked_revision_check(revision: Revision) -> None:
    revision = Revision.objects.prefetch_related("parties__signatories").get(pk=revision.pk)
    if revision.is_locked:
        raise RevisionLockedError(
            _("Someone has already signed this revision; start a new revision to change it.")
        )


@transaction.atomic
def add_party(
    *,
    revision: Revision,
    principal: Principal,
    contact_person: str = "",
    contact_email: str = "",
    user: User,
    request: HttpRequest | None = None,
) -> Party:
    """Add a principal as party to an unsigned revision."""
    Revision.objects.select_for_update().get(pk=revision.pk)
    _locked_revision_check(revision)
    if Party.objects.filter(revision=revision, principal=principal).exists():
        raise AgreementsError(_("%(p)s is already a party.") % {"p": principal})
    position = (Party.objects.filter(revision=revision).aggregate(m=Max("position"))["m"] or 0) + 1
    party = Party.objects.create(
        revision=revision,
        principal=principal,
        contact_person=contact_person,
        contact_email=contact_email,
        position=position,
    )
    _audit(user, AuditAction.CREATE, party, Purpose.PARTY_ADDED, request)
    return party


@transaction.atomic
def add_signatory(
    *, party: Party, name: str, title: str = "", user: User, request: HttpRequest | None = None
) -> Signatory:
    """Name a person who signs for a party that has not signed yet."""
    Revision.objects.select_for_update().get(pk=party.revision_id)
    if party.has_signed:
        raise SigningError(_("This party has already signed."))
    signatory = Signatory.objects.create(party=party, name=name, title=title)
    _audit(user, AuditAction.CREATE, signatory, Purpose.SIGNATORY_ADDED, request)
    return signatory


@transaction.atomic
def sign(
    *,
    signatory: Signatory,
    signed_on: datetime.date,
    user: User,
    request: HttpRequest | None = None,
) -> Signatory:
    """Record one signature with its date. The agreement is in force once every party has signed."""
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    revision = Revision.objects.prefetch_related("parties__signatories", "parties__principal").get(
        pk=signatory.party.revision_id
    )
    if signatory.signed_on:
        raise SigningError(_("%(name)s has already signed.") % {"name": signatory.name})
    if not revision.can_sign():
        raise SigningError(" ".join(revision.missing_for_signing()))
    if signed_on > timezone.localdate():
        raise SigningError(_("A signature cannot be dated in the future."))
    signatory.signed_on = signed_on
    signatory.recorded_by = user
    signatory.save(update_fields=["signed_on", "recorded_by"])
    _audit(
        user,
        AuditAction.CHANGE,
        signatory,
        Purpose.SIGNATURE_RECORDED,
        request,
        {"signed_on": ["", signed_on.isoformat()]},
    )
    return signatory


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
    if done_on > timezone.localdate():
        raise RoutingError(_("The date cannot be in the future."))
    row = OriginalsStep.objects.create(
        agreement=agreement,
        principal=principal,
        step=step,
        done_on=done_on,
        note=note,
        recorded_by=user,
    )
    _audit(user, AuditAction.CREATE, row, Purpose.ORIGINALS_STEP_RECORDED, request)
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
    """Keep a file with the agreement (a signed scan, an earlier version, an appendix)."""
    attachment = Attachment.objects.create(
        agreement=agreement,
        revision=revision,
        kind=kind,
        title=title,
        file=file,
        uploaded_by=user,
    )
    _audit(user, AuditAction.CREATE, attachment, Purpose.ATTACHMENT_UPLOADED, request)
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
    item = PlanItem.objects.create(
        agreement=agreement, year=year, kind=kind, text=text, meeting=meeting
    )
    _audit(user, AuditAction.CREATE, item, Purpose.PLAN_ITEM_ADDED, request)
    return item


@transaction.atomic
def record_review(
    *,
    agreement: Agreement,
    reviewed_on: datetime.date,
    next_review: datetime.date,
    user: User,
    request: HttpRequest | None = None,
) -> Revision:
    """Record the yearly review of the text in force and set the next review date.

    The review date is not part of the signed text, so it may change on a signed revision.
    """
    Agreement.objects.select_for_update().get(pk=agreement.pk)
    fresh = Agreement.objects.with_details().get(pk=agreement.pk)
    revision = fresh.current_revision
    if revision is None:
        raise AgreementsError(_("Only an agreement in force can be reviewed."))
    if reviewed_on > timezone.localdate():
        raise AgreementsError(_("The date cannot be in the future."))
    if next_review <= reviewed_on:
        raise AgreementsError(_("The next review must come after this review."))
    before = revision.review_date
    revision.review_date = next_review
    revision.save(update_fields=["review_date"])
    # The review date is kept only here: the revision holds the next one.
    changes = {
        "review_date": [str(before or ""), next_review.isoformat()],
        "reviewed_on": ["", reviewed_on.isoformat()],
    }
    _audit(user, AuditAction.CHANGE, revision, Purpose.REVIEW_RECORDED, request, changes)
    return revision
