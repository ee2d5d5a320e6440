"""Recording and withdrawing consent for a plan or a forum case (OSL 12 kap.).

Like every sip service: lock, re-check, save and audit in one transaction, or raise a ``SipError``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Principal
from bus_portal.models import AuditAction, User
from sip.audit import Purpose
from sip.models import Consent, ForumCase, Plan
from sip.models.consent import CONSENT_DOCUMENT
from sip.services import SipError, record_for_child
from sip.tasks import notify_consent_withdrawn


@transaction.atomic
def record_consent(
    *,
    user: User,
    purpose: Plan | ForumCase,
    person: str,
    person_name: str,
    principals: list[Principal],
    given_on: datetime.date,
    form: str,
    document: UploadedFile | None = None,
    child_is_mature: bool = False,
    exclusions: str = "",
    valid_until: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """Record one person's consent for a plan or a forum case."""
    locked: Plan | ForumCase
    kwargs: dict[str, Plan | ForumCase]
    if isinstance(purpose, Plan):
        locked = Plan.objects.select_for_update().get(pk=purpose.pk)
        if locked.status == Plan.Status.CLOSED:
            raise SipError(_("A closed plan cannot get new consents."))
        kwargs = {"plan": locked}
    else:
        locked = ForumCase.objects.select_for_update().get(pk=purpose.pk)
        kwargs = {"forum_case": locked}
    if form == Consent.Form.WRITTEN and not document:
        raise SipError(_("Attach the signed consent form."))
    if not principals:
        raise SipError(_("Choose at least two principals that may share with each other."))
    document_type = ""
    if document:
        # Checked again here, by content: the form is not the only way in (the demo, imports).
        try:
            document_type = CONSENT_DOCUMENT(document)
        except ValidationError as error:
            raise SipError(" ".join(error.messages)) from error
    consent = Consent.objects.create(
        **kwargs,
        person=person,
        person_name=person_name,
        child_is_mature=child_is_mature and person == Consent.Person.CHILD,
        given_on=given_on,
        form=form,
        document=document or "",
        document_type=document_type,
        recorded_by=user,
        valid_until=valid_until,
        exclusions=exclusions,
    )
    consent.principals.set(principals)
    record_for_child(user, consent, Purpose.CONSENT_RECORDED, request, action=AuditAction.CREATE)
    return consent


@transaction.atomic
def withdraw_consent(
    *,
    consent: Consent,
    user: User,
    withdrawn_by: str,
    withdrawn_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """Withdraw a consent; from this moment units relying on it no longer see the content.

    The case officers of the units taking part are told by e-mail that sharing has stopped
    (``sip.tasks.notify_consent_withdrawn``: the number and a link, never the child's data).
    """
    locked = Consent.objects.select_for_update().get(pk=consent.pk)
    if locked.withdrawn_on is not None:
        raise SipError(_("The consent has already been withdrawn."))
    locked.withdrawn_on = withdrawn_on or timezone.localdate()
    locked.withdrawn_by = withdrawn_by
    locked.withdrawal_recorded_by = user
    locked.save(update_fields=["withdrawn_on", "withdrawn_by", "withdrawal_recorded_by"])
    changes = {"withdrawn_on": ["", str(locked.withdrawn_on)]}
    record_for_child(user, locked, Purpose.CONSENT_WITHDRAWN, request, changes=changes)
    notify_consent_withdrawn(locked, user=user)
    return locked
