"""Writing the audit log. Call inside the same transaction as the change it records.

A row names its object by a label without content: ``obj.audit_label()`` where the model defines
one (a plan's number rather than a child's name), else ``str(obj)``.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from bus_portal.models import AuditAction, AuditEvent, User


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    user: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None = None,
    model: type[models.Model] | None = None,
    object_repr: str = "",
    purpose: str = "",
    subject: str = "",
    changes: dict | None = None,
    request: HttpRequest | None = None,
    object_id: str = "",
) -> AuditEvent:
    """Append one audit row: who did what to which object, and why.

    ``obj`` is the row read or changed. An export of figures about many rows (a yearly statistics
    PDF) names no row: pass ``model`` and an ``object_repr`` such as "2025" instead; a refused
    request for a row that does not exist passes ``model`` and the ``object_id`` asked for.
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}")
    if (obj is None) == (model is None):
        raise ValueError("Pass either obj or model")
    return AuditEvent.objects.create(
        actor=user if isinstance(user, User) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(
            obj if obj is not None else model,  # type: ignore[arg-type]  # one is given (above)
            for_concrete_model=False,
        ),
        object_id=object_id if obj is None else str(obj.pk),
        object_repr=(object_repr or object_label(obj))[:200],
        subject=subject,
        purpose=purpose[:200],
        changes=changes or {},
        ip_address=_client_ip(request),
    )


def object_label(obj: models.Model | None) -> str:
    """How a row names its object: ``audit_label()`` where the model has one, else ``str()``."""
    if obj is None:
        return ""
    label = getattr(obj, "audit_label", None)
    return str(label()) if callable(label) else str(obj)


def diff_fields(before: dict, after: dict) -> dict:
    """The fields whose value changed, as {field: [old, new]} with JSON-safe strings."""
    return {
        key: [str(before.get(key, "")), str(after.get(key, ""))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
    ).select_related("actor")
