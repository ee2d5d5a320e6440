"""The county survey in the user's "Att göra" list (``bus_portal.inbox``).

A survey contact person has one item per open survey and local group they answer for, with the
survey's deadline as the due date: to answer it (no answer yet) or to finish a draft. The item is
gone once the group's answer is submitted, and when the survey closes. Three queries whatever the
number of groups and surveys (none for a user who is not a contact person).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.inbox import InboxItem
from followup.models import Response, Survey, SurveyContact, in_force_during
from followup.navigation import shown_contact_group_ids


def items(user) -> Iterator[InboxItem]:
    # Whether the user is a contact person at all, as the menu knows it (no query on most
    # pages); then the groups live.
    if not shown_contact_group_ids(user):
        return
    mine = SurveyContact.objects.active().filter(user=user.pk).values("group_id")
    groups = list(LocalGroup.objects.filter(pk__in=mine).order_by("name", "pk"))
    if not groups:
        return
    surveys = list(Survey.objects.filter(status=Survey.Status.OPEN).order_by("deadline", "year"))
    if not surveys:
        return
    drafts: dict[tuple[int, int], int] = {}
    submitted: set[tuple[int, int]] = set()
    responses = (
        Response.objects.filter(survey__in=surveys, group__in=groups)
        .order_by("pk")
        .values_list("pk", "survey_id", "group_id", "status")
    )
    for pk, survey_id, group_id, status in responses:
        if status == Response.Status.DRAFT:
            drafts.setdefault((survey_id, group_id), pk)
        else:
            submitted.add((survey_id, group_id))
    kind = _("Survey")
    for survey in surveys:
        for group in groups:
            key = (survey.pk, group.pk)
            detail = _("%(group)s, the county survey %(year)s") % {
                "group": group.name,
                "year": survey.year,
            }
            if key in drafts:
                yield InboxItem(
                    kind=kind,
                    title=_("Finish and submit the group's answer to the county survey"),
                    url=reverse("followup:response_edit", kwargs={"pk": drafts[key]}),
                    due=survey.deadline,
                    detail=detail,
                )
            elif key not in submitted and in_force_during(group, survey.year):
                yield InboxItem(
                    kind=kind,
                    title=_("Answer the county survey for the local BUS group"),
                    url=reverse(
                        "followup:response_start",
                        kwargs={"year": survey.year, "group": group.pk},
                    ),
                    due=survey.deadline,
                    detail=detail,
                )
