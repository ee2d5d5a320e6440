"""One audit row for each request to a sip page that shows or refuses a child's record.

Every view in ``sip/urls.py`` is wrapped by ``audited_views``, which declares for each group of
URLs the model their ``pk`` names; the scoped lookups (``sip.access``) note on the request which
record they loaded (and, for a URL without a ``pk``, which one they were asked for). When the
view is done, the wrapper looks at the answer:

* a refusal — 403 or 404, raised or returned, from a missing role, a scoped lookup or the "no
  valid consent" page — writes one "denied" row with the status in ``changes``. It names the
  record asked for, with its child's subject if it exists (also outside the user's units); an id
  that does not exist is named by its model and the id alone.
* a page that shows a loaded record (2xx, or a form shown again with its errors) writes one read
  row, unless a row about that child was written during the request: ``ConsentGatedReadMixin``'s
  read or a service's change (``record_for_child`` marks the request), so there is one row per
  request.

The purpose is the view's ``purpose`` where it declares one, else ``Purpose.PAGE_READ``; rows
written here name the page (its URL name) in ``changes``. Lists write their own rows (the SIP list:
one list read per child shown). A page that loaded no record (an empty form to start a plan, the
list of forum cases) writes nothing, and neither does a redirect.

Rows name their record by a label without content (``audit_label``) and hold no child's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLResolver
from django.utils import translation
from django.utils.text import capfirst

from bus_portal import audit
from bus_portal.models import AuditAction, AuditEvent, User
from sip.audit import Purpose
from sip.models import Child, Consent, ForumCase, Plan

ChildRecord = Plan | ForumCase | Consent
View = Callable[..., HttpResponse]

_ATTRIBUTE = "sip_audit"


@dataclass
class RequestAudit:
    """What a request has done with a child's records so far (on the request as ``sip_audit``)."""

    page: str
    #: The record the request is about, by model and id: the URL's ``pk``, else the first
    #: record a lookup was asked for. A refusal names it.
    asked: tuple[type[models.Model], Any] | None = None
    loaded: list[ChildRecord] = field(default_factory=list)
    #: The subjects of the children the request has written a row about.
    recorded: set[str] = field(default_factory=set)


def _state(request: HttpRequest | None) -> RequestAudit | None:
    return getattr(request, _ATTRIBUTE, None)


def note_asked(request: HttpRequest, model: type[models.Model], pk: Any) -> None:
    """A scoped lookup is asked for a record. Unless the URL named one, the first record asked
    for is what the request is about (a consent, then its plan: the consent)."""
    state = _state(request)
    if state is not None and state.asked is None:
        state.asked = (model, pk)


def note_loaded(request: HttpRequest, obj: ChildRecord) -> None:
    """A scoped lookup found a record the user may see."""
    state = _state(request)
    if state is not None:
        state.loaded.append(obj)


def child_subject(obj: ChildRecord) -> str:
    """The audit subject of the record's child ("sip.child:<pk>"), without reading the child."""
    owner = obj.owner if isinstance(obj, Consent) else obj
    return Child(pk=owner.child_id).audit_subject


def audit_label(obj: models.Model) -> str:
    """How an audit row names a child's record: never a name or a text from it.

    ``obj.audit_label()`` where the model defines one, a plan's or case's number ("SIP-12",
    "BIF-3"), else the kind and the id ("Samtycke 12", in the portal's language).
    """
    label = getattr(obj, "audit_label", None)
    if callable(label):
        return str(label())
    if isinstance(obj, Plan | ForumCase):
        return obj.number
    return _kind_and_id(type(obj), obj.pk)


def _kind_and_id(model: type[models.Model], pk: Any = None) -> str:
    """The kind and the id ("Samtycke 12"), or the kind alone ("Samtycken"), in the portal's
    language whoever asks: the row means the same to every reader."""
    with translation.override(settings.LANGUAGE_CODE):
        if pk is None:
            return capfirst(str(model._meta.verbose_name_plural))
        return f"{capfirst(str(model._meta.verbose_name))} {pk}"


def record_about_child(
    *,
    user: User | AnonymousUser,
    obj: ChildRecord,
    action: str,
    purpose: str,
    request: HttpRequest | None,
    changes: dict | None = None,
) -> AuditEvent:
    """One row about a child's record; the request is marked as having written it."""
    event = audit.record(
        user=user,
        action=action,
        obj=obj,
        object_repr=audit_label(obj),
        purpose=purpose,
        subject=child_subject(obj),
        changes=changes,
        request=request,
    )
    state = _state(request)
    if state is not None:
        state.recorded.add(event.subject)
    return event


