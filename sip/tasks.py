"""Background tasks: the consent-withdrawal e-mails are decided in a task (a new consent may
cover the principals again before it runs) and sent through the outbox at once: sharing has
stopped, so nobody should learn of it in tomorrow's digest.

The e-mails name the plan or case by its number and link to it; they never carry the child's
name or any other personal data, which stays behind the portal's login and consent gate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django_tasks import task

from bus_portal import outbox
from bus_portal.roles import SIP_ROLES, Role
from bus_portal.validity import valid_on_q
from sip.models import Consent
from sip.models.consent import withdrawal_notice

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from bus_portal.models import User


def withdrawal_recipients(consent: Consent, *, user: User | None = None) -> QuerySet[User]:
    """Who is told that sharing stopped: the case officers of every unit taking part.

    For a plan, the drafting unit's and the participating units'; for a forum case, the raising
    and invited units' case officers and chiefs (the chiefs run forum cases). The person who
    recorded the withdrawal already knows.
    """
    owner = consent.owner
    roles = (Role.CASE_OFFICER,) if consent.plan_id else SIP_ROLES
    # One filter() call: the unit, the role and the period apply to the same membership.
    users = (
        get_user_model()
        .objects.filter(
            Q(memberships__unit_id__in=owner.participating_unit_ids())
            & Q(memberships__role__in=roles)
            & valid_on_q(prefix="memberships__"),
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("id")
    )
    if user is not None:
        users = users.exclude(pk=user.pk)
    return users


def notify_consent_withdrawn(consent: Consent, *, user: User | None = None) -> None:
    """Queue one e-mail per recipient, if the withdrawal stopped any sharing.

    Called inside the withdrawal's transaction: with the database task backend the task rows
    commit or roll back together with the withdrawal, so no mail goes out for a failed one.
    """
    if withdrawal_notice(consent) is None:
        return
    for pk in withdrawal_recipients(consent, user=user).values_list("pk", flat=True):
        send_consent_withdrawn_email.enqueue(consent.pk, pk)


@task()
def send_consent_withdrawn_email(consent_id: int, recipient_id: int) -> bool:
    """E-mail one recipient that a consent was withdrawn and sharing has stopped."""
    consent = Consent.objects.select_related("plan", "forum_case").filter(pk=consent_id).first()
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if consent is None or recipient is None or not recipient.email:
        return False
    # A new consent may have covered the principals again before the task ran.
    notice = withdrawal_notice(consent)
    if notice is None:
        return False
    owner = consent.owner
    view = "sip:plan_detail" if consent.plan_id else "sip:forum_detail"
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(number)s: consent withdrawn, sharing has stopped") % {"number": owner.number}
        body = "\n\n".join(
            [
                _(
                    "A consent for %(number)s was withdrawn on %(date)s. Information may no longer "
                    "be shared with: %(principals)s."
                )
                % {
                    "number": owner.number,
                    "date": formats.date_format(notice.withdrawn_on, "Y-m-d"),
                    "principals": ", ".join(notice.principals),
                },
                _("Sharing may start again only when a new consent is recorded."),
            ]
        )
    outbox.send(
        recipient,
        subject=subject,
        body=body,
        url=reverse(view, kwargs={"pk": owner.pk}),
        immediate=True,
        source=f"sip.consent:{consent.pk}",
    )
    return True
