"""The sign-in log and the assertions already used (replay protection)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bus_portal.models import User


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Sign-in log rows cannot be changed.")

    def delete(self):
        raise PermissionError("Sign-in log rows cannot be deleted.")


class SignInEvent(models.Model):
    """One sign-in step, succeeded or not, with its method. Append-only, as the audit log.

    ``username`` is what was typed at the password step, or the HSA-id an eID sign-in named; a
    personnummer is never stored.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("username or HSA-id"), max_length=150, blank=True)
    method = models.CharField(_("method"), max_length=40)
    succeeded = models.BooleanField(_("succeeded"))
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-in")
        verbose_name_plural = _("sign-in log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.user or self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Sign-in log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Sign-in log rows cannot be deleted.")


class UsedAssertion(models.Model):
    """A SAML assertion that has logged someone in: the same ID is refused a second time."""

    assertion_id = models.CharField(max_length=200, unique=True)
    issuer = models.CharField(max_length=200)
    used_at = models.DateTimeField(default=timezone.now)
    # Kept until the assertion's own validity ends; after that pysaml2 refuses it anyway.
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.assertion_id
