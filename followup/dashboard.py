from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.registry import Panel
from bus_portal.roles import Role
from followup.models import IndicatorYear, Response, Survey, steering_group_ids
from followup.navigation import shown_contact_group_ids


def panels(request) -> list[Panel]:
    user = request.user
    result = []
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
    if waiting:
        result.append(
            Panel(
                title=_("The county survey is waiting for your answer"),
                template="followup/panels/survey_waiting.html",
                context={"surveys": waiting},
                order=30,
            )
        )
    if is_secretariat and open_surveys:
        result.append(
            Panel(
                title=_("Open county surveys"),
                template="followup/panels/survey_tracking.html",
                context={"rows": [(s, s.answered) for s in open_surveys]},
                order=40,
            )
        )
    chair_groups = steering_group_ids(user, Role.STEERING_CHAIR)
    if chair_groups:
        last_year = timezone.localdate().year - 1
        signed = set(
            IndicatorYear.objects.filter(
                group_id__in=chair_groups, year=last_year, status=IndicatorYear.Status.SIGNED
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
        if unsigned:
            result.append(
                Panel(
                    title=_("Sign off the local indicators for %(year)s") % {"year": last_year},
                    template="followup/panels/indicators_unsigned.html",
                    context={
                        "groups": sorted(unsigned.values(), key=lambda g: (g.name, g.pk)),
                        "year": last_year,
                    },
                    order=45,
                )
            )
    return result
