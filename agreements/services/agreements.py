"""Agreements, revisions, signatures, originals routing, bodies and members."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    Attachment,
    Body,
    BodyMember,
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
from bus_portal import audit
from bus_portal.models import AuditAction

# Agreements and revisions ------------------------------------------------------------------


@transaction.atomic
def create_local_agreement(
    *,
    local_group: LocalGroup,
    title: str,
    template: str,
    user,
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
        steering = Body.objects.create(
            agreement=agreement, name="Lokal styrgrupp", kind=Body.Kind.STEERING, position=0
        )
        working = Body.objects.create(
            agreement=agreement,
            name="Arbetsgrupp",
            kind=Body.Kind.WORKING,
            parent=steering,
            position=1,
        )
        Body.objects.create(
            agreement=agreement,
            name="BUS individforum",
            kind=Body.Kind.INDIVIDFORUM,
            parent=working,
            min_meetings_per_term=0,
            position=2,
        )
    _audit(user, AuditAction.CREATE, agreement, _("Agreement created"), request)
    return agreement


@transaction.atomic
def update_revision(
    *,
    revision: Revision,
    fields: dict,
    sections: list[dict],
    user,
    request: HttpRequest | None = None,
) -> Revision:
    """Save a revision's terms and text sections; refused once anyone has signed it."""
    revision = (
        Revision.objects.select_for_update()
        .prefetch_related("parties__signatories")
        .get(pk=revision.pk)
    )
    if not revision.can_be_edited():
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
        _("Revision edited"),
        request,
        audit.diff_fields(before, fields),
    )
    return revision


@transaction.atomic
def start_revision(*, agreement: Agreement, user, request: HttpRequest | None = None) -> Revision:
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
    _audit(user, AuditAction.CREATE, revision, _("New revision started"), request)
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
    user,
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
    _audit(user, AuditAction.CREATE, party, _("Party added"), request)
    return party


@transaction.atomic
def add_signatory(
    *, party: Party, name: str, title: str = "", user, request: HttpRequest | None = None
) -> Signatory:
    Revision.objects.select_for_update().get(pk=party.revision_id)
    if party.has_signed:
        raise SigningError(_("This party has already signed."))
    signatory = Signatory.objects.create(party=party, name=name, title=title)
    _audit(user, AuditAction.CREATE, signatory, _("Signatory added"), request)
    return signatory


@transaction.atomic
def sign(
    *,
    signatory: Signatory,
    signed_on: datetime.date,
    user,
    request: HttpRequest | None = None,
) -> Signatory:
    """Record one signature with its date. The agreement is in force once every party has signed."""
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    revision = Revision.objects.prefetch_related("parties__signatories", "parties__principal").get(
        pk=signatory.party.revision_id
    )
    if signatory.signed_on:
        raise SigningError(_("%(name)s has already signed.") % {"name": signatory.name})
    missing = revision.can_be_signed()
    if missing:
        raise SigningError(" ".join(missing))
    if signed_on > timezone.localdate():
        raise SigningError(_("A signature cannot be dated in the future."))
    signatory.signed_on = signed_on
    signatory.recorded_by = user
    signatory.save(update_fields=["signed_on", "recorded_by"])
    _audit(
        user,
        AuditAction.CHANGE,
        signatory,
        _("Signature recorded"),
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
    user,
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
    _audit(user, AuditAction.CREATE, row, _("Originals routing step recorded"), request)
    return row


@transaction.atomic
def add_attachment(
    *,
    agreement: Agreement,
    kind: str,
    title: str,
    file,
    revision: Revision | None = None,
    user,
    request: HttpRequest | None = None,
) -> Attachment:
    attachment = Attachment.objects.create(
        agreement=agreement,
        revision=revision,
        kind=kind,
        title=title,
        file=file,
        uploaded_by=user,
    )
    _audit(user, AuditAction.CREATE, attachment, _("Attachment uploaded"), request)
    return attachment


@transaction.atomic
def add_plan_item(
    *,
    agreement: Agreement,
    year: int,
    kind: str,
    text: str,
    meeting: Meeting | None = None,
    user,
    request: HttpRequest | None = None,
) -> PlanItem:
    item = PlanItem.objects.create(
        agreement=agreement, year=year, kind=kind, text=text, meeting=meeting
    )
    _audit(user, AuditAction.CREATE, item, _("Plan item added"), request)
    return item


# Bodies and members -------------------------------------------------------------------------


@transaction.atomic
def save_body(*, body: Body, user, request: HttpRequest | None = None) -> Body:
    """Create or update a body (validated by the form)."""
    if body.parent_id and body.parent.agreement_id != body.agreement_id:
        raise AgreementsError(_("A body can only report to a body under the same agreement."))
    if body.parent_id and body.parent_id == body.pk:
        raise AgreementsError(_("A body cannot report to itself."))
    created = body.pk is None
    body.full_clean()
    body.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        body,
        _("Body saved"),
        request,
    )
    return body


@transaction.atomic
def save_member(*, member: BodyMember, user, request: HttpRequest | None = None) -> BodyMember:
    created = member.pk is None
    if not member.name and member.user_id:
        member.name = member.user.get_full_name() or member.user.username
    member.full_clean()
    member.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        member,
        _("Body member saved"),
        request,
    )
    return member


@transaction.atomic
def record_review(
    *,
    agreement: Agreement,
    reviewed_on: datetime.date,
    next_review: datetime.date,
    user,
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
    _audit(
        user,
        AuditAction.CHANGE,
        revision,
        _("Yearly review recorded %(date)s") % {"date": reviewed_on.isoformat()},
        request,
        {"review_date": [str(before or ""), next_review.isoformat()]},
    )
    return revision
