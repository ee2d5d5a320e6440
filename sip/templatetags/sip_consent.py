"""``{% consent_withdrawn_notice plan_or_case %}``: the notice that a withdrawal stopped sharing."""

from __future__ import annotations

from typing import Any

from django import template

from sip.models.consent import withdrawal_notices

register = template.Library()


@register.inclusion_tag("sip/includes/consent_withdrawn.html")
def consent_withdrawn_notice(obj: Any) -> dict[str, Any]:
    """One alert per withdrawn consent whose principals no consent covers any more."""
    return {"notices": withdrawal_notices(obj)}
