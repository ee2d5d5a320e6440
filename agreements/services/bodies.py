"""Bodies under an agreement and their members."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from agreements.audit import Purpose
from agreements.models import Agreement, Body, BodyMember
from agreements.services.base import STANDARD_BODIES, AgreementsError, _audit
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


@transaction.atomic
def save_body(*, body: Body, user: User, request: HttpRequest | None = None) -> Body:
    """Create or update a body (validated by the form)."""
    if body.parent is not None and body.parent.agreement_id != body.agreement_id:
        raise AgreementsError(_("A body can only report to a body under the same agreement."))
    if body.parent is not None and body.parent_id == body.pk:
        raise AgreementsError(_("A body cannot report to itself."))
    created = body.pk is None
    body.full_clean()
    body.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        body,
        Purpose.BODY_SAVED,
        request,
    )
    return body


@transaction.atomic
def save_member(
    *, member: BodyMember, user: User, request: HttpRequest | None = None
) -> BodyMember:
    """Create or update a body member (validated by the form); a linked portal user without a
    written name gives the member their name."""
    created = member.pk is None
    if not member.name and member.user is not None:
        member.name = member.user.get_full_name() or member.user.username
    member.full_clean()
    member.save()
    _audit(
        user,
        AuditAction.CREATE if created else AuditAction.CHANGE,
        member,
        Purpose.MEMBER_SAVED,
        request,
    )
    return member
