"""The counterpart's side of a report: who is asked to respond, and the response.

When a report reaches the local step (the local BUS group / BUS individforum), each counterpart
principal it names is asked for its response: its BUS contact in the local agreement, or else the
chief of its unit in the report's area (``deviations.recipients.counterpart_contacts``). Each
person asked is a ``ResponseRequest``; the principal answers once (``CounterpartResponse``, one per
report and principal, whoever of its contacts writes it). The author may correct it while the
report is open; every earlier text is kept as a ``CounterpartResponseVersion`` (the trail), and
the redaction reaches them all. Everyone who sees the report sees the responses.

``deviations.models`` imports these models, so the app registers them; nothing here imports the
report models at run time (the report is named "deviations.Deviation").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deviations.ladder import CLOSED_STATUSES

if TYPE_CHECKING:
    from agreements.models import Principal
    from bus_portal.models import User
    from deviations.models import Deviation


class ContactSource(models.TextChoices):
    """Why this person was asked to respond for the principal."""

    BUS_CONTACT = "bus_contact", _("BUS contact person in the local agreement")
    UNIT_CHIEF = "unit_chief", _("Chief of the counterpart's unit in the area")


class ResponseRequestQuerySet(models.QuerySet["ResponseRequest"]):
    def open(self) -> ResponseRequestQuerySet:
        """Requests still waiting: the principal has not responded and the report is not closed."""
        answered = CounterpartResponse.objects.filter(
            deviation=OuterRef("deviation_id"), principal=OuterRef("principal_id")
        )
        return self.exclude(deviation__status__in=CLOSED_STATUSES).filter(~Exists(answered))


class ResponseRequest(models.Model):
    """One person asked to respond to a report for a counterpart principal."""

    deviation = models.ForeignKey(
        "deviations.Deviation", on_delete=models.CASCADE, related_name="response_requests"
    )
    principal = models.ForeignKey(
        "agreements.Principal",
        verbose_name=_("counterpart principal"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="deviation_response_requests",
    )
    source = models.CharField(_("why asked"), max_length=20, choices=ContactSource.choices)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)

    objects = ResponseRequestQuerySet.as_manager()

    class Meta:
        app_label = "deviations"
        verbose_name = _("response request")
        verbose_name_plural = _("response requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["deviation", "principal", "contact"], name="responserequest_unique"
            )
        ]
        indexes = [
            models.Index(fields=["contact", "deviation"], name="responserequest_contact_idx")
        ]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.principal_id} → {self.contact_id}"


class CounterpartResponse(models.Model):
    """A counterpart principal's response to a report, written by one of its contacts."""

    deviation = models.ForeignKey(
        "deviations.Deviation", on_delete=models.CASCADE, related_name="counterpart_responses"
    )
    principal = models.ForeignKey(
        "agreements.Principal",
        verbose_name=_("counterpart principal"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("corrected"), null=True, blank=True)
    # Optimistic locking: a correction saved over a newer text (another tab, a redaction) is
    # refused with the text saved meanwhile.
    lock_version = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "deviations"
        verbose_name = _("counterpart response")
        verbose_name_plural = _("counterpart responses")
        ordering = ["created_at", "id"]
        constraints = [
            # The principal answers once; a correction changes that response.
            models.UniqueConstraint(
                fields=["deviation", "principal"], name="counterpartresponse_one_per_principal"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deviation_id}: {self.principal_id}"

    def can_edit(self, user: User) -> bool:
        """Only the author corrects the response, while the report is open."""
        return self.author_id == user.pk and self.deviation.status not in CLOSED_STATUSES


class CounterpartResponseVersion(models.Model):
    """An earlier text of a response, kept when its author corrected it (the trail)."""

    response = models.ForeignKey(
        CounterpartResponse, on_delete=models.CASCADE, related_name="versions"
    )
    text = models.TextField(_("response"))
    written_at = models.DateTimeField(_("written"))
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        app_label = "deviations"
        verbose_name = _("earlier response")
        verbose_name_plural = _("earlier responses")
        ordering = ["response", "-replaced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.written_at:%Y-%m-%d %H:%M}"


@dataclass
class CounterpartRow:
    """What a report's page shows of one counterpart principal: whom it was asked through,
    its response (with the earlier texts) and whether this user may correct it."""

    principal: Principal
    asked: list[ResponseRequest] = field(default_factory=list)
    response: CounterpartResponse | None = None
    can_correct: bool = False


def counterpart_rows(deviation: Deviation, user: User) -> list[CounterpartRow]:
    """One row per counterpart principal, in a fixed number of queries whatever the number
    of principals, requests and corrections."""
    rows = {
        p.pk: CounterpartRow(principal=p) for p in deviation.counterpart_principals.order_by("name")
    }
    requests = deviation.response_requests.select_related("contact", "principal").order_by(
        "requested_at", "id"
    )
    for request in requests:
        row = rows.setdefault(request.principal_id, CounterpartRow(principal=request.principal))
        row.asked.append(request)
    responses = deviation.counterpart_responses.select_related("author", "principal")
    for response in responses.prefetch_related("versions"):
        response.deviation = deviation
        row = rows.setdefault(response.principal_id, CounterpartRow(principal=response.principal))
        row.response = response
        row.can_correct = response.can_edit(user)
    return list(rows.values())
