"""Confirmations of an agreed version: every participant is asked, each unit confirms under its
own staff's login, and the case officer records the family's agreement with how it was given.

Each change locks the plan, re-checks, saves and audits (``record_for_child`` on the plan, with
ids and codes in ``changes``), or raises a ``SipError`` the view shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.models import User
from bus_portal.roles import SIP_ROLES
from bus_portal.uploads import DOCUMENTS_AND_IMAGES, MB, UploadValidator
from sip import notices
from sip.audit import Purpose
from sip.meeting_services import _staff_by_unit
from sip.models import ConfirmationRequest, Plan, PlanParticipant, PlanVersion, SignOff
from sip.services import SipError, record_for_child

#: The family's agreement as a document: a PDF or a photo of the paper, checked by content.
AGREEMENT_DOCUMENT = UploadValidator(allowed=DOCUMENTS_AND_IMAGES, max_size=10 * MB)


def _staff(unit_ids: Iterable[int]) -> list[User]:
    """The users with a SIP role in the units today, each once."""
    people = [user for users in _staff_by_unit(unit_ids).values() for user in users]
    return list({user.pk: user for user in people}.values())


def confirmable_version(
    plan: Plan, versions: Sequence[PlanVersion] | None = None
) -> PlanVersion | None:
    """The agreed version participants confirm: the latest agreed one of an open plan.
    ``versions`` (the plan's, oldest first) saves the query."""
    if plan.status == Plan.Status.CLOSED:
        return None
    if versions is not None:
        agreed = [v for v in versions if v.kind == PlanVersion.Kind.AGREED]
        return agreed[-1] if agreed else None
    return plan.versions.filter(kind=PlanVersion.Kind.AGREED).order_by("-number").first()


def ask_for_confirmations(
    version: PlanVersion, participants: Sequence[PlanParticipant], user: User
) -> list[SignOff]:
    """Ask every participant to confirm a newly agreed version (in the caller's transaction).

    The units of the user who agrees it are confirmed at once, under that user's login; the
    other units' staff are told and find it in their inbox.
    """
    ConfirmationRequest.objects.bulk_create(
        ConfirmationRequest(version=version, participant=p) for p in participants
    )
    mine = user.unit_ids_with_role(*SIP_ROLES)
    signed = SignOff.objects.bulk_create(
        SignOff(
            version=version,
            participant=p,
            signed_at=version.created_at,
            recorded_by=user,
            method=SignOff.Method.LOGIN,
        )
        for p in participants
        if p.unit_id in mine
    )
    others = {p.unit_id for p in participants if p.unit_id and p.unit_id not in mine}
    for person in _staff(others):
        if notices.can_email(person):
            notices.confirmation_notice(version, person)
    return signed


@dataclass(frozen=True)
class ConfirmationRow:
    participant: PlanParticipant
    signoff: SignOff | None


def confirmation_rows(version: PlanVersion) -> list[ConfirmationRow]:
    """Each participant asked to confirm the version, with their confirmation if given: two
    queries, one if the version's sign-offs were prefetched (``sip.access.plan_versions``)."""
    signoffs = {s.participant_id: s for s in version.signoffs.all()}
    requests = version.requests.select_related("participant__unit__principal").order_by(
        "participant__position", "id"
    )
    return [ConfirmationRow(r.participant, signoffs.get(r.participant_id)) for r in requests]


def pending_requests(version: PlanVersion) -> list[ConfirmationRequest]:
    """The version's participants who have not confirmed yet."""
    signed = SignOff.objects.filter(version=version, participant=OuterRef("participant"))
    return list(
        version.requests.filter(~Exists(signed))
        .select_related("participant__unit")
        .order_by("participant__position", "id")
    )


@transaction.atomic
def confirm_participation(
    *, plan: Plan, user: User, request: HttpRequest | None = None
) -> list[SignOff]:
    """Confirm the agreed version for each of the user's units taking part that has not yet."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    version = confirmable_version(locked)
    if version is None:
        raise SipError(_("There is no agreed version to confirm."))
    mine = user.unit_ids_with_role(*SIP_ROLES)
    due = [r for r in pending_requests(version) if r.participant.unit_id in mine]
    if not due:
        raise SipError(_("Your units have nothing left to confirm in this version."))
    now = timezone.now()
    signed = SignOff.objects.bulk_create(
        SignOff(
            version=version,
            participant=r.participant,
            signed_at=now,
            recorded_by=user,
            method=SignOff.Method.LOGIN,
        )
        for r in due
    )
    record_for_child(
        user,
        locked,
        Purpose.VERSION_CONFIRMED,
        request,
        changes={"version": version.number, "participants": [r.participant_id for r in due]},
    )
    return signed


@transaction.atomic
def record_family_agreement(
    *,
    plan: Plan,
    user: User,
    participant: PlanParticipant,
    method: str,
    document: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> SignOff:
    """Record the child's or family's agreement (or another actor's outside the portal) to the
    agreed version, with how it was given. A unit confirms for itself; this cannot."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    version = confirmable_version(locked)
    if version is None:
        raise SipError(_("There is no agreed version to record an agreement for."))
    if participant.unit_id is not None or participant.kind == PlanParticipant.Kind.UNIT:
        raise SipError(_("A unit confirms its participation itself, under its staff's login."))
    if participant.pk not in {r.participant_id for r in pending_requests(version)}:
        raise SipError(_("This participant's agreement to the version is already recorded."))
    allowed = (SignOff.Method.PAPER, SignOff.Method.ORAL, SignOff.Method.DOCUMENT)
    if method not in allowed:
        raise SipError(_("Say how the agreement was given."))
    document_type = ""
    if method == SignOff.Method.DOCUMENT:
        if not document:
            raise SipError(_("Attach the document with the agreement."))
        try:
            document_type = AGREEMENT_DOCUMENT(document)
        except ValidationError as error:
            raise SipError(" ".join(error.messages)) from error
    signoff = SignOff.objects.create(
        version=version,
        participant=participant,
        recorded_by=user,
        method=method,
        document=document if method == SignOff.Method.DOCUMENT else "",
        document_type=document_type,
    )
    record_for_child(
        user,
        locked,
        Purpose.FAMILY_AGREEMENT_RECORDED,
        request,
        changes={"version": version.number, "participant": participant.pk, "method": method},
    )
    return signoff
