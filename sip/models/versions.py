"""Frozen versions of a plan, the participants' sign-offs and the measures' evaluations.

A version's ``content`` is ``Plan.snapshot()`` at agreement or follow-up: field codes as keys, so
labels are produced when shown, in the reader's language.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sip.models.people import Child
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
        "child_first_name": _("Child's first name"),
        "child_last_name": _("Child's last name"),
        "personal_number": _("Personal identity number"),
        "protected_identity": _("Protected identity"),
        "need_noticed_on": _("Need noticed"),
        "first_meeting_on": _("First SIP meeting"),
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
        "legal_reference": _("Legal basis"),
        "my_plan_what": _("My plan: what we will do"),
        "my_plan_who": _("My plan: who helps me"),
        "my_plan_when": _("My plan: when we meet"),
        "follow_up_summary": _("Summary of the follow-up"),
    }
    #: Numbered rows: "measure:2" is shown as "Measure 2".
    ROW_LABELS = {
        "guardian": _("Guardian"),
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
    def stored_text(code: str, value: object) -> object:
        """A measure or a unit's participant as the one line versions before 0006 stored.

        Language-free (names and dates only), so versions of either shape compare as equal.
        """
        row = code.partition(":")[0]
        if isinstance(value, dict) and row == "measure":
            period = f"{value.get('starts_on', '')}–{value.get('ends_on', '')}"
            parts = [
                value.get("description", ""),
                value.get("provider", ""),
                value.get("responsible", ""),
                period,
            ]
            if value.get("responsible_user"):
                parts.append(value["responsible_user"])
            return " | ".join(parts)
        if isinstance(value, dict) and row == "participant" and value.get("unit"):
            name, role, where = value.get("name", ""), value.get("role", ""), value["unit"]
            return f"{name} ({role}, {where})" if role else f"{name} ({where})"
        return value

    @classmethod
    def field_text(cls, code: str, value: object) -> str:
        """A stored value as text; the choices it holds as codes become their labels."""
        if code in ("no_measures_by_others", "protected_identity"):
            return str(_("Yes")) if value else ""
        if code == "personal_number" and isinstance(value, str) and len(value) == 12:
            return f"{value[:8]}-{value[8:]}"
        value = cls.stored_text(code, value)
        if isinstance(value, dict) and "outcome" in value:
            outcome = dict(MeasureEvaluation.Outcome.choices).get(value["outcome"], "")
            return f"{outcome}: {value.get('comment', '')}".strip(": ")
        if isinstance(value, dict) and "kind" in value:
            where = dict(PlanParticipant.Kind.choices).get(value["kind"], value["kind"])
            name, role = value.get("name", ""), value.get("role", "")
            return f"{name} ({role}, {where})" if role else f"{name} ({where})"
        if isinstance(value, dict) and "phone" in value:
            name, phone = value.get("name", ""), value.get("phone", "")
            return f"{name} ({phone})" if phone else name
        return "" if value is None else str(value)

    #: The order the plan shows its content in: fields and (numbered) rows.
    ORDER = [
        "child_first_name",
        "child_last_name",
        "personal_number",
        "protected_identity",
        "guardian",
        "need_noticed_on",
        "first_meeting_on",
        "question",
        "goals_short",
        "goals_long",
        "child_voice",
        "family_and_others",
        "overall_principal",
        "initiator",
        "chair",
        "secretary",
        "next_follow_up_on",
        "no_measures_by_others",
        "legal_reference",
        "my_plan_what",
        "my_plan_who",
        "my_plan_when",
        "measure",
        "participant",
        "evaluation",
        "follow_up_summary",  # after the evaluations, as the follow-up adds it
    ]
    #: Codes versions record since migration 0006; an older version is not compared on them.
    RECORDED_SINCE_0006 = frozenset(
        [
            "child_first_name",
            "child_last_name",
            "personal_number",
            "protected_identity",
            "need_noticed_on",
            "first_meeting_on",
            "legal_reference",
            "my_plan_what",
            "my_plan_who",
            "my_plan_when",
        ]
    )

    @classmethod
    def in_plan_order(cls, codes: dict) -> list[str]:
        """The keys of ``codes`` in the plan's order (PostgreSQL's jsonb keeps no key order)."""
        order = {code: i for i, code in enumerate(cls.ORDER)}

        def position(code: str) -> tuple[int, int]:
            row, _sep, number = code.partition(":")
            if row in cls.ROW_LABELS and number.isdigit():
                return (order[row], int(number))
            # A key nobody defined: last, in stored order (the sort is stable).
            return (order.get(code, len(order)), 0)

        return sorted(codes, key=position)

    @classmethod
    def compare(cls, before: dict, after: dict) -> list[tuple[str, object, object]]:
        """(code, old, new) for each snapshot code whose stored value differs."""
        older = "child_first_name" not in before or "child_first_name" not in after
        return [
            (code, before.get(code, ""), after.get(code, ""))
            for code in cls.in_plan_order(dict.fromkeys([*before, *after]))
            if not (older and (code in cls.RECORDED_SINCE_0006 or code.startswith("guardian:")))
            and cls.stored_text(code, before.get(code, ""))
            != cls.stored_text(code, after.get(code, ""))
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
    """A participant's confirmation of an agreed version, with the time it was given.

    A unit's participation is confirmed by the unit's own staff under their own login
    (``Method.LOGIN``, ``recorded_by`` is that person). The child's or family's agreement, and an
    actor outside the portal, is recorded by the case officer with how it was given: on paper,
    orally, or as an uploaded document. Rows before the confirmations were per login were ticked
    by the case officer for everyone (``Method.RECORDED``).
    """

    class Method(models.TextChoices):
        LOGIN = "login", _("Confirmed under their own login")
        PAPER = "paper", _("On paper")
        ORAL = "oral", _("Orally")
        DOCUMENT = "document", _("Uploaded document")
        RECORDED = "recorded", _("Recorded by the case officer")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="signoffs")
    participant = models.ForeignKey(
        PlanParticipant, on_delete=models.PROTECT, related_name="signoffs"
    )
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(
        _("how it was given"), max_length=10, choices=Method.choices, default=Method.LOGIN
    )
    document = models.FileField(_("document"), upload_to="sip/agreements/%Y/", blank=True)
    document_type = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        ordering = ["version", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant"], name="signoff_unique_participant"
            ),
            models.CheckConstraint(
                condition=~models.Q(method="document") | ~models.Q(document=""),
                name="signoff_document_attached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.signed_at:%Y-%m-%d %H:%M}"


class ConfirmationRequest(models.Model):
    """A participant asked to confirm an agreed version: every participant of the plan when the
    version was agreed. Confirmed when a ``SignOff`` of the same version and participant exists;
    a new agreed version (a revision) asks everyone again."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="requests")
    participant = models.ForeignKey(
        PlanParticipant, on_delete=models.CASCADE, related_name="confirmation_requests"
    )

    class Meta:
        verbose_name = _("confirmation asked for")
        verbose_name_plural = _("confirmations asked for")
        ordering = ["version", "participant__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "participant"], name="confirmationrequest_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.participant}"


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


