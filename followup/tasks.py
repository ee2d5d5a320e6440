"""Background e-mail for the county survey (django-tasks; the database worker runs it).

The e-mails go through the portal's outbox (``bus_portal.outbox``) like every other: a contact
person gets them at once or in the daily digest as they chose, the administrator can read them
on the outbox page, and a refused delivery is retried.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from agreements.models import LocalGroup
from bus_portal import outbox
from bus_portal.models import User


@task()
def send_survey_mail(*, survey_id: int, kind: str, group_ids: list[int]) -> int:
    """Invite or remind the contact persons of the given groups; returns the number of e-mails."""
    from followup.models import Response, Survey, SurveyContact

    survey = Survey.objects.get(pk=survey_id)
    # Someone may have answered between queueing and sending: remind only who still has not.
    answered = set(
        Response.objects.filter(survey=survey, group_id__in=group_ids)
        .submitted()
        .values_list("group_id", flat=True)
    )
    contacts: dict[int, list[User]] = {}
    for contact in (
        SurveyContact.objects.active()
        .filter(group_id__in=group_ids)
        .select_related("user")
        .order_by("user__username")
    ):
        if contact.user.email:
            contacts.setdefault(contact.group_id, []).append(contact.user)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        subject = (
            _("Reminder: the BUS county survey %(year)s")
            if kind == "reminder"
            else _("The BUS county survey %(year)s is open")
        ) % {"year": survey.year}
        for group in LocalGroup.objects.filter(pk__in=group_ids).order_by("name"):
            if group.pk in answered:
                continue
            # The group's contact persons in the portal; else the group's own address.
            recipients: list[User | str] = [*contacts.get(group.pk, [])] or (
                [group.contact_email] if group.contact_email else []
            )
            body = _(
                "The local BUS group %(group)s is asked to answer the county survey "
                "for %(year)s by %(deadline)s."
            ) % {"group": group.name, "year": survey.year, "deadline": survey.deadline.isoformat()}
            for recipient in recipients:
                message = outbox.send(
                    recipient,
                    subject=subject,
                    body=body,
                    url=reverse("followup:my_surveys"),
                    source=f"followup.survey:{survey.pk}:{kind}",
                )
                sent += message is not None
    return sent
