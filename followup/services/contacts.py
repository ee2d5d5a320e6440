"""Changes to who answers the county survey for a local group."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from agreements.models import LocalGroup
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.models import SurveyContact


def add_contact(
    *, group: LocalGroup, person: User, user: User, request: HttpRequest | None = None
) -> SurveyContact:
    """Name ``person`` a group's survey contact person (a group may have more than one)."""
    with transaction.atomic():
        contact, created = SurveyContact.objects.get_or_create(group=group, user=person)
        if not created and not contact.active:
            contact.active = True
            contact.save(update_fields=["active"])
        record(user=user, action=AuditAction.CREATE, obj=contact, request=request)
    return contact


def remove_contact(
    *, contact: SurveyContact, user: User, request: HttpRequest | None = None
) -> None:
    """The person no longer answers for the group; the row stays, inactive, for the audit trail."""
    with transaction.atomic():
        contact = SurveyContact.objects.select_for_update().get(pk=contact.pk)
        contact.active = False
        contact.save(update_fields=["active"])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=contact,
            changes={"active": ["True", "False"]},
            request=request,
        )
