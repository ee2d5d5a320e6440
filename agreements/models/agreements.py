"""Agreements: the county agreement and local agreements with revisions, parties and signatures."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models.directory import LocalGroup, Principal
from bus_portal.validity import ValidityQuerySet, validity_constraint

if TYPE_CHECKING:
    from agreements.models.records import OriginalsStep

EXPIRY_WARNING_DAYS = 90


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    # Every party has signed, but the revision's validity has not started yet.
    SIGNED = "signed", _("Signed, not yet in force")
    REVIEW_DUE = "review_due", _("Review due")
    EXPIRING = "expiring", _("Expires within 90 days")
    EXPIRED = "expired", _("Expired")
    UNSIGNED = "unsigned", _("Unsigned")
    NONE = "none", _("No agreement")


STATUS_BADGES: dict[str, str] = {
    AgreementStatus.IN_FORCE: "success",
    AgreementStatus.SIGNED: "info",
    AgreementStatus.REVIEW_DUE: "warning",
    AgreementStatus.EXPIRING: "warning",
    AgreementStatus.EXPIRED: "danger",
    AgreementStatus.UNSIGNED: "danger",
    AgreementStatus.NONE: "secondary",
}


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementQuerySet:
        """Everyone logged in to the county's portal may read agreements."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self

    def with_details(self) -> AgreementQuerySet:
        return self.select_related("local_group").prefetch_related(
            "revisions__parties__principal", "revisions__parties__signatories"
        )

    def with_status(self, today: datetime.date | None = None) -> AgreementQuerySet:
        """Annotate the current revision's dates so ``status()`` needs no revisions, parties or signatures.

        Lists of agreements (the county overview, a group's page) then answer in one query instead of
        prefetching every revision with its parties and signatories.
        """
        return self.annotate(**current_revision_annotations("pk", today))


STATUS_FIELDS = (
    "current_number",
    "current_valid_to",
    "current_review_date",
    "latest_signed_valid_from",
)


def current_revision_annotations(agreement_ref: str, today: datetime.date | None = None) -> dict:
    """Subqueries for the current revision of the agreement at ``agreement_ref``: the latest one
    every party has signed whose validity has started (``Revision.has_started``), and the start
    of a newer signed one that is not yet valid.

    Used on agreements (``with_status``) and on local groups (``"agreement"``), whose rows then carry
    what ``Agreement.status()`` needs; copy them onto the agreement with ``take_status_fields``.
    """
    today = today or timezone.localdate()
    signed = (
        Revision.objects.fully_signed()
        .filter(agreement=OuterRef(agreement_ref))
        .order_by("-number")
    )
    current = signed.filter(started_q(today))
    annotations: dict = {
        name: Subquery(current.values(name.removeprefix("current_"))[:1])
        for name in STATUS_FIELDS
        if name.startswith("current_")
    }
    # The latest signed revision's start: a start after today is a revision signed, not yet valid.
    annotations["latest_signed_valid_from"] = Subquery(signed.values("valid_from")[:1])
    return annotations


def started_q(today: datetime.date) -> Q:
    """Revisions whose validity has started (no start date: from the signatures)."""
    return Q(valid_from__isnull=True) | Q(valid_from__lte=today)


def take_status_fields(agreement: Agreement, source) -> Agreement:
    """Copy status annotations made on another row (a local group) onto its agreement."""
    for name in STATUS_FIELDS:
        setattr(agreement, name, getattr(source, name))
    return agreement


