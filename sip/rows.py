"""One-to-few rows read inside their parent's query, as a JSON array per parent row.

A plan's page shows the child's guardians, the consents and their principals, each version's
sign-offs and evaluations: a handful of rows each, but one query per kind with prefetch_related.
``json_rows`` reads them as a subquery column of the parent's query (``JSONB_AGG`` on PostgreSQL,
``JSON_GROUP_ARRAY`` on SQLite), and ``attach`` turns them back into model instances in the same
cache prefetch_related fills, so ``obj.consents.all()`` and the model methods work unchanged.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import models
from django.db.models import Aggregate, JSONField, OuterRef, Subquery
from django.db.models.functions import JSONObject


class JSONRows(Aggregate):
    """A JSON array of the grouped values (order not guaranteed: sort after reading)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


def json_rows(queryset: models.QuerySet, link: str, outer: str, fields: Iterable[str], **extra):
    """A subquery column: the rows of ``queryset`` whose ``link`` equals the outer ``outer``, each
    as a JSON object of ``fields`` (attnames or lookups) and ``extra`` expressions (NULL if none)."""
    row = JSONObject(**{name: name for name in fields}, **extra)
    return Subquery(
        queryset.filter(**{link: OuterRef(outer)})
        .order_by()
        .values(link)
        .annotate(_rows=JSONRows(row))
        .values("_rows"),
        output_field=JSONField(),
    )


def loads(value) -> list[dict]:
    """A JSON column's rows: a nested array arrives as text on SQLite, parsed on PostgreSQL."""
    if value is None:
        return []
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value or []


def build(model: type[models.Model], row: dict, using: str) -> models.Model:
    """A model instance from a JSON object of attnames; fields not in it are deferred."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in row:
            names.append(field.attname)
            values.append(_to_python(field, row[field.attname]))
    return model.from_db(using, names, values)


def _to_python(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        parsed = field.to_python(value)
        # SQLite stores naive UTC; PostgreSQL renders timestamptz with its offset.
        if settings.USE_TZ and parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=datetime.UTC)
        return parsed
    if isinstance(field, models.BooleanField):
        return bool(value)
    return field.to_python(value)


def attach(
    instance: models.Model,
    name: str,
    objects: Iterable[models.Model],
    *,
    sort: Callable | None = None,
) -> list:
    """Put ``objects`` in ``instance``'s prefetch cache for the related manager ``name``."""
    objects = sorted(objects, key=sort) if sort else list(objects)
    manager = getattr(instance, name)
    field = getattr(manager, "field", None)
    if field is not None and not getattr(manager, "through", None):
        # A reverse foreign key: each row's link back to the instance needs no query either.
        for obj in objects:
            field.set_cached_value(obj, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = objects
    queryset._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset
    return objects
