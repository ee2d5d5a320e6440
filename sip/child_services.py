"""The child a plan or a forum case is about: one record per child, shared by all of them.

A new plan or case for a child the portal already has (by identity number; for a protected
identity without a number, by the user's explicit choice) uses that child's record, guardians
included. The user sees the record first and confirms it (``ChildAlreadyRecorded``); the database
keeps one child per identity number (``child_unique_personal_number``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bus_portal.errors import DomainError
from sip.models import Child, Guardian


@dataclass
class ChildData:
    first_name: str
    last_name: str
    personal_number: str  # 12 digits or ""
    protected_identity: bool
    birth_date: datetime.date | None
    guardians: list[tuple[str, str]]  # (name, phone) for guardian 1 and 2
    #: The recorded child the user has seen and confirmed for a new plan or case.
    confirmed_child_id: int | None = None
    #: A recorded child with a protected identity (no number) the user chose explicitly.
    chosen_child_id: int | None = field(default=None)


class ChildAlreadyRecorded(DomainError):
    """The portal has this child; the form shows the record and asks the user to confirm it."""

    def __init__(self, child: Child):
        self.child = child
        super().__init__(
            _("The portal already has this child. Check the child's details and save again.")
        )


class NumberTaken(DomainError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Another child in the portal has this personal identity number. Check the "
                "number; if it is right, start the plan or case from that child instead."
            )
        )


def save_child(child: Child | None, data: ChildData) -> Child:
    """Create or update a child and its guardians (inside the caller's transaction).

    A number another child has is refused (``NumberTaken``), also when two people save it at once.
    """
    child = child or Child()
    if data.personal_number and (
        Child.objects.filter(personal_number=data.personal_number).exclude(pk=child.pk).exists()
    ):
        raise NumberTaken
    child.first_name = data.first_name
    child.last_name = data.last_name
    child.personal_number = data.personal_number
    child.protected_identity = data.protected_identity
    child.birth_date = data.birth_date
    try:
        with transaction.atomic():
            child.save()
    except IntegrityError:
        raise NumberTaken from None
    for position, (name, phone) in enumerate(data.guardians, start=1):
        if name:
            Guardian.objects.update_or_create(
                child=child, position=position, defaults={"name": name, "phone": phone}
            )
        else:
            Guardian.objects.filter(child=child, position=position).delete()
    return child


def recorded_child(data: ChildData) -> Child | None:
    """The child the portal already has for this data: by number, or the chosen protected one."""
    if data.personal_number:
        return Child.objects.filter(personal_number=data.personal_number).first()
    if data.chosen_child_id:
        return Child.objects.filter(
            pk=data.chosen_child_id, protected_identity=True, personal_number=""
        ).first()
    return None


def child_for_new_record(data: ChildData) -> Child:
    """The child of a new plan or forum case (inside the caller's transaction).

    A recorded child is used once the user has confirmed it (the form showed its details);
    until then ``ChildAlreadyRecorded`` is raised. Otherwise a new record is made — unless someone
    recorded the same number a moment ago, which is then shown for confirmation too.
    """
    known = recorded_child(data)
    if known is not None:
        if data.confirmed_child_id != known.pk:
            raise ChildAlreadyRecorded(known)
        return save_child(Child.objects.select_for_update().get(pk=known.pk), data)
    try:
        return save_child(None, data)
    except NumberTaken:
        raise ChildAlreadyRecorded(
            Child.objects.get(personal_number=data.personal_number)
        ) from None
