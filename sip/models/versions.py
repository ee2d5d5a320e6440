"""Frozen versions of a plan, the participants' sign-offs and the measures' evaluations.

A version's ``content`` is ``Plan.snapshot()`` at agreement or follow-up: field codes as keys, so
labels are produced when shown, in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sip.models.plans import Measure, Plan, PlanParticipant


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

    # -- content: stored under codes (Plan.snapshot), shown in the reader's language -------------
    FIELD_LABELS = {
        "question": _("Joint question and need"),
        "goals_short": _("Short-term goals"),
        "goals_long": _("Long-term goals"),
        "child_voice": _("The child's own voice"),
        "family_and_others": _("Family and other actors"),
        "overall_principal": _("Principal with overall responsibility"),
        "initiator": _("Initiator"),
        "chair": _("Chair"),
        "secretary": _("Secretary"),
        "next_follow_up_on": _("Next follow-up"),
        "no_measures_by_others": _("No measures by others"),
        "follow_up_summary": _("Summary of the follow-up"),
    }
    #: Numbered rows: "measure:2" is shown as "Measure 2".
    ROW_LABELS = {
        "measure": _("Measure"),
        "participant": _("Participant"),
        "evaluation": _("Evaluation of measure"),
    }

    @classmethod
    def field_label(cls, code: str) -> str:
        """The label of a content code; a code nobody defined (test data) is shown as it is."""
        if code in cls.FIELD_LABELS:
            return str(cls.FIELD_LABELS[code])
        row, _sep, number = code.partition(":")
        if row in cls.ROW_LABELS and number:
            return f"{cls.ROW_LABELS[row]} {number}"
        return code

    @staticmethod
    def field_text(code: str, value: object) -> str:
        """A stored value as text; the choices it holds as codes become their labels."""
        if code == "no_measures_by_others":
            return str(_("Yes")) if value else ""
        if isinstance(value, dict) and "outcome" in value:
            outcome = dict(MeasureEvaluation.Outcome.choices).get(value["outcome"], "")
            return f"{outcome}: {value.get('comment', '')}".strip(": ")
        if isinstance(value, dict) and "kind" in value:
            where = dict(PlanParticipant.Kind.choices).get(value["kind"], value["kind"])
            name, role = value.get("name", ""), value.get("role", "")
            return f"{name} ({role}, {where})" if role else f"{name} ({where})"
        return "" if value is None else str(value)

    @classmethod
    def in_plan_order(cls, codes: dict) -> list[str]:
        """The keys of ``codes`` in the plan's order (PostgreSQL's jsonb keeps no key order)."""
        fields, rows = list(cls.FIELD_LABELS), list(cls.ROW_LABELS)

        def position(code: str) -> tuple[int, int, int]:
            row, _sep, number = code.partition(":")
            if row in cls.ROW_LABELS and number.isdigit():
                return (1, rows.index(row), int(number))
            if code == "follow_up_summary":  # after the evaluations, as the follow-up adds it
                return (2, 0, 0)
            if code in cls.FIELD_LABELS:
                return (0, fields.index(code), 0)
            return (3, 0, 0)  # a key nobody defined: last, in stored order (the sort is stable)

        return sorted(codes, key=position)

    @classmethod
    def compare(cls, before: dict, after: dict) -> list[tuple[str, object, object]]:
        """(code, old, new) for each snapshot code whose stored value differs."""
        return [
            (code, before.get(code, ""), after.get(code, ""))
            for code in cls.in_plan_order(dict.fromkeys([*before, *after]))
            if before.get(code, "") != after.get(code, "")
        ]

    def content_rows(self) -> list[tuple[str, str]]:
        """(label, text) for each field of this version, in the order the plan shows them."""
        return [
            (self.field_label(code), self.field_text(code, self.content[code]))
            for code in self.in_plan_order(self.content)
        ]

    def changes_since(self, previous: PlanVersion) -> list[tuple[str, object, object]]:
        """(code, old, new) for each field that differs from ``previous``, as stored."""
        return self.compare(previous.content, self.content)


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
