from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.models import User
from bus_portal.registry import Panel, panels_with_rows
from bus_portal.roles import Role
from followup.models import IndicatorYear, Response, Survey, steering_group_ids
from followup.navigation import shown_contact_group_ids


def panels(request) -> list[Panel]:
    user = request.user
    groups = shown_contact_group_ids(user)
    is_secretariat = user.has_role(Role.SECRETARIAT)
    # Only contact persons and the secretariat see the open surveys: ask only for them, in one
    # query that also counts the submitted answers (all groups', and the user's own groups').
    submitted = Q(responses__status=Response.Status.SUBMITTED)
    open_surveys = (
        list(
            Survey.objects.filter(status=Survey.Status.OPEN)
            .annotate(
                answered=Count("responses__group", filter=submitted, distinct=True),
                answered_by_mine=Count(
                    "responses__group",
                    filter=submitted & Q(responses__group__in=groups),
                    distinct=True,
                ),
            )
            .order_by("-year")
        )
        if groups or is_secretariat
        else []
    )
    waiting = [s for s in open_surveys if groups and s.answered_by_mine < len(groups)]
    tracking = [(s, s.answered) for s in open_surveys] if is_secretariat else []
    last_year = timezone.localdate().year - 1
    unsigned = _groups_with_unsigned_year(user, last_year)
    return panels_with_rows(
        "followup/panels",
        [
            (_("The county survey is waiting for your answer"), "survey_waiting", waiting, 30),
            (_("Open county surveys"), "survey_tracking", tracking, 40),
            (
                _("Sign off the local indicators for %(year)s") % {"year": last_year},
                "indicators_unsigned",
                unsigned,
                45,
            ),
        ],
        year=last_year,
    )


def _groups_with_unsigned_year(user: User, year: int) -> list[LocalGroup]:
    """The groups whose steering group the user chairs and whose ``year`` is not signed off."""
    chair_groups = steering_group_ids(user, Role.STEERING_CHAIR)
    if not chair_groups:
        return []
    signed = set(
        IndicatorYear.objects.filter(
            group_id__in=chair_groups, year=year, status=IndicatorYear.Status.SIGNED
        )
        .order_by()
        .values_list("group_id", flat=True)
    )
    # The groups come with the memberships already loaded for the roles.
    unsigned = {
        m.local_group_id: m.local_group
        for m in user.active_memberships
        if m.local_group_id in chair_groups and m.local_group_id not in signed
    }
    return sorted(unsigned.values(), key=lambda g: (g.name, g.pk))