def _date(value: object) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True)
class ContentMeasure:
    description: str
    provider: str = ""
    responsible: str = ""
    starts_on: datetime.date | None = None
    #: The responsible person in the portal, who gets the reminders ("" when none).
    responsible_user: str = ""
    ends_on: datetime.date | None = None


@dataclass(frozen=True)
class ContentParticipant:
    name: str
    role: str = ""
    kind: str = ""
    unit: str = ""
    principal: str = ""

    @property
    def represents(self) -> str:
        """The unit and its principal, or the kind of participant in the reader's language."""
        if self.unit:
            return f"{self.unit}, {self.principal}" if self.principal else self.unit
        return str(dict(PlanParticipant.Kind.choices).get(self.kind, ""))


@dataclass(frozen=True)
class PlanContent:
    """What a plan's page or print shows, read from a snapshot (``Plan.snapshot()``).

    The pages show the working copy's snapshot, or during a revision the snapshot of the
    version in force (``Plan.version_in_force``): ``shown_content`` decides. ``number`` and
    ``agreed`` say which version that is; ``revision_number`` is set while a revision is drafted.
    """

    number: int
    agreed: bool
    first_name: str
    last_name: str
    personal_number: str
    protected_identity: bool
    need_noticed_on: datetime.date | None
    first_meeting_on: datetime.date | None
    question: str
    goals_short: str
    goals_long: str
    child_voice: str
    family_and_others: str
    overall_principal: str
    initiator: str
    chair: str
    secretary: str
    next_follow_up_on: datetime.date | None
    no_measures_by_others: bool
    legal_reference: str
    my_plan_what: str
    my_plan_who: str
    my_plan_when: str
    guardians: list[tuple[str, str]] = field(default_factory=list)
    measures: list[ContentMeasure] = field(default_factory=list)
    participants: list[ContentParticipant] = field(default_factory=list)
    version: PlanVersion | None = None
    revision_number: int | None = None

    @property
    def child_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def formatted_number(self) -> str:
        return PlanVersion.field_text("personal_number", self.personal_number)

    @classmethod
    def of_snapshot(
        cls,
        content: dict,
        *,
        child: Child,
        number: int,
        agreed: bool,
        version: PlanVersion | None = None,
        revision_number: int | None = None,
    ) -> PlanContent:
        """The content of a snapshot; a version saved before 0006 lacks the child's data and
        structured rows, so those come from ``child`` and rows are shown as stored (one line)."""

        def text(code: str) -> str:
            value = content.get(code, "")
            return value if isinstance(value, str) else ""

        def rows(prefix: str) -> list:
            numbered = [c for c in content if c.startswith(f"{prefix}:")]
            return [content[c] for c in PlanVersion.in_plan_order(dict.fromkeys(numbered))]

        if "child_first_name" in content:
            first_name, last_name = text("child_first_name"), text("child_last_name")
            personal_number = text("personal_number")
            protected_identity = bool(content.get("protected_identity"))
            guardians = [(g.get("name", ""), g.get("phone", "")) for g in rows("guardian")]
        else:
            first_name, last_name = child.first_name, child.last_name
            personal_number, protected_identity = child.personal_number, child.protected_identity
            guardians = [(g.name, g.phone) for g in child.guardians.all()]
        measures = [
            ContentMeasure(
                description=m.get("description", ""),
                provider=m.get("provider", ""),
                responsible=m.get("responsible", ""),
                responsible_user=m.get("responsible_user", ""),
                starts_on=_date(m.get("starts_on")),
                ends_on=_date(m.get("ends_on")),
            )
            if isinstance(m, dict)
            else ContentMeasure(description=str(m))
            for m in rows("measure")
        ]
        participants = [
            ContentParticipant(
                name=p.get("name", ""),
                role=p.get("role", ""),
                kind=p.get("kind", ""),
                unit=p.get("unit", ""),
                principal=p.get("principal", ""),
            )
            if isinstance(p, dict)
            else ContentParticipant(name=str(p))
            for p in rows("participant")
        ]
        return cls(
            number=number,
            agreed=agreed,
            first_name=first_name,
            last_name=last_name,
            personal_number=personal_number,
            protected_identity=protected_identity,
            need_noticed_on=_date(content.get("need_noticed_on")),
            first_meeting_on=_date(content.get("first_meeting_on")),
            question=text("question"),
            goals_short=text("goals_short"),
            goals_long=text("goals_long"),
            child_voice=text("child_voice"),
            family_and_others=text("family_and_others"),
            overall_principal=text("overall_principal"),
            initiator=text("initiator"),
            chair=text("chair"),
            secretary=text("secretary"),
            next_follow_up_on=_date(content.get("next_follow_up_on")),
            no_measures_by_others=bool(content.get("no_measures_by_others")),
            legal_reference=text("legal_reference"),
            my_plan_what=text("my_plan_what"),
            my_plan_who=text("my_plan_who"),
            my_plan_when=text("my_plan_when"),
            guardians=guardians,
            measures=measures,
            participants=participants,
            version=version,
            revision_number=revision_number,
        )


def shown_content(plan: Plan, versions: list[PlanVersion]) -> PlanContent:
    """The content the plan's pages and prints show, and which version it is.

    The working copy, unless it is a revision not yet agreed: then the version in force, from
    its frozen snapshot. ``versions`` are the plan's versions, oldest first.
    """
    latest = versions[-1].number if versions else 0
    in_force = plan.version_in_force(versions)
    if plan.in_revision and in_force is not None:
        return PlanContent.of_snapshot(
            in_force.content,
            child=plan.child,
            number=in_force.number,
            agreed=True,
            version=in_force,
            revision_number=latest + 1,
        )
    number, agreed = plan.working_copy_version(latest)
    return PlanContent.of_snapshot(
        plan.snapshot(),
        child=plan.child,
        number=number,
        agreed=agreed,
        version=in_force if agreed else None,
    )