def record_child_shown(request: HttpRequest, child: Child) -> AuditEvent:
    """A form starting a plan or a case showed a recorded child's details for confirmation."""
    state = _state(request)
    event = audit.record(
        user=request.user,
        action=AuditAction.VIEW,
        obj=child,
        object_repr=_kind_and_id(Child, child.pk),
        purpose=Purpose.CHILD_RECORD_SHOWN,
        subject=child.audit_subject,
        changes={"page": state.page} if state is not None else None,
        request=request,
    )
    if state is not None:
        state.recorded.add(event.subject)
    return event


def note_recorded(request: HttpRequest | None, subjects: set[str]) -> None:
    """Rows about these children were written in bulk (a list) during the request."""
    state = _state(request)
    if state is not None:
        state.recorded |= subjects


def _purpose_of(view: View) -> str:
    purpose = getattr(getattr(view, "view_class", view), "purpose", None)
    return str(purpose) if purpose else Purpose.PAGE_READ


def _shows_content(status: int) -> bool:
    # A page (2xx) or a form shown again with its errors (400, 409 for a stale edit …).
    return status < 300 or 400 <= status < 500


def _write_denied(
    request: HttpRequest, state: RequestAudit, about: type[models.Model], purpose: str, status: int
) -> None:
    asked = state.asked
    changes = {"status": status, "page": state.page}
    common: dict[str, Any] = {
        "user": request.user,
        "action": AuditAction.DENIED,
        "purpose": purpose,
        "changes": changes,
        "request": request,
    }
    if asked is None:  # a list or a form that is about no record yet
        audit.record(model=about, object_repr=_kind_and_id(about), **common)
        return
    model, pk = asked
    # Loaded and then refused (no write right, no consent), or outside the user's units, or not
    # there at all: only the log learns which.
    found = next((o for o in state.loaded if type(o) is model and o.pk == pk), None)
    obj = found or model._default_manager.filter(pk=pk).first()
    if not isinstance(obj, Plan | ForumCase | Consent):
        audit.record(model=model, object_id=str(pk), object_repr=_kind_and_id(model, pk), **common)
        return
    record_about_child(obj=obj, **common)


def _write_read(request: HttpRequest, state: RequestAudit, purpose: str) -> None:
    if not state.loaded:
        return
    asked = state.asked
    obj = next(
        (o for o in state.loaded if asked and type(o) is asked[0] and o.pk == asked[1]),
        state.loaded[-1],
    )
    if child_subject(obj) in state.recorded:
        return
    record_about_child(
        user=request.user,
        obj=obj,
        action=AuditAction.VIEW,
        purpose=purpose,
        changes={"page": state.page},
        request=request,
    )


def audited(view: View, *, page: str, about: type[models.Model]) -> View:
    """The view, writing one audit row for each request that shows or refuses a child's record.

    ``about`` is the model the URL's ``pk`` names, for a refusal before any lookup (a missing
    role); ``page`` is the URL name the rows carry.
    """
    purpose = _purpose_of(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = RequestAudit(page=page)
        if "pk" in kwargs:  # the URL names the record; a lookup then asks for no other
            state.asked = (about, kwargs["pk"])
        setattr(request, _ATTRIBUTE, state)
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            _write_denied(request, state, about, purpose, 404)
            raise
        except PermissionDenied:
            _write_denied(request, state, about, purpose, 403)
            raise
        status = response.status_code
        if status in (403, 404):
            _write_denied(request, state, about, purpose, status)
        elif _shows_content(status):
            _write_read(request, state, purpose)
        return response

    wrapper.audit_about = about  # type: ignore[attr-defined]
    return wrapper


def audited_views(about: type[models.Model], patterns: list[Any]) -> list[Any]:
    """Wrap the view of every pattern (and of every included list) in ``audited``.

    ``about`` is the model the patterns' ``pk`` names (for lists: the model they list).
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            audited_views(about, pattern.url_patterns)
        elif not hasattr(pattern.callback, "audit_about"):
            pattern.callback = audited(pattern.callback, page=pattern.name or "", about=about)
    return patterns