class Agreement(models.Model):
    """The county agreement (no local group) or one local group's agreement; text lives in revisions."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("County agreement")
        LOCAL = "local", _("Local agreement")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LOCAL)
    title = models.CharField(_("title"), max_length=250)
    local_group = models.OneToOneField(
        LocalGroup,
        verbose_name=_("local BUS group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AgreementQuerySet.as_manager()

    # Set on rows from ``with_status()`` (see STATUS_FIELDS); absent otherwise.
    current_number: int | None
    current_valid_to: datetime.date | None
    current_review_date: datetime.date | None
    latest_signed_valid_from: datetime.date | None

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="county", local_group__isnull=True)
                | Q(kind="local", local_group__isnull=False),
                name="agreement_group_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_county(self) -> bool:
        return self.kind == self.Kind.COUNTY

    def ordered_revisions(self) -> list[Revision]:
        """Revisions oldest first; uses the prefetch cache when there is one."""
        return sorted(self.revisions.all(), key=lambda r: r.number)

    @property
    def latest_revision(self) -> Revision | None:
        revisions = self.ordered_revisions()
        return revisions[-1] if revisions else None

    @property
    def current_revision(self) -> Revision | None:
        """The text in force: the latest revision every party has signed whose validity has
        started. A revision signed today but valid from next month is not in force yet."""
        return self.revision_in_force()

    def revision_in_force(self, today: datetime.date | None = None) -> Revision | None:
        signed = [r for r in self.ordered_revisions() if r.is_fully_signed and r.has_started(today)]
        return signed[-1] if signed else None

    @property
    def upcoming_revision(self) -> Revision | None:
        """A signed revision newer than the one in force whose validity starts later."""
        latest_signed = [r for r in self.ordered_revisions() if r.is_fully_signed]
        if latest_signed and latest_signed[-1].starts_later:
            return latest_signed[-1]
        return None

    @property
    def draft_revision(self) -> Revision | None:
        """A newer revision still waiting for signatures, if any."""
        latest = self.latest_revision
        if latest is not None and not latest.is_fully_signed:
            return latest
        return None

    def originals_routing(self) -> dict[Principal, list[OriginalsStep]]:
        """The county agreement's originals routing: each municipality's steps done, in order."""
        routing: dict[Principal, list[OriginalsStep]] = {}
        for step in self.originals_steps.select_related("principal").order_by(
            "principal__name", "step"
        ):
            routing.setdefault(step.principal, []).append(step)
        return routing

    def upcoming_start(self, today: datetime.date | None = None) -> datetime.date | None:
        """When the latest signed revision becomes valid, if that is after today."""
        today = today or timezone.localdate()
        if hasattr(self, "current_number"):  # annotated by AgreementQuerySet.with_status()
            start = self.latest_signed_valid_from
        else:
            signed = [r for r in self.ordered_revisions() if r.is_fully_signed]
            start = signed[-1].valid_from if signed else None
        return start if start is not None and start > today else None

    def status(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        if hasattr(self, "current_number"):  # annotated by AgreementQuerySet.with_status()
            if self.current_number is None:
                if self.upcoming_start(today) is not None:
                    return AgreementStatus.SIGNED
                return AgreementStatus.UNSIGNED
            valid_to, review_date = self.current_valid_to, self.current_review_date
        else:
            revision = self.revision_in_force(today)
            if revision is None:
                if self.upcoming_start(today) is not None:
                    return AgreementStatus.SIGNED
                return AgreementStatus.UNSIGNED
            valid_to, review_date = revision.valid_to, revision.review_date
        if valid_to and valid_to < today:
            return AgreementStatus.EXPIRED
        if valid_to and valid_to <= today + datetime.timedelta(days=EXPIRY_WARNING_DAYS):
            return AgreementStatus.EXPIRING
        if review_date and review_date <= today:
            return AgreementStatus.REVIEW_DUE
        return AgreementStatus.IN_FORCE

    def get_status_display(self) -> str:
        """The status in words; a signed revision not yet valid says from when."""
        status = self.status()
        start = self.upcoming_start() if status == AgreementStatus.SIGNED else None
        if start is not None:
            return str(_("Signed, valid from %(date)s") % {"date": start.isoformat()})
        return str(AgreementStatus(status).label)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES[self.status()]


class RevisionQuerySet(ValidityQuerySet):
    def fully_signed(self) -> RevisionQuerySet:
        """Revisions every party has signed, as ``Revision.is_fully_signed`` says, in SQL.

        At least one party; no party without signatories; no signatory without a date.
        """
        return self.filter(
            Exists(Party.objects.filter(revision=OuterRef("pk"))),
            ~Exists(Party.objects.filter(revision=OuterRef("pk"), signatories__isnull=True)),
            ~Exists(
                Signatory.objects.filter(party__revision=OuterRef("pk"), signed_on__isnull=True)
            ),
        )


class Revision(models.Model):
    """One version of an agreement's text and terms; a new one starts as a copy of the latest."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision number"))
    title = models.CharField(_("revision name"), max_length=150)
    adopted_on = models.DateField(_("adopted"), null=True, blank=True)
    decision_body = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    diary_number = models.CharField(_("diary number (Dnr)"), max_length=50, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it runs until further notice."),
    )
    review_date = models.DateField(
        _("next review"), null=True, blank=True, help_text=_("For agreements reviewed every year.")
    )
    originals_count = models.PositiveSmallIntegerField(_("signed originals"), default=2)
    change_summary = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking of the edit form (bus_portal.concurrency): one more at every save.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="revision_unique_number"),
            validity_constraint("revision_valid_period"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.title} – {self.title}"

    def ordered_sections(self) -> list[RevisionSection]:
        """The text sections in the order they are shown and printed."""
        return list(self.sections.order_by("position", "id"))

    def all_signatories(self) -> list[Signatory]:
        return [s for party in self.parties.all() for s in party.signatories.all()]

    @property
    def is_fully_signed(self) -> bool:
        parties = list(self.parties.all())
        return bool(parties) and all(party.has_signed for party in parties)

    def has_started(self, today: datetime.date | None = None) -> bool:
        """Whether the validity has started (no start date: it runs from the signatures)."""
        return self.valid_from is None or self.valid_from <= (today or timezone.localdate())

    @property
    def is_in_force(self) -> bool:
        """Signed by every party and valid from today or earlier (it may have expired since)."""
        return self.is_fully_signed and self.has_started()

    @property
    def starts_later(self) -> bool:
        """Signed by every party, valid only from a later date: "Signed, valid from …"."""
        return self.is_fully_signed and not self.has_started()

    @property
    def is_locked(self) -> bool:
        """Once anyone has signed, the text may not change; changes need a new revision."""
        return any(s.signed_on for s in self.all_signatories())

    def can_edit(self) -> bool:
        return not self.is_locked

    def can_change_parties(self) -> bool:
        """Parties and signatories are corrected in place only before the first signature."""
        return not self.is_locked

    def can_withdraw_signatures(self) -> bool:
        """A signature recorded by mistake may be withdrawn while the revision is not yet signed
        by every party; once it is, it has been shown as signed, and a new revision corrects it."""
        return not self.is_fully_signed

    def can_sign(self) -> bool:
        return not self.missing_for_signing()

    def missing_for_signing(self) -> list[str]:
        """What is missing before signatures can be collected (empty list: ready)."""
        missing = []
        parties = list(self.parties.all())
        if not parties:
            missing.append(str(_("The revision has no parties.")))
        for party in parties:
            if not party.signatories.all():
                missing.append(str(_("%(party)s has no signatory.") % {"party": party.principal}))
        return missing


