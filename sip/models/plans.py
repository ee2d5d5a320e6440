"""The SIP: the plan, its participants and measures, frozen versions, sign-offs and evaluations."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agreements.models import LocalGroup, Principal, Unit
from sip.models.consent import consent_is_complete, covered_principal_ids
from sip.models.people import DEFAULT_LEGAL_REFERENCE, Child, LocalRules


class _UnpackingIterable(ModelIterable):
    """Model instances, each passed to the queryset's unpack function as it is read."""

    def __iter__(self):
        unpack, using = self.queryset._unpack, self.queryset.db
        for obj in super().__iter__():
            unpack(obj, using)
            yield obj


class PlanQuerySet(models.QuerySet):
    _unpack = None

    def unpacking(self, unpack) -> PlanQuerySet:
        """Call ``unpack(plan, using)`` on each plan read (before prefetching): for columns read
        as JSON by sip.rows.json_rows."""
        clone = self._chain()
        clone._unpack = unpack
        clone._iterable_class = _UnpackingIterable
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._unpack = self._unpack
        return clone

    def visible_to(self, user) -> PlanQuerySet:
        """Plans drafted by one of the user's units or in which one of them takes part.

        Consent decides what of the content a participating unit may read (see Plan.is_covered).
        """
        unit_ids = list(getattr(user, "unit_ids", ()))
        if not unit_ids:
            return self.none()
        # A UNION of two index scans, not an OR: with OR, PostgreSQL cannot use an index for
        # either side and reads every plan in the country (1.4 s at national scale).
        drafted = Plan.objects.filter(owner_unit_id__in=unit_ids).order_by().values("pk")
        joined = PlanParticipant.objects.filter(unit_id__in=unit_ids).order_by().values("plan_id")
        return self.filter(pk__in=drafted.union(joined))


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AGREED = "agreed", _("Agreed")
        FOLLOW_UP = "follow_up", _("In follow-up")
        CLOSED = "closed", _("Closed")

    child = models.ForeignKey(
        Child, verbose_name=_("child"), on_delete=models.PROTECT, related_name="plans"
    )
    local_group = models.ForeignKey(
        LocalGroup, verbose_name=_("local BUS group"), on_delete=models.PROTECT, related_name="+"
    )
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("drafting unit"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic locking: every save increments it; a form posting an older number is refused.
    lock_version = models.PositiveIntegerField(default=1)

    need_noticed_on = models.DateField(_("need noticed on"))
    first_meeting_on = models.DateField(_("first SIP meeting"), null=True, blank=True)
    question = models.TextField(_("joint question and need"))
    goals_short = models.TextField(_("short-term goals"), blank=True)
    goals_long = models.TextField(_("long-term goals"), blank=True)
    child_voice = models.TextField(_("the child's own voice"), blank=True)
    family_and_others = models.TextField(_("family and other actors"), blank=True)
    no_measures_by_others = models.BooleanField(
        _("no measures by others (family, school, associations)"), default=False
    )
    overall_principal = models.ForeignKey(
        Principal,
        verbose_name=_("principal with overall responsibility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    initiator = models.CharField(_("initiator"), max_length=150, blank=True)
    chair = models.CharField(_("chair"), max_length=150, blank=True)
    secretary = models.CharField(_("secretary"), max_length=150, blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    legal_reference = models.CharField(
        _("legal basis"), max_length=200, default=DEFAULT_LEGAL_REFERENCE
    )
    agreed_at = models.DateTimeField(_("agreed at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for closing"), blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("SIP")
        verbose_name_plural = _("SIPs")
        ordering = ["-created_at", "-id"]
        indexes = [
            # A drafting unit's newest plans (the SIP list) without reading and sorting the rest.
            models.Index(fields=["owner_unit", "-created_at", "-id"], name="sip_plan_owner_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
                name="plan_closed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "closed"]) | Q(agreed_at__isnull=False),
                name="plan_agreed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("sip:plan_detail", kwargs={"pk": self.pk})

    @property
    def number(self) -> str:
        return f"SIP-{self.pk}"

    # -- who takes part ---------------------------------------------------------------------
    def participating_unit_ids(self) -> set[int]:
        ids = {p.unit_id for p in self.participants.all() if p.unit_id}
        ids.add(self.owner_unit_id)
        return ids

    def covered_principal_ids(self, on: datetime.date | None = None) -> set[int]:
        # Loads the consents once if the queryset did not (a no-op when it did).
        prefetch_related_objects([self], "consents__principals", "child__guardians")
        return covered_principal_ids(self.child, self.consents.all(), on=on)

    def is_covered(self, unit: Unit) -> bool:
        """May this unit read the content? The drafting unit holds the data; others need consent."""
        if unit.pk == self.owner_unit_id:
            return True
        return unit.principal_id in self.covered_principal_ids()

    def user_is_covered(self, user) -> bool:
        units = [
            m.unit for m in user.active_memberships if m.unit_id in self.participating_unit_ids()
        ]
        return any(self.is_covered(unit) for unit in units)

    def user_can_write(self, user) -> bool:
        from bus_portal.roles import Role

        return self.status != self.Status.CLOSED and any(
            m.role == Role.CASE_OFFICER
            and m.unit_id in self.participating_unit_ids()
            and self.is_covered(m.unit)
            for m in user.active_memberships
        )

    # -- guards -----------------------------------------------------------------------------
    def missing_for_agreement(self) -> list[tuple[str, str]]:
        """What stops the plan from being agreed, as (field anchor, message) pairs."""
        missing: list[tuple[str, str]] = []
        measures = list(self.measures.all())
        by_principals = [m for m in measures if m.principal_id]
        by_others = [m for m in measures if not m.principal_id]
        if not measures:
            missing.append(("measures", _("Which measures are needed (at least one measure).")))
        elif not by_principals:
            missing.append(
                (
                    "measures",
                    _("Which measures each principal provides (a measure with a principal)."),
                ),
            )
        if not by_others and not self.no_measures_by_others:
            missing.append(
                (
                    "id_no_measures_by_others",
                    _("Measures by others (family, school, associations) or an explicit “none”."),
                )
            )
        if self.overall_principal_id is None:
            missing.append(
                ("id_overall_principal", _("The principal with overall responsibility."))
            )
        if self.next_follow_up_on is None:
            missing.append(("id_next_follow_up_on", _("The date of the next follow-up.")))
        if not consent_is_complete(self.child, self.consents.all()):
            missing.append(
                (
                    "consents",
                    _("Valid consent from the guardians (or from the child, recorded as mature)."),
                )
            )
        return missing

    def can_be_agreed(self) -> list[tuple[str, str]]:
        if self.status != self.Status.DRAFT:
            return [("", _("Only a draft can be agreed."))]
        return self.missing_for_agreement()

    def can_be_followed_up(self) -> bool:
        return self.status in (self.Status.AGREED, self.Status.FOLLOW_UP)

    def can_be_closed(self) -> bool:
        return self.status != self.Status.CLOSED

    # -- clocks -----------------------------------------------------------------------------
    def first_meeting_deadline(self, rules: LocalRules | None = None) -> datetime.date:
        rules = rules or LocalRules.of(self)
        return self.need_noticed_on + datetime.timedelta(days=rules.first_meeting_days)

    def snapshot(self) -> dict:
        """The plan's content as plain strings, stored in each version and used for diffs."""
        data = {
            str(_("Joint question and need")): self.question,
            str(_("Short-term goals")): self.goals_short,
            str(_("Long-term goals")): self.goals_long,
            str(_("The child's own voice")): self.child_voice,
            str(_("Family and other actors")): self.family_and_others,
            str(_("Principal with overall responsibility")): str(self.overall_principal or ""),
            str(_("Initiator")): self.initiator,
            str(_("Chair")): self.chair,
            str(_("Secretary")): self.secretary,
            str(_("Next follow-up")): str(self.next_follow_up_on or ""),
            str(_("No measures by others")): str(_("Yes") if self.no_measures_by_others else ""),
        }
        for i, m in enumerate(self.measures.all(), start=1):
            data[f"{_('Measure')} {i}"] = m.summary()
        for i, p in enumerate(self.participants.all(), start=1):
            data[f"{_('Participant')} {i}"] = p.summary()
        return data


class PlanParticipant(models.Model):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Unit")
        FAMILY = "family", _("Child or family")
        OTHER = "other", _("Other actor")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UNIT)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sip_participations",
    )
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role or title"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["plan", "position", "id"]
        indexes = [
            # Plans a unit takes part in (visible_to), answered from the index alone.
            models.Index(fields=["unit", "plan"], name="sip_participant_unit_plan"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="unit") | Q(unit__isnull=False),
                name="planparticipant_unit_kind_has_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def summary(self) -> str:
        where = self.unit.name if self.unit_id else self.get_kind_display()
        return f"{self.name} ({self.role}, {where})" if self.role else f"{self.name} ({where})"


class Measure(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    description = models.TextField(_("measure"))
    principal = models.ForeignKey(
        Principal,
        verbose_name=_("principal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    other_actor = models.CharField(
        _("other actor (family, school, association …)"), max_length=150, blank=True
    )
    responsible = models.CharField(_("responsible person"), max_length=150, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("end"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["plan", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(principal__isnull=False) | ~Q(other_actor=""),
                name="measure_has_provider",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="measure_valid_period",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def provider(self) -> str:
        if self.principal_id:
            return (
                f"{self.unit.name}, {self.principal.name}" if self.unit_id else self.principal.name
            )
        return self.other_actor

    def summary(self) -> str:
        period = f"{self.starts_on or ''}–{self.ends_on or ''}"
        return f"{self.description} | {self.provider} | {self.responsible} | {period}"


class PlanVersion(models.Model):
    """A frozen copy of the plan when it was agreed and at each follow-up; never changed."""

    class Kind(models.TextChoices):
        AGREED = "agreed", _("Agreed plan")
        FOLLOW_UP = "follow_up", _("Follow-up")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    summary = models.TextField(_("summary of the follow-up"), blank=True)
    content = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="planversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.plan.number} v{self.number}"


class SignOff(models.Model):
    """A participant's approval of the agreed plan, with the time it was recorded."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signoffs")
    participant = models.ForeignKey(
        PlanParticipant, on_delete=models.PROTECT, related_name="signoffs"
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["version", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant"], name="signoff_unique_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.signed_at:%Y-%m-%d %H:%M}"


class MeasureEvaluation(models.Model):
    class Outcome(models.TextChoices):
        DONE = "done", pgettext_lazy("measure evaluation", "Done")
        ONGOING = "ongoing", _("Ongoing")
        NOT_STARTED = "not_started", _("Not started")
        CHANGED = "changed", _("Changed")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="evaluations")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="evaluations")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["version", "measure__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "measure"], name="measureevaluation_unique_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.get_outcome_display()}"
