"""Bodies under an agreement and their members."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements import plausibility
from agreements.audit import Purpose
from agreements.models import Agreement, Body, BodyMember
from agreements.services.base import (
    STANDARD_BODIES,
    AgreementsError,
    _audit,
    check_version,
    full_clean,
)
from bus_portal import audit
from bus_portal.models import AuditAction, User


def create_standard_bodies(agreement: Agreement) -> list[Body]:
    """Create the standard bodies (steering group → working group → BUS individforum) under a
    new agreement. Not audited here: the caller audits the agreement's creation."""
    bodies: list[Body] = []
    for position, (name, kind, min_meetings) in enumerate(STANDARD_BODIES):
        bodies.append(
            Body.objects.create(
                agreement=agreement,
                name=name,
                kind=kind,
                parent=bodies[-1] if bodies else None,
                min_meetings_per_term=min_meetings,
                position=position,
            )
        )
    return bodies


BODY_FIELDS = ["name", "kind", "parent", "min_meetings_per_term", "remit", "position"]
MEMBER_FIELDS = ["name", "user", "unit", "role", "valid_from", "valid_to"]


def _field_texts(obj: Model, names: list[str]) -> dict[str, str]:
    """Field values as texts, a foreign key's as its id (without loading the row)."""

    def value(name: str) -> object:
        key = f"{name}_id"
        return getattr(obj, key) if hasattr(obj, key) else getattr(obj, name)

    return {name: str(value(name) if value(name) is not None else "") for name in names}


def _check_and_bump(obj: Body | BodyMember, expected_version: int | None) -> dict[str, str]:
    """Lock an edited row, refuse a stale form, and give the row its next version; the saved
    fields' texts before the edit, for the audit row."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    check_version(locked, expected_version)
    obj.lock_version = locked.lock_version + 1
    return _field_texts(locked, BODY_FIELDS if isinstance(obj, Body) else MEMBER_FIELDS)


@transaction.atomic
def save_body(
    *,
    body: Body,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Body:
    """Create or update a body (validated by the form); an edit from a form opened before the
    body's last save is refused (``StaleEdit``)."""
    if body.parent is not None and body.parent.agreement_id != body.agreement_id:
        raise AgreementsError(_("A body can only report to a body under the same agreement."))
    if body.parent is not None and body.parent_id == body.pk:
        raise AgreementsError(_("A body cannot report to itself."))
    low, high = plausibility.MEETINGS_PER_TERM_RANGE
    if not low <= body.min_meetings_per_term <= high:
        raise AgreementsError(
            _("The minimum number of meetings must be from %(low)s to %(high)s.")
            % {"low": low, "high": high}
        )
    created = body.pk is None
    before = {} if created else _check_and_bump(body, expected_version)
    # The agreement's row serialises two saves of one name (the unique constraint backs it).
    Agreement.objects.select_for_update().get(pk=body.agreement_id)
    if (
        Body.objects.filter(agreement=body.agreement_id, name=body.name)
        .exclude(pk=body.pk)
        .exists()
    ):
        raise AgreementsError(_("There is already a body with that name."))
    full_clean(body)
    body.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        body,
        Purpose.BODY_SAVED,
        request,
        None if created else audit.diff_fields(before, _field_texts(body, BODY_FIELDS)),
        agreement=body.agreement_id,
    )
    return body


@transaction.atomic
def save_member(
    *,
    member: BodyMember,
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> BodyMember:
    """Create or update a body member (validated by the form); a linked portal user without a
    written name gives the member their name. A stale edit is refused (``StaleEdit``)."""
    created = member.pk is None
    for value in (member.valid_from, member.valid_to):
        if value is not None and plausibility.agreement_date_error(value):
            raise AgreementsError(plausibility.agreement_date_error(value))
    before = {} if created else _check_and_bump(member, expected_version)
    if not member.name and member.user is not None:
        member.name = member.user.get_full_name() or member.user.username
    full_clean(member)
    member.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        member,
        Purpose.MEMBER_SAVED,
        request,
        None if created else audit.diff_fields(before, _field_texts(member, MEMBER_FIELDS)),
    )
    return member
