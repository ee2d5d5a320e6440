"""The SIP: the plan, its participants and measures, frozen versions, sign-offs and evaluations."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Principal, Unit
from bus_portal.roles import Role
from bus_portal.validity import validity_constraint
from sip.models.consent import consent_is_complete, covered_principal_ids
from sip.models.people import DEFAULT_LEGAL_REFERENCE, Child, LocalRules

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bus_portal.models import User


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user: User | AnonymousUser) -> PlanQuerySet:
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

    def user_is_covered(self, user: User) -> bool:
        units = [
            m.unit for m in user.active_memberships if m.unit_id in self.participating_unit_ids()
        ]
        return any(self.is_covered(unit) for unit in units)

    def user_can_write(self, user: User) -> bool:
        return self.status != self.Status.CLOSED and any(
            m.role == Role.CASE_OFFICER
            and m.unit_id in self.participating_unit_ids()
            and self.is_covered(m.unit)
            for m in user.active_memberships
        )

    # -- guards -----------------------------------------------------------------------------
    def missing_for_agreement(self) -> list[tuple[str, str]]:
        """What stops the plan from being agreed, as (field anchor, message) pairs."""
        if self.status != self.Status.DRAFT:
            return [("", gettext("Only a draft can be agreed."))]
        missing: list[tuple[str, str]] = []
        measures = list(self.measures.all())
        by_principals = [m for m in measures if m.principal_id]
        by_others = [m for m in measures if not m.principal_id]
        if not measures:
            missing.append(
                ("measures", gettext("Which measures are needed (at least one measure)."))
            )
        elif not by_principals:
            missing.append(
                (
                    "measures",
                    gettext("Which measures each principal provides (a measure with a principal)."),
                ),
            )
        if not by_others and not self.no_measures_by_others:
            missing.append(
                (
                    "id_no_measures_by_others",
                    gettext(
                        "Measures by others (family, school, associations) or an explicit “none”."
                    ),
                )
            )
        if self.overall_principal_id is None:
            missing.append(
                ("id_overall_principal", gettext("The principal with overall responsibility."))
            )
        if self.next_follow_up_on is None:
            missing.append(("id_next_follow_up_on", gettext("The date of the next follow-up.")))
        if not consent_is_complete(self.child, self.consents.all()):
            missing.append(
                (
                    "consents",
                    gettext(
                        "Valid consent from the guardians (or from the child, recorded as mature)."
                    ),
                )
            )
        return missing

    def can_follow_up(self) -> bool:
        return self.status in (self.Status.AGREED, self.Status.FOLLOW_UP)

    def can_close(self) -> bool:
        return self.status != self.Status.CLOSED

    # -- clocks -----------------------------------------------------------------------------
    def first_meeting_deadline(self, rules: LocalRules | None = None) -> datetime.date:
        rules = rules or LocalRules.of(self)
        return self.need_noticed_on + datetime.timedelta(days=rules.first_meeting_days)

    def snapshot(
        self, *, evaluations: list[tuple[str, str]] | None = None, summary: str | None = None
    ) -> dict[str, object]:
        """The plan's content under stable codes, stored in each version and used for diffs.

        Keys are codes ("question", "measure:1", "participant:2"; a follow-up adds its
        ``evaluations`` as (outcome, comment) per measure, "evaluation:1", and "follow_up_summary").
        Values hold no translated text — a choice is stored as its code — so the same content
        compares equal whatever language the user who saved it had. ``PlanVersion.field_label``
        and ``field_text`` produce what is shown, in the reader's language.
        """
        data: dict[str, object] = {
            "question": self.question,
            "goals_short": self.goals_short,
            "goals_long": self.goals_long,
            "child_voice": self.child_voice,
            "family_and_others": self.family_and_others,
            "overall_principal": str(self.overall_principal or ""),
            "initiator": self.initiator,
            "chair": self.chair,
            "secretary": self.secretary,
            "next_follow_up_on": str(self.next_follow_up_on or ""),
            "no_measures_by_others": "yes" if self.no_measures_by_others else "",
        }
        for i, m in enumerate(self.measures.all(), start=1):
            data[f"measure:{i}"] = m.summary()
        for i, p in enumerate(self.participants.all(), start=1):
            # A unit participant's summary names the unit; any other names its kind, kept as code.
            data[f"participant:{i}"] = (
                p.summary() if p.unit_id else {"name": p.name, "role": p.role, "kind": p.kind}
            )
        for i, (outcome, comment) in enumerate(evaluations or [], start=1):
            data[f"evaluation:{i}"] = {"outcome": outcome, "comment": comment}
        if summary is not None:
            data["follow_up_summary"] = summary
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
        where = self.unit.name if self.unit is not None else self.get_kind_display()
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
            validity_constraint("measure_valid_period", start="starts_on", end="ends_on"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def provider(self) -> str:
        # No query for a missing unit or principal: Django answers None for a NULL key.
        if self.principal is None:
            return self.other_actor
        return f"{self.unit.name}, {self.principal.name}" if self.unit else self.principal.name

    def summary(self) -> str:
        period = f"{self.starts_on or ''}–{self.ends_on or ''}"
        return f"{self.description} | {self.provider} | {self.responsible} | {period}"
