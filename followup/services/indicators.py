"""Changes to the local indicators: the principals' manual figures, and the steering group's
sign-off of a year."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup, Principal
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.models import INDICATOR_RANGES, IndicatorYear, ManualFigure
from followup.services.errors import FollowupError, IndicatorLockedError


def save_manual_figures(
    *,
    group: LocalGroup,
    year: int,
    principal: Principal,
    values: dict[str, int | None],
    note: str,
    user: User,
    request: HttpRequest | None = None,
) -> IndicatorYear:
    """A principal's figures for work outside the portal; an empty value removes the figure.

    Each figure must lie in its indicator's plausible range (``INDICATOR_RANGES``)."""
    for code, value in values.items():
        low, high = INDICATOR_RANGES[code]
        if value is not None and not low <= value <= high:
            raise FollowupError(
                _("%(value)s is not a plausible figure; enter a number from %(low)s to %(high)s.")
                % {"value": value, "low": low, "high": high}
            )
    with transaction.atomic():
        indicator_year = _locked_indicator_year(
            group=group, year=year, guard=IndicatorYear.missing_for_changes
        )
        # Whose figures they are, then each indicator that changed.
        changes = {"principal": ["", principal.name]}
        for code, value in values.items():
            existing = ManualFigure.objects.filter(
                indicator_year=indicator_year, principal=principal, indicator=code
            ).first()
            old = existing.value if existing else None
            if value is None:
                if existing:
                    existing.delete()
            elif existing is None:
                ManualFigure.objects.create(
                    indicator_year=indicator_year,
                    principal=principal,
                    indicator=code,
                    value=value,
                    note=note,
                    entered_by=user,
                )
            else:
                existing.value, existing.note, existing.entered_by = value, note, user
                existing.save()
            if old != value:
                changes[code] = [
                    str(old if old is not None else ""),
                    str(value if value is not None else ""),
                ]
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=indicator_year,
            purpose=Purpose.MANUAL_FIGURES_SAVED,
            changes=changes,
            request=request,
        )
    return indicator_year


def sign_off_year(
    *, group: LocalGroup, year: int, user: User, request: HttpRequest | None = None
) -> IndicatorYear:
    """The steering group signs the year off: the portal's figures are stored and the year locked."""
    from followup.indicators import portal_counts

    with transaction.atomic():
        indicator_year = _locked_indicator_year(
            group=group, year=year, guard=IndicatorYear.missing_for_signing
        )
        indicator_year.recorded = dict(portal_counts(year=year).get(group.pk, {}))
        indicator_year.status = IndicatorYear.Status.SIGNED
        indicator_year.signed_at = timezone.now()
        indicator_year.signed_by = user
        indicator_year.save()
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=indicator_year,
            changes={"status": ["open", "signed"]},
            request=request,
        )
    return indicator_year


def _locked_indicator_year(
    *, group: LocalGroup, year: int, guard: Callable[[IndicatorYear], list[str]]
) -> IndicatorYear:
    """The group's year (created on first use), locked, once ``guard`` finds nothing missing."""
    indicator_year, _created = IndicatorYear.objects.get_or_create(group=group, year=year)
    indicator_year = IndicatorYear.objects.select_for_update().get(pk=indicator_year.pk)
    problems = guard(indicator_year)
    if problems:
        raise IndicatorLockedError(" ".join(problems))
    return indicator_year
