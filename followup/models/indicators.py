"""Local indicators: a group's figures for a year, the principals' manual figures, and the
steering group's sign-off."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import LocalGroup, Principal
from bus_portal.models import User
from bus_portal.roles import STEERING_ROLES


class Indicator(models.TextChoices):
    FORUM_CASES = "forum_cases", _("BUS individforum cases")
    FORUM_ESCALATED = "forum_escalated", _("Cases escalated to the steering group")
    DEVIATIONS = "deviations", _("Deviation reports")
    SIPS_NEW = "sips_new", _("New SIPs")
    SIPS_ACTIVE = "sips_active", _("Active SIPs")
    SIPS_FOLLOWED_UP = "sips_followed_up", _("SIPs followed up")


#: The plausible range of a manual figure per indicator (a group's count for one year): a value
#: outside it is a typing error, and would flatten the county's charts. Percentages would be 0–100.
INDICATOR_RANGES: dict[str, tuple[int, int]] = {
    Indicator.FORUM_CASES: (0, 10_000),
    Indicator.FORUM_ESCALATED: (0, 10_000),
    Indicator.DEVIATIONS: (0, 100_000),
    Indicator.SIPS_NEW: (0, 100_000),
    Indicator.SIPS_ACTIVE: (0, 100_000),
    Indicator.SIPS_FOLLOWED_UP: (0, 100_000),
}


def _plausible_figure() -> Q:
    condition = Q()
    for code, (low, high) in INDICATOR_RANGES.items():
        condition |= Q(indicator=code, value__gte=low, value__lte=high)
    return condition


def steering_group_ids(user: User, *roles: str) -> frozenset[int]:
    """The local groups in whose steering group the user holds one of ``roles`` (any steering
    role when none is given)."""
    roles = roles or STEERING_ROLES
    return frozenset(
        m.local_group_id for m in user.active_memberships if m.role in roles and m.local_group_id
    )


class IndicatorYear(models.Model):
    """A group's local indicators for one year; signing it off freezes the portal's figures."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SIGNED = "signed", _("Signed off")

    group = models.ForeignKey(
        LocalGroup, verbose_name=_("local group"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default="open")
    # The portal's own figures at sign-off: {indicator: count}. Empty while open (computed live).
    recorded = models.JSONField(default=dict, blank=True)
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator year")
        verbose_name_plural = _("indicator years")
        ordering = ["group__name", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="indicatoryear_unique_year"),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.year}"

    @property
    def is_signed(self) -> bool:
        return self.status == self.Status.SIGNED

    def missing_for_changes(self) -> list[str]:
        if self.is_signed:
            return [str(_("The year is signed off and locked."))]
        return []

    def can_change(self) -> bool:
        return not self.missing_for_changes()

    def missing_for_signing(self) -> list[str]:
        missing = self.missing_for_changes()
        if self.year >= timezone.localdate().year:
            missing.append(str(_("A year can be signed off only after it has ended.")))
        return missing

    def can_sign(self) -> bool:
        return not self.missing_for_signing()


class ManualFigure(models.Model):
    """A principal's figure for work done outside the portal, added to the portal's own count."""

    indicator_year = models.ForeignKey(
        IndicatorYear, on_delete=models.CASCADE, related_name="manual_figures"
    )
    principal = models.ForeignKey(
        Principal, verbose_name=_("principal"), on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=20, choices=Indicator.choices)
    value = models.PositiveIntegerField(_("number"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")
        ordering = ["indicator_year", "principal__name", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_year", "principal", "indicator"],
                name="manualfigure_unique_indicator",
            ),
            models.CheckConstraint(
                condition=_plausible_figure(),
                name="manualfigure_value_plausible",
                violation_error_message=_("The figure is outside the indicator's plausible range."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_year} {self.principal}: {self.indicator} = {self.value}"
