"""Rows valid on a date or during a period: the one definition of ``valid_from``/``valid_to``.

Memberships, areas, local groups, units, bodies and agreements carry an optional validity period
(both ends inclusive, either end open). Models use ``ValidityQuerySet`` (``Model.objects.valid_on()``);
filters across a relation use ``valid_on_q(date, prefix="memberships__")``; the database refuses a
period that ends before it starts through ``validity_constraint()`` in the model's ``Meta``.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


def valid_on_q(
    date: datetime.date | None = None,
    *,
    prefix: str = "",
    start: str = "valid_from",
    end: str = "valid_to",
) -> Q:
    """Rows whose period includes ``date`` (today when not given)."""
    return valid_during_q(date, date, prefix=prefix, start=start, end=end)


def valid_during_q(
    first: datetime.date | None,
    last: datetime.date | None,
    *,
    prefix: str = "",
    start: str = "valid_from",
    end: str = "valid_to",
) -> Q:
    """Rows whose period overlaps ``first``..``last`` (both inclusive; today when not given)."""
    today = timezone.localdate()
    first, last = first or today, last or today
    return (Q(**{f"{prefix}{start}__isnull": True}) | Q(**{f"{prefix}{start}__lte": last})) & (
        Q(**{f"{prefix}{end}__isnull": True}) | Q(**{f"{prefix}{end}__gte": first})
    )


def validity_constraint(
    name: str, *, start: str = "valid_from", end: str = "valid_to"
) -> models.CheckConstraint:
    """A named check that the period does not end before it starts (either end may be open).

    The condition's shape and order are part of the migrations: changing them asks for one.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True})
        | Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


class ValidityQuerySet(models.QuerySet):
    """For models with ``valid_from``/``valid_to``."""

    def valid_on(self, date: datetime.date | None = None) -> ValidityQuerySet:
        return self.filter(valid_on_q(date))

    def valid_during(self, first: datetime.date, last: datetime.date) -> ValidityQuerySet:
        return self.filter(valid_during_q(first, last))
