"""Consent to share a child's information, and the rules that decide who is covered."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Principal
from bus_portal.uploads import DOCUMENTS_AND_IMAGES, MB, UploadValidator
from bus_portal.validity import valid_on_q
from sip.models.people import Child

if TYPE_CHECKING:
    from sip.models.forum import ForumCase
    from sip.models.plans import Plan

#: A signed consent form: a PDF or a photo of the paper, checked by its content.
CONSENT_DOCUMENT = UploadValidator(allowed=DOCUMENTS_AND_IMAGES, max_size=10 * MB)


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, date: datetime.date | None = None) -> ConsentQuerySet:
        return self.filter(
            valid_on_q(date, start="given_on", end="valid_until"), withdrawn_on__isnull=True
        )


class Consent(models.Model):
    """One person's consent to share information for one purpose (a plan or a forum case)."""

    class Person(models.TextChoices):
        GUARDIAN_1 = "guardian_1", _("Guardian 1")
        GUARDIAN_2 = "guardian_2", _("Guardian 2")
        CHILD = "child", _("The child")

    class Form(models.TextChoices):
        WRITTEN = "written", _("Written (signed form attached)")
        RECORDED = "recorded", _("Oral, recorded by the case officer")

    plan = models.ForeignKey(
        "sip.Plan", on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    forum_case = models.ForeignKey(
        "sip.ForumCase", on_delete=models.CASCADE, null=True, blank=True, related_name="consents"
    )
    person = models.CharField(_("given by"), max_length=12, choices=Person.choices)
    person_name = models.CharField(_("name"), max_length=150)
    child_is_mature = models.BooleanField(
        _("the child's age and maturity allow the child to consent alone"), default=False
    )
    principals = models.ManyToManyField(
        Principal,
        verbose_name=_("principals that may share with each other"),
        related_name="+",
    )
    exclusions = models.TextField(_("what must not be shared"), blank=True)
    given_on = models.DateField(_("given on"))
    form = models.CharField(_("form"), max_length=10, choices=Form.choices)
    document = models.FileField(_("signed form"), upload_to="sip/consents/%Y/", blank=True)
    # What CONSENT_DOCUMENT found the content to be; the download is served with this type.
    document_type = models.CharField(
        _("type of the signed form"), max_length=100, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.CharField(_("withdrawn by"), max_length=150, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=False, forum_case__isnull=True)
                | Q(plan__isnull=True, forum_case__isnull=False),
                name="consent_one_purpose",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("given_on")),
                name="consent_valid_period",
            ),
            models.CheckConstraint(
                condition=~Q(form="written") | ~Q(document=""),
                name="consent_written_has_document",
            ),
            models.CheckConstraint(
                condition=Q(document="") | ~Q(document_type=""),
                name="consent_document_has_type",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_person_display()}: {self.person_name}"

    def is_valid_on(self, date: datetime.date | None = None) -> bool:
        date = date or timezone.localdate()
        return (
            self.given_on <= date
            and (self.valid_until is None or self.valid_until >= date)
            and self.withdrawn_on is None
        )

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on()

    @property
    def owner(self) -> Plan | ForumCase:
        """The plan or forum case this consent is for."""
        owner = self.plan or self.forum_case
        assert owner is not None  # a consent belongs to a plan or a case (consent_one_purpose)
        return owner

    @property
    def child(self) -> Child:
        """The child of the plan or forum case this consent is for."""
        return self.owner.child


def _required_consents(
    child: Child, consents: Iterable[Consent], on: datetime.date | None
) -> list[Consent] | None:
    """The valid consents that together allow sharing, or None if they are not enough.

    Either the child alone, recorded as mature enough, or every registered guardian. With two
    guardians both must consent; withdrawal by either stops sharing at once.
    """
    valid = [c for c in consents if c.is_valid_on(on)]
    mature_child = [c for c in valid if c.person == Consent.Person.CHILD and c.child_is_mature]
    if mature_child:
        return mature_child
    positions = [g.position for g in child.guardians.all()]
    if not positions:
        return None
    chosen = []
    for position in positions:
        person = f"guardian_{position}"
        match = [c for c in valid if c.person == person]
        if not match:
            return None
        chosen.append(match[-1])
    return chosen


def consent_is_complete(
    child: Child, consents: Iterable[Consent], on: datetime.date | None = None
) -> bool:
    return _required_consents(child, consents, on) is not None


def covered_principal_ids(
    child: Child, consents: Iterable[Consent], on: datetime.date | None = None
) -> set[int]:
    """The principals every required person has agreed may share: the intersection, not the union."""
    required = _required_consents(child, consents, on)
    if not required:
        return set()
    sets = [{p.pk for p in c.principals.all()} for c in required]
    return set.intersection(*sets)


@dataclass(frozen=True)
class WithdrawalNotice:
    """A withdrawn consent, and the principals that may no longer share because of it."""

    consent_id: int
    withdrawn_on: datetime.date
    principals: list[str]


def withdrawal_notices(obj: Plan | ForumCase) -> list[WithdrawalNotice]:
    """One notice per withdrawn consent whose principals are no longer covered by any consent.

    Once a new consent covers them again, the withdrawal no longer stops anything and no notice
    is given. Loads the consents with their principals once (a no-op if they are loaded).
    """
    prefetch_related_objects([obj], "consents__principals", "child__guardians")
    consents = list(obj.consents.all())
    covered = covered_principal_ids(obj.child, consents)
    notices = []
    for consent in consents:
        if consent.withdrawn_on is None:
            continue
        stopped = sorted(p.name for p in consent.principals.all() if p.pk not in covered)
        if stopped:
            notices.append(WithdrawalNotice(consent.pk, consent.withdrawn_on, stopped))
    return notices


def withdrawal_notice(consent: Consent) -> WithdrawalNotice | None:
    """The notice for one withdrawn consent, or None if it stopped no sharing."""
    return next(
        (n for n in withdrawal_notices(consent.owner) if n.consent_id == consent.pk),
        None,
    )
