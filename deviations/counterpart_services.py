"""The counterpart's response to a report: asking for it, writing it, correcting it.

``request_responses`` runs inside the step to the local group (``deviations.services.move``);
``respond`` and ``correct_response`` are called by the views. Each locks the report, re-checks
the rule, saves, audits (field codes, never the text) and notifies, in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Principal
from bus_portal import audit
from bus_portal.models import AuditAction, User
from deviations import notifications
from deviations.audit import Purpose
from deviations.counterparts import (
    CounterpartResponse,
    CounterpartResponseVersion,
    ResponseRequest,
)
from deviations.errors import DeviationError, NotAllowedToAct, refuse_identity_numbers
from deviations.models import Deviation, NotificationKind
from deviations.recipients import actors_of, counterpart_contacts


def request_responses(
    *,
    deviation: Deviation,
    user: User | None,
    at: datetime.datetime | None = None,
    notify: bool = True,
    request: HttpRequest | None = None,
) -> list[ResponseRequest]:
    """Ask each counterpart principal's contacts for a response (``counterpart_contacts``).

    Idempotent: a person already asked for a principal is not asked again (a report returned
    with a question comes back to the local step), and a principal that has responded is not
    asked again. Only the people newly asked are notified. Returns the new requests.
    """
    at = at or timezone.now()
    asked = set(deviation.response_requests.values_list("principal_id", "contact_id"))
    answered = set(deviation.counterpart_responses.values_list("principal_id", flat=True))
    created: list[ResponseRequest] = []
    for principal, contacts in counterpart_contacts(deviation).items():
        if principal.pk in answered:
            continue
        for contact, source in contacts:
            if (principal.pk, contact.pk) in asked:
                continue
            created.append(
                ResponseRequest.objects.create(
                    deviation=deviation,
                    principal=principal,
                    contact=contact,
                    source=source,
                    requested_at=at,
                )
            )
            if notify:
                subject, body = notifications.response_requested_message(deviation, principal)
                notifications.notify(
                    deviation=deviation,
                    recipients=[contact],
                    kind=NotificationKind.RESPONSE_REQUESTED,
                    subject=subject,
                    body=body,
                    at=at,
                )
    if created and user is not None:
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.RESPONSE_REQUEST,
            changes={
                "principals": sorted({r.principal_id for r in created}),
                "contacts": len(created),
            },
            request=request,
        )
    return created


def open_principals(deviation: Deviation, user: User) -> list[Principal]:
    """The principals this user is asked to respond for on this report, still without a
    response (and none once the report is closed)."""
    requests = (
        deviation.response_requests.open()
        .filter(contact=user.pk)
        .select_related("principal")
        .order_by("principal__name", "principal_id")
    )
    principals: dict[int, Principal] = {}
    for request in requests:
        principals.setdefault(request.principal_id, request.principal)
    return list(principals.values())


def respond(
    *,
    deviation: Deviation,
    user: User,
    principal: Principal,
    text: str,
    request: HttpRequest | None = None,
) -> CounterpartResponse:
    """Write the principal's response, once: by a contact asked for it, while the report is
    open and before any other contact of the principal has responded. The reporter and
    whoever handles the report now are told (without the text)."""
    refuse_identity_numbers(text=text)
    text = text.strip()
    if not text:
        raise DeviationError(_("Write the response."))
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if deviation.is_closed:
            raise NotAllowedToAct(_("The report is closed; it no longer takes responses."))
        if not deviation.response_requests.filter(contact=user.pk, principal=principal).exists():
            raise NotAllowedToAct(_("You are not asked to respond for this principal."))
        if deviation.counterpart_responses.filter(principal=principal).exists():
            raise DeviationError(
                _("%(principal)s has already responded to this report.")
                % {"principal": principal.name}
            )
        try:
            with transaction.atomic():
                response = CounterpartResponse.objects.create(
                    deviation=deviation, principal=principal, author=user, text=text
                )
        except IntegrityError:  # a parallel send got there first (the unique constraint)
            raise DeviationError(
                _("%(principal)s has already responded to this report.")
                % {"principal": principal.name}
            ) from None
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.RESPONSE,
            changes={"fields": ["counterpart_response"], "principal": principal.pk},
            request=request,
        )
        subject, body = notifications.response_message(deviation, principal)
        notifications.notify(
            deviation=deviation,
            recipients=[u for u in (deviation.reporter, *actors_of(deviation)) if u.pk != user.pk],
            kind=NotificationKind.RESPONSE,
            subject=subject,
            body=body,
        )
    return response


@dataclass
class StaleResponse(DeviationError):
    """The response was changed (a redaction, another tab) after this correction was opened."""

    current: str
    current_version: int

    def __str__(self) -> str:
        return _(
            "The response was changed after you opened it. The text saved now is shown below; "
            "your correction is kept in the form. Check it and save again."
        )


def correct_response(
    *,
    response: CounterpartResponse,
    user: User,
    text: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> CounterpartResponse:
    """The author corrects the response while the report is open. The earlier text is kept
    as a version (the trail, shown with the response); a correction saved over a newer text
    is refused with ``StaleResponse``."""
    refuse_identity_numbers(text=text)
    text = text.strip()
    if not text:
        raise DeviationError(_("Write the response."))
    with transaction.atomic():
        Deviation.objects.select_for_update().get(pk=response.deviation_id)
        response = (
            CounterpartResponse.objects.select_for_update()
            .select_related("deviation")
            .get(pk=response.pk)
        )
        if not response.can_edit(user):
            raise NotAllowedToAct(
                _("Only the author corrects a response, and only while the report is open.")
            )
        if response.lock_version != expected_version:
            raise StaleResponse(current=response.text, current_version=response.lock_version)
        if response.text == text:
            return response
        now = timezone.now()
        CounterpartResponseVersion.objects.create(
            response=response,
            text=response.text,
            written_at=response.edited_at or response.created_at,
            replaced_at=now,
        )
        response.text = text
        response.edited_at = now
        response.lock_version += 1
        response.save(update_fields=["text", "edited_at", "lock_version"])
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=response.deviation,
            purpose=Purpose.RESPONSE,
            changes={"fields": ["counterpart_response"], "response": response.pk},
            request=request,
        )
    return response