class Party(models.Model):
    """A principal that is party to a revision, with its contact person."""

    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="parties"
    )
    principal = models.ForeignKey(
        Principal, verbose_name=_("principal"), on_delete=models.PROTECT, related_name="+"
    )
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["revision", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "principal"], name="party_unique_principal")
        ]

    def __str__(self) -> str:
        return str(self.principal)

    @property
    def has_signed(self) -> bool:
        signatories = list(self.signatories.all())
        return bool(signatories) and all(s.signed_on for s in signatories)

    def can_remove(self) -> bool:
        """A party added by mistake is removed before anyone has signed the revision."""
        return self.revision.can_change_parties()

    def audit_label(self) -> str:
        return f"{self.principal} ({self.revision.title})"


class Signatory(models.Model):
    """A person who signs for a party; the signature is the date they signed."""

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=150, blank=True)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["party", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}" if self.title else self.name

    def can_edit(self) -> bool:
        """Name and title are corrected, or the person removed, until they have signed."""
        return self.signed_on is None

    def can_withdraw_signature(self) -> bool:
        return self.signed_on is not None and self.party.revision.can_withdraw_signatures()


class RevisionSection(models.Model):
    """A text section (purpose, target group, organisation, follow-up …) matched across revisions by key."""

    revision = models.ForeignKey(
        Revision, verbose_name=_("revision"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"), max_length=50)
    heading = models.CharField(_("heading"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["revision", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "key"], name="revisionsection_unique_key")
        ]

    def __str__(self) -> str:
        return self.heading
