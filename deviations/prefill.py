"""A new report pre-filled from elsewhere in the portal, as initial values only.

The SIP app offers, when an invited unit declines a SIP meeting, to report it as a deviation ("a
principal did not take part in a SIP" is a classic BUS deviation). It links to the create form
with GET parameters::

    /avvikelser/ny/?prefill=sip_declined&occurred_on=2026-03-10&counterpart_unit=42

and this module turns them into the form's initial values: the date, the unit's principal and
service, a category about SIP if the secretariat keeps one, and a neutral description without
personal data. Nothing is saved until the reporter sends the form (and confirms that no child
can be identified). A parameter that is missing, malformed, out of range or unknown is ignored.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Unit
from deviations.models import EARLIEST_EVENT_DATE, Category

SIP_DECLINED = "sip_declined"


def _date(value: str) -> datetime.date | None:
    """An ISO date the report form accepts (not in the future, not before 2000), or None."""
    if len(value) != 10:  # YYYY-MM-DD and nothing else
        return None
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return date if EARLIEST_EVENT_DATE <= date <= timezone.localdate() else None


def _unit(value: str) -> Unit | None:
    """The unit with this id, or None (an id no column holds is not looked up)."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return Unit.objects.select_related("principal").filter(pk=int(value)).first()


def sip_category() -> Category | None:
    """The category in use about SIP (the starting one is "SIP inte hållen eller inte följd")."""
    return (
        Category.objects.filter(is_active=True)
        .filter(Q(name__icontains="SIP") | Q(description__icontains="SIP"))
        .order_by("position", "name")
        .first()
    )


def initial_from(params: Mapping[str, str]) -> dict[str, Any]:
    """The create form's initial values from the link's parameters ({} when not a prefill)."""
    if params.get("prefill") != SIP_DECLINED:
        return {}
    initial: dict[str, Any] = {
        "description": _("A principal did not take part in a SIP meeting it was invited to."),
    }
    date = _date(params.get("occurred_on", ""))
    if date is not None:
        initial["event_date"] = date
    unit = _unit(params.get("counterpart_unit", ""))
    if unit is not None:
        initial["counterpart_principals"] = [unit.principal_id]
        initial["counterpart_services"] = [unit.service_type]
    category = sip_category()
    if category is not None:
        initial["category"] = category.pk
    return initial
