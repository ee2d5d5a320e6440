"""Corrections with a trail: parties, signatories, plan items and attachments entered by mistake.

Each correction locks the row, checks that the record may still change in place, saves, and
writes an audit row naming the changed fields by their codes (``{"contact_person": [old, new]}``)
with the agreement as its subject, so the agreement's page lists every correction. What has been
shown to others as signed is not corrected in place: a signed revision gets a new revision.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import Attachment, Party, PlanItem, Principal, Revision, Signatory
from agreements.services.base import (
    AgreementsError,
    RevisionLockedError,
    SigningError,
    _audit,
    check_version,
)
from agreements.services.records import check_plan_year
from bus_portal import audit
from bus_portal.models import AuditAction, User


def _signed_message() -> str:
    return _(
        "Someone has already signed this revision, so its parties no longer change. Withdraw "
        "the signatures recorded by mistake first, or start a new revision."
    )


def _locked_revision(revision_id: int) -> Revision:
    """The revision row locked, with its parties and signatories for the guards."""
    Revision.objects.select_for_update().get(pk=revision_id)
    return Revision.objects.prefetch_related("parties__signatories").get(pk=revision_id)


def _removed(values: dict[str, Any]) -> dict[str, list[str]]:
    """The audit changes of a removed row: each field code from its value to nothing."""
    return {name: [str(value), ""] for name, value in values.items() if value not in ("", None)}


# Parties ------------------------------------------------------------------------------------


@transaction.atomic
def update_party(
    *,
    party: Party,
    principal: Principal | None = None,
    contact_person: str,
    contact_email: str,
    expected_version: int | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Party:
    """Correct a party's contact person, or (before anyone has signed) which principal it is.

    The contact person is not part of the signed text and may be corrected at any time.
    """
    revision = _locked_revision(party.revision_id)
    locked = Party.objects.select_for_update().get(pk=party.pk)
    check_version(locked, expected_version)
    before = {
        "principal": str(locked.principal),
        "contact_person": locked.contact_person,
        "contact_email": locked.contact_email,
    }
    if principal is not None and principal.pk != locked.principal_id:
        if not revision.can_change_parties():
            raise RevisionLockedError(_signed_message())
        if Party.objects.filter(revision=revision, principal=principal).exists():
            raise AgreementsError(_("%(p)s is already a party.") % {"p": principal})
        locked.principal = principal
    locked.contact_person = contact_person
    locked.contact_email = contact_email
    locked.lock_version += 1
    locked.save()
    after = {
        "principal": str(locked.principal),
        "contact_person": locked.contact_person,
        "contact_email": locked.contact_email,
    }
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.PARTY_CORRECTED,
        request,
        audit.diff_fields(before, after),
        agreement=revision.agreement_id,
    )
    return locked


@transaction.atomic
def remove_party(*, party: Party, user: User, request: HttpRequest | None = None) -> None:
    """Remove a party added by mistake, with its signatories, before anyone has signed."""
    revision = _locked_revision(party.revision_id)
    locked = next((p for p in revision.parties.all() if p.pk == party.pk), None)
    if locked is None:
        raise AgreementsError(_("The party has already been removed."))
    if not revision.can_change_parties():
        raise RevisionLockedError(_signed_message())
    changes = _removed(
        {
            "principal": str(locked.principal),
            "contact_person": locked.contact_person,
            "contact_email": locked.contact_email,
        }
    )
    signatories = [str(s) for s in locked.signatories.all()]
    if signatories:
        changes["signatories"] = ["; ".join(signatories), ""]
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.PARTY_REMOVED,
        request,
        changes,
        agreement=revision.agreement_id,
    )
    locked.delete()


# Signatories --------------------------------------------------------------------------------


def _locked_signatory(signatory: Signatory) -> tuple[Revision, Signatory]:
    revision = _locked_revision(signatory.party.revision_id)
    for party in revision.parties.all():
        for row in party.signatories.all():
            if row.pk == signatory.pk:
                row.party = party
                party.revision = revision
                return revision, row
    raise AgreementsError(_("The signatory has already been removed."))


@transaction.atomic
def update_signatory(
    *,
    signatory: Signatory,
    name: str,
    title: str,
    expected_version: int | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Signatory:
    """Correct the name or title of a person who has not signed yet."""
    revision, locked = _locked_signatory(signatory)
    check_version(locked, expected_version)
    if not locked.can_edit():
        raise SigningError(
            _("%(name)s has signed; withdraw the signature first to correct it.")
            % {"name": locked.name}
        )
    before = {"name": locked.name, "title": locked.title}
    locked.name, locked.title = name, title
    locked.lock_version += 1
    locked.save(update_fields=["name", "title", "lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.SIGNATORY_CORRECTED,
        request,
        audit.diff_fields(before, {"name": name, "title": title}),
        agreement=revision.agreement_id,
    )
    return locked


@transaction.atomic
def remove_signatory(
    *, signatory: Signatory, user: User, request: HttpRequest | None = None
) -> None:
    """Remove a person named to sign by mistake, before they have signed."""
    revision, locked = _locked_signatory(signatory)
    if not locked.can_edit():
        raise SigningError(
            _("%(name)s has signed; withdraw the signature first to remove them.")
            % {"name": locked.name}
        )
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.SIGNATORY_REMOVED,
        request,
        _removed({"name": locked.name, "title": locked.title, "party": str(locked.party)}),
        agreement=revision.agreement_id,
    )
    locked.delete()


@transaction.atomic
def withdraw_signature(
    *, signatory: Signatory, reason: str, user: User, request: HttpRequest | None = None
) -> Signatory:
    """Withdraw a signature recorded by mistake (the wrong person, a wrong date), while the
    revision is not yet signed by every party. The date, who recorded it and why it was
    withdrawn stay in the trail; the person may then sign again."""
    revision, locked = _locked_signatory(signatory)
    if locked.signed_on is None:
        raise SigningError(_("%(name)s has not signed.") % {"name": locked.name})
    if not revision.can_withdraw_signatures():
        raise SigningError(
            _(
                "Every party has signed this revision; it cannot change. Start a new revision "
                "to correct it."
            )
        )
    reason = reason.strip()
    if not reason:
        raise SigningError(_("Say why the signature is withdrawn."))
    signed_on = locked.signed_on
    locked.signed_on = None
    locked.recorded_by = None
    locked.lock_version += 1
    locked.save(update_fields=["signed_on", "recorded_by", "lock_version"])
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.SIGNATURE_WITHDRAWN,
        request,
        {"signed_on": [signed_on.isoformat(), ""], "reason": ["", reason]},
        agreement=revision.agreement_id,
    )
    return locked


# The local BUS plan --------------------------------------------------------------------------


def _locked_plan_item(item: PlanItem) -> PlanItem:
    locked = PlanItem.objects.select_for_update().filter(pk=item.pk).first()
    if locked is None:
        raise AgreementsError(_("The plan item has already been removed."))
    if not locked.can_change():
        raise AgreementsError(
            _("This focus area was decided at a meeting; correct it through the meeting.")
        )
    return locked


@transaction.atomic
def update_plan_item(
    *,
    item: PlanItem,
    year: int,
    kind: str,
    text: str,
    expected_version: int | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> PlanItem:
    """Correct a goal, activity or focus area added to the plan by hand."""
    locked = _locked_plan_item(item)
    check_version(locked, expected_version)
    check_plan_year(year)
    if kind not in PlanItem.Kind.values:
        raise AgreementsError(_("Unknown kind."))
    before = {"year": locked.year, "kind": locked.kind, "text": locked.text}
    locked.year, locked.kind, locked.text = year, kind, text
    locked.lock_version += 1
    locked.save()
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.PLAN_ITEM_CORRECTED,
        request,
        audit.diff_fields(before, {"year": year, "kind": kind, "text": text}),
        agreement=locked.agreement_id,
    )
    return locked


@transaction.atomic
def remove_plan_item(*, item: PlanItem, user: User, request: HttpRequest | None = None) -> None:
    """Remove a plan item added by mistake."""
    locked = _locked_plan_item(item)
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.PLAN_ITEM_REMOVED,
        request,
        _removed({"year": locked.year, "kind": locked.kind, "text": locked.text}),
        agreement=locked.agreement_id,
    )
    locked.delete()


# Attachments --------------------------------------------------------------------------------


def _locked_attachment(attachment: Attachment) -> Attachment:
    locked = Attachment.objects.select_for_update().filter(pk=attachment.pk).first()
    if locked is None:
        raise AgreementsError(_("The attachment has already been removed."))
    return locked


@transaction.atomic
def update_attachment(
    *,
    attachment: Attachment,
    kind: str,
    title: str,
    revision: Revision | None,
    expected_version: int | None = None,
    user: User,
    request: HttpRequest | None = None,
) -> Attachment:
    """Correct an attachment's title, kind or revision (the file itself is replaced by removing
    it and uploading the right one)."""
    locked = _locked_attachment(attachment)
    check_version(locked, expected_version)
    if revision is not None and revision.agreement_id != locked.agreement_id:
        raise AgreementsError(_("Choose a revision of this agreement."))
    if kind not in Attachment.Kind.values:
        raise AgreementsError(_("Unknown kind."))
    before = {"kind": locked.kind, "title": locked.title, "revision": str(locked.revision or "")}
    locked.kind, locked.title, locked.revision = kind, title, revision
    locked.lock_version += 1
    locked.save()
    after = {"kind": kind, "title": title, "revision": str(revision or "")}
    _audit(
        user,
        AuditAction.CHANGE,
        locked,
        Purpose.ATTACHMENT_CORRECTED,
        request,
        audit.diff_fields(before, after),
        agreement=locked.agreement_id,
    )
    return locked


@transaction.atomic
def remove_attachment(
    *, attachment: Attachment, user: User, request: HttpRequest | None = None
) -> None:
    """Remove an attachment uploaded by mistake; its file is deleted once the removal is saved."""
    locked = _locked_attachment(attachment)
    _audit(
        user,
        AuditAction.DELETE,
        locked,
        Purpose.ATTACHMENT_REMOVED,
        request,
        _removed(
            {
                "title": locked.title,
                "kind": locked.kind,
                "revision": str(locked.revision or ""),
                "content_type": locked.content_type,
                "uploaded_at": locked.uploaded_at.isoformat(),
            }
        ),
        agreement=locked.agreement_id,
    )
    file = locked.file
    locked.delete()
    if file and file.name:
        storage, name = file.storage, file.name
        transaction.on_commit(lambda: storage.delete(name))
