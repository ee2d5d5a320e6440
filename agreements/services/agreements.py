"""Agreements, revisions, parties, signatories and signatures. The records kept with an
agreement (originals routing, attachments, the BUS plan, reviews) are in ``records``."""

from __future__ import annotations

import datetime
from typing import Any, NotRequired, TypedDict

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements import plausibility
from agreements.audit import Purpose
from agreements.models import (
    Agreement,
    LocalGroup,
    Party,
    Principal,
    Revision,
    RevisionSection,
    Signatory,
)
from agreements.services.base import (
    STANDARD_SECTIONS,
    AgreementsError,
    RevisionLockedError,
    SigningError,
    Template,
    _audit,
    check_version,
    full_clean,
)
from agreements.services.bodies import create_standard_bodies
from bus_portal import audit
from bus_portal.models import AuditAction, User

# Agreements and revisions ------------------------------------------------------------------


class SectionData(TypedDict):
    """One text section as the revision form sends it (matched across revisions by ``key``).

    ``id`` names the section row the form showed (none for a new one).
    """

    key: str
    heading: str
    text: str
    delete: NotRequired[bool]
    id: NotRequired[int | None]


# The revision form's fields, each with the window its date must lie in (agreements.plausibility).
_REVISION_DATE_CHECKS = {
    "adopted_on": plausibility.adoption_date_error,
    "decision_date": plausibility.adoption_date_error,
    "valid_from": plausibility.agreement_date_error,
    "valid_to": plausibility.agreement_date_error,
    "review_date": plausibility.next_review_error,
}


def _check_revision_fields(fields: dict[str, Any]) -> None:
    for name, check in _REVISION_DATE_CHECKS.items():
        value = fields.get(name)
        if value is not None:
            message = check(value)
            if message:
                label = str(getattr(Revision._meta.get_field(name), "verbose_name", name))
                raise AgreementsError(f"{label.capitalize()}: {message}")
    count = fields.get("originals_count")
    low, high = plausibility.ORIGINALS_RANGE
    if count is not None and not low <= count <= high:
        raise AgreementsError(
            _("The number of signed originals must be from %(low)s to %(high)s.")
            % {"low": low, "high": high}
        )


def _save_sections(revision: Revision, sections: list[SectionData]) -> None:
    """Sync the revision's sections with the form's rows, by row id: a key another section of
    the revision keeps is refused, never taken over."""
    existing = {s.pk: s for s in RevisionSection.objects.filter(revision=revision)}
    kept = [row for row in sections if not row.get("delete")]
    removed = [row_id for row in sections if row.get("delete") and (row_id := row.get("id"))]
    keys: dict[str, str] = {}
    for row in kept:
        row_id = row.get("id")
        if row_id is not None and row_id not in existing:
            raise AgreementsError(
                _("A section was removed while you were editing; reload the page.")
            )
        if row["key"] in keys:
            raise AgreementsError(
                _(
                    "The key “%(key)s” is used by two sections (“%(a)s” and “%(b)s”). Give each "
                    "section its own key."
                )
                % {"key": row["key"], "a": keys[row["key"]], "b": row["heading"]}
            )
        keys[row["key"]] = row["heading"]
    shown = {row.get("id") for row in sections if row.get("id")}
    for section in existing.values():
        # A section the form did not show (added meanwhile) keeps its key.
        if section.pk not in shown and section.key in keys:
            raise AgreementsError(
                _("The key “%(key)s” is already used by the section “%(heading)s”.")
                % {"key": section.key, "heading": section.heading}
            )
    RevisionSection.objects.filter(revision=revision, pk__in=removed).delete()
    # Keys may be swapped between two rows: free every changed key first (the database keeps
    # them unique at every step).
    moving = [
        existing[row_id]
        for row in kept
        if (row_id := row.get("id")) and existing[row_id].key != row["key"]
    ]
    for section in moving:
        RevisionSection.objects.filter(pk=section.pk).update(key=f"--{section.pk}")
    for position, row in enumerate(kept):
        values = {"key": row["key"], "heading": row["heading"], "text": row["text"]}
        if row_id := row.get("id"):
            RevisionSection.objects.filter(pk=row_id).update(position=position, **values)
        else:
            RevisionSection.objects.create(revision=revision, position=position, **values)


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
    _audit(
        user, AuditAction.CREATE, agreement, Purpose.AGREEMENT_CREATED, request, agreement=agreement
    )
    return agreement


@transaction.atomic
def update_revision(
    *,
    revision: Revision,
    fields: dict[str, Any],
    sections: list[SectionData],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Revision:
    """Save a revision's terms and text sections; refused once anyone has signed it, and when
    someone saved it after this user's form was opened (``StaleEdit``).

    ``sections`` come in the order they are shown; a section marked ``delete`` is removed. A
    section's key is its own: a key another section of the revision uses is refused.
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
    check_version(revision, expected_version)
    _check_revision_fields(fields)
    before = {name: getattr(revision, name) for name in fields}
    sections_before = list(
        RevisionSection.objects.filter(revision=revision).values_list("key", "heading", "text")
    )
    for name, value in fields.items():
        setattr(revision, name, value)
    revision.lock_version += 1
    full_clean(revision)
    revision.save()
    _save_sections(revision, sections)
    changes = audit.diff_fields(before, fields)
    sections_after = list(
        RevisionSection.objects.filter(revision=revision).values_list("key", "heading", "text")
    )
    if sorted(sections_before) != sorted(sections_after):
        # Which sections changed, by key; their text is in the revision itself.
        changed = sorted({row[0] for row in set(sections_before) ^ set(sections_after)})
        changes["sections"] = [", ".join(changed), ""]
    _audit(
        user,
        AuditAction.CHANGE,
        revision,
        Purpose.REVISION_EDITED,
        request,
        changes,
        agreement=revision.agreement_id,
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
    _audit(
        user, AuditAction.CREATE, revision, Purpose.REVISION_STARTED, request, agreement=agreement
    )
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
    _audit(
        user,
        AuditAction.CREATE,
        party,
        Purpose.PARTY_ADDED,
        request,
        agreement=revision.agreement_id,
    )
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
    _audit(
        user,
        AuditAction.CREATE,
        signatory,
        Purpose.SIGNATORY_ADDED,
        request,
        agreement=party.revision.agreement_id,
    )
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
    problem = plausibility.signed_on_error(signed_on, revision.adopted_on)
    if problem:
        raise SigningError(problem)
    signatory.signed_on = signed_on
    signatory.recorded_by = user
    signatory.lock_version += 1
    signatory.save(update_fields=["signed_on", "recorded_by", "lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        signatory,
        Purpose.SIGNATURE_RECORDED,
        request,
        {"signed_on": ["", signed_on.isoformat()]},
        agreement=revision.agreement_id,
    )
    return signatory
