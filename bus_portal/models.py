from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bus_portal.registry import portal
from bus_portal.roles import Role
from bus_portal.validity import valid_on_q


class User(AbstractUser):
    """A person who logs in. Units and roles come from memberships (agreements.Membership)."""

    title = models.CharField(_("title"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Demo accounts can only log in when the portal runs in demo mode."),
    )
    email_digest = models.BooleanField(
        _("e-mail once a day"),
        default=True,
        help_text=_(
            "On: one e-mail a day that lists what happened. Off: an e-mail for each event. "
            "Calendar invitations always come at once."
        ),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def active_memberships(self) -> list:
        return list(
            self.memberships.filter(valid_on_q()).select_related("unit__principal", "local_group")
        )

    @cached_property
    def roles(self) -> frozenset[str]:
        roles = {m.role for m in self.active_memberships}
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    @cached_property
    def unit_ids(self) -> frozenset[int]:
        return frozenset(m.unit_id for m in self.active_memberships)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def unit_ids_with_role(self, *roles: str) -> frozenset[int]:
        return frozenset(m.unit_id for m in self.active_memberships if m.role in roles)


class AuditAction(models.TextChoices):
    VIEW = "view", _("Read")
    CREATE = "create", _("Create")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    PRINT = "print", _("Print")
    # A refused attempt (403 or 404) on a record; the status goes into the row's changes.
    DENIED = "denied", _("Denied")


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit row."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit rows cannot be updated.")

    def delete(self):
        raise AppendOnlyError("Audit rows cannot be deleted.")


class AuditEvent(models.Model):
    """One read or change of a record. Append-only: a model guard here, a trigger on PostgreSQL."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    # Groups the records about one person (e.g. "sip.child:42") so a chief can review them together.
    subject = models.CharField(max_length=64, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            # The access log: a unit's subjects, newest first (also serves subject lookups).
            models.Index(fields=["subject", "-at", "-id"], name="audit_subject_at_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit rows cannot be updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit rows cannot be deleted.")

    @property
    def purpose_label(self) -> str:
        """The stored purpose code as a label in the reader's language (apps register them)."""
        return portal.purpose_label(self.purpose) if self.purpose else ""


class ExternalIdentity(models.Model):
    """A link from an eID assertion (SITHS HSA-id, Freja eID) to a portal user.

    The seam for SAML login: an identity provider adapter verifies the assertion and calls
    ``bus_portal.auth.login_with_external_identity``; the link decides which user it is.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="externalidentity_unique_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer}: {self.subject}"


class FormSubmission(models.Model):
    """A sent create form, by the one-time token the form carried (``bus_portal.submissions``).

    The token is the primary key, so a second send of the same form — a double click, a resend
    after a slow answer, ten parallel posts — cannot create a second record: it finds this row
    and is sent to what the first send created.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)


class AccessibilityReport(models.Model):
    """A problem with the portal's accessibility, reported from the accessibility statement.

    The law (DOS-lagen) requires a way to report one; the administrators are e-mailed and find
    the reports in Django admin.
    """

    created_at = models.DateTimeField(_("reported at"), default=timezone.now)
    page = models.CharField(_("page"), max_length=500, blank=True)
    description = models.TextField(_("description"), max_length=5000)
    contact = models.EmailField(_("e-mail for an answer"), blank=True)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("accessibility report")
        verbose_name_plural = _("accessibility reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.page}"[:100]


class OutboundMessageQuerySet(models.QuerySet["OutboundMessage"]):
    def unsent(self) -> OutboundMessageQuerySet:
        return self.filter(sent_at__isnull=True)


class OutboundMessage(models.Model):
    """An e-mail the portal sends: the outbox (``bus_portal.outbox``).

    A message to a user who chose a daily digest waits (``digest``) until ``manage.py
    send_digests`` lists it in that day's e-mail; every other message is sent at once by a
    background task. The text is neutral, never a child's personal data, with a link to the
    portal where the reader logs in to see more.
    """

    recipient = models.ForeignKey(
        User,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_messages",
    )
    to_address = models.EmailField(_("address"), max_length=254)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    calendar = models.BinaryField(_("calendar invitation"), blank=True, default=b"")
    attachments = models.JSONField(default=list, blank=True)
    digest = models.BooleanField(_("in the daily digest"), default=False)
    source = models.CharField(_("source"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                name="outbound_digest_pending",
                condition=models.Q(sent_at__isnull=True, digest=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.to_address}: {self.subject}"
