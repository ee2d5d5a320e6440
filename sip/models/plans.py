"""The SIP: the plan, its participants and measures, frozen versions, sign-offs and evaluations."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
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
    from sip.models.versions import PlanVersion


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
    # After agreement the working copy (the fields and rows above) changes only in a revision:
    # while this is set it is the draft of the next version, and the latest version stays in
    # force until the revision is agreed. It stays set if the plan is closed before that.
    in_revision = models.BooleanField(_("revision in progress"), default=False)
    # "Min plan", written with the child in the child's words; empty ones fall back to the
    # professional text, marked as written for adults.
    my_plan_what = models.TextField(_("what we will do (in the child's words)"), blank=True)
    my_plan_who = models.TextField(_("who helps me (in the child's words)"), blank=True)
    my_plan_when = models.TextField(_("when we meet (in the child's words)"), blank=True)

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
            models.CheckConstraint(
                condition=Q(in_revision=False) | ~Q(status="draft"),
                name="plan_revision_only_after_agreement",
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
        """May the user act on the plan (edit a draft or revision, consent, agree, follow up)?"""
        return self.status != self.Status.CLOSED and any(
            m.role == Role.CASE_OFFICER
            and m.unit_id in self.participating_unit_ids()
            and self.is_covered(m.unit)
            for m in user.active_memberships
        )

    # -- guards -----------------------------------------------------------------------------
    def can_edit(self) -> bool:
        """Only a draft or a revision in progress changes; an agreed plan is revised first."""
        if self.status == self.Status.DRAFT:
            return True
        return self.in_revision and self.status != self.Status.CLOSED

    def can_revise(self) -> bool:
        return self.status in (self.Status.AGREED, self.Status.FOLLOW_UP) and not self.in_revision

    def missing_for_agreement(self) -> list[tuple[str, str]]:
        """What stops the plan (or its revision) from being agreed, as (anchor, message) pairs."""
        if not self.can_edit():
            return [("", gettext("Only a draft or a revision in progress can be agreed."))]
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
        # A follow-up freezes the working copy, which during a revision is not agreed.
        return self.status in (self.Status.AGREED, self.Status.FOLLOW_UP) and not self.in_revision

    def can_close(self) -> bool:
        return self.status != self.Status.CLOSED

    # -- versions ---------------------------------------------------------------------------
    def version_in_force(self, versions: Sequence[PlanVersion] | None = None) -> PlanVersion | None:
        """The latest frozen version, which is the one in force once the plan has been agreed.

        Versions are made only by agreeing (the plan or a revision of it) and by follow-ups, so
        the newest is always agreed content. ``versions`` (oldest first) saves the query.
        """
        if self.status == self.Status.DRAFT:
            return None
        if versions is None:
            return self.versions.order_by("-number").first()
        return versions[-1] if versions else None

    def working_copy_version(self, latest: int) -> tuple[int, bool]:
        """(number, agreed) of the working copy, given the latest version's number (0 if none).

        A draft or a revision in progress becomes the next version when agreed; otherwise the
        working copy is the latest version itself.
        """
        if self.status == self.Status.DRAFT or self.in_revision or latest == 0:
            return latest + 1, False
        return latest, True

    def recorded_row_ids(self) -> tuple[set[int], set[int]]:
        """Participants who signed and measures evaluated in a version: they stay in the plan."""
        if self.status == self.Status.DRAFT:
            return set(), set()
        # One query for both kinds of rows, each id tagged with its kind.
        signed = PlanParticipant.objects.filter(plan=self, signoffs__isnull=False).annotate(
            row=models.Value("p", output_field=models.CharField())
        )
        evaluated = Measure.objects.filter(plan=self, evaluations__isnull=False).annotate(
            row=models.Value("m", output_field=models.CharField())
        )
        rows = (
            signed.order_by()
            .values_list("pk", "row")
            .union(evaluated.order_by().values_list("pk", "row"))
        )
        found = list(rows)
        return (
            {pk for pk, row in found if row == "p"},
            {pk for pk, row in found if row == "m"},
        )

    # -- clocks -----------------------------------------------------------------------------
    def first_meeting_deadline(self, rules: LocalRules | None = None) -> datetime.date:
        rules = rules or LocalRules.of(self)
        return self.need_noticed_on + datetime.timedelta(days=rules.first_meeting_days)

    def snapshot(
        self, *, evaluations: list[tuple[str, str]] | None = None, summary: str | None = None
    ) -> dict[str, object]:
        """The plan's content under stable codes, stored in each version and used for diffs.

        Everything the plan's pages and prints show: the child and the guardians, the fields,
        "Min plan", and numbered rows ("guardian:1", "measure:1", "participant:2"; a follow-up adds
        its ``evaluations`` as (outcome, comment) per measure, "evaluation:1", and
        "follow_up_summary"). Values hold no translated text — a choice is stored as its code — so
        the same content compares equal whatever language the user who saved it had.
        ``PlanVersion.field_label`` and ``field_text`` produce what is shown, in the reader's
        language, and ``PlanContent`` gives the pages the content of any snapshot.
        """
        child = self.child
        data: dict[str, object] = {
            "child_first_name": child.first_name,
            "child_last_name": child.last_name,
            "personal_number": child.personal_number,
            "protected_identity": "yes" if child.protected_identity else "",
            "need_noticed_on": str(self.need_noticed_on or ""),
            "first_meeting_on": str(self.first_meeting_on or ""),
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
            "legal_reference": self.legal_reference,
            "my_plan_what": self.my_plan_what,
            "my_plan_who": self.my_plan_who,
            "my_plan_when": self.my_plan_when,
        }
        for g in child.guardians.all():
            data[f"guardian:{g.position}"] = {"name": g.name, "phone": g.phone}
        for i, m in enumerate(self.measures.all(), start=1):
            data[f"measure:{i}"] = m.snapshot()
        for i, p in enumerate(self.participants.all(), start=1):
            data[f"participant:{i}"] = p.snapshot()
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

    def snapshot(self) -> dict[str, str]:
        """The participant in a version: names as written, the kind as its code."""
        data = {"name": self.name, "role": self.role, "kind": self.kind}
        if self.unit is not None:
            data.update(unit=self.unit.name, principal=self.unit.principal.name)
        return data


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
    # The portal user who is reminded before the measure ends (optional; the name above is what
    # the plan shows).
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person in the portal (gets reminders)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
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

    def snapshot(self) -> dict[str, str]:
        """The measure in a version; ``PlanVersion.field_text`` shows it as ``summary()``. The
        responsible person in the portal is named only when there is one, so versions from
        before the field compare equal."""
        data = {
            "description": self.description,
            "provider": self.provider,
            "responsible": self.responsible,
            "starts_on": str(self.starts_on or ""),
            "ends_on": str(self.ends_on or ""),
        }
        if self.responsible_user_id is not None:
            data["responsible_user"] = str(self.responsible_user)
        return data
