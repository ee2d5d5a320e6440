"""The access pattern every app follows (after healthchecks' _get_check_for_user).

* Each model with restricted rows has a queryset method ``visible_to(user)``.
* Each app has one ``get_<thing>_for_user(request, pk, write=...)`` built on ``get_for_user``:
  a row outside the user's scope is a 404 (we do not reveal that it exists);
  a visible row without the write right is a 403.
* Views declare the roles they need with ``RoleRequiredMixin`` or ``role_required``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

M = TypeVar("M", bound=models.Model)


def get_for_user(
    request: HttpRequest,
    queryset: models.QuerySet[M],
    *,
    write: bool = False,
    can_write: Callable[[M, Any], bool] | None = None,
    **lookup,
) -> M:
    """Fetch one row from a user-scoped queryset; 404 outside the scope, 403 without write."""
    try:
        obj = queryset.get(**lookup)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    if write and (can_write is None or not can_write(obj, request.user)):
        raise PermissionDenied
    return obj


class RoleRequiredMixin(LoginRequiredMixin):
    """Declare on the view which roles may use it; any one of them suffices."""

    required_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles and not request.user.has_role(*self.required_roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def role_required(*roles: str):
    """Function-view counterpart of RoleRequiredMixin."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not request.user.has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
