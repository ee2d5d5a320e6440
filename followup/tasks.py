"""Background e-mail for the county survey (django-tasks; the database worker runs it)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from agreements.models import LocalGroup
from bus_portal.links import absolute_url


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
    contacts: dict[int, set[str]] = {}
    for contact in (
        SurveyContact.objects.active().filter(group_id__in=group_ids).select_related("user")
    ):
        if contact.user.email:
            contacts.setdefault(contact.group_id, set()).add(contact.user.email)
    messages = []
    with override(settings.LANGUAGE_CODE):
        for group in LocalGroup.objects.filter(pk__in=group_ids).order_by("name"):
            if group.pk in answered:
                continue
            recipients = sorted(contacts.get(group.pk) or ({group.contact_email} - {""}))
            if not recipients:
                continue
            subject = (
                _("Reminder: the BUS county survey %(year)s")
                if kind == "reminder"
                else _("The BUS county survey %(year)s is open")
            ) % {"year": survey.year}
            body = _(
                "Hello,\n\nThe local BUS group %(group)s is asked to answer the county survey "
                "for %(year)s by %(deadline)s.\nAnswer in BUS-portalen: %(path)s\n\n"
                "The BUS secretariat"
            ) % {
                "group": group.name,
                "year": survey.year,
                "deadline": survey.deadline.isoformat(),
                "path": absolute_url("followup:my_surveys"),
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    send_mass_mail(messages, fail_silently=False)
    return len(messages)
