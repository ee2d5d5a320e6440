from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.dashboard import Panel
from bus_portal.roles import Role
from followup.models import Response, Survey, contact_group_ids, steering_group_ids


def panels(request) -> list[Panel]:
    user = request.user
    result = []
    open_surveys = list(Survey.objects.filter(status=Survey.Status.OPEN).order_by("-year"))
    groups = contact_group_ids(user)
    if groups and open_surveys:
        submitted = set(
            Response.objects.filter(survey__in=open_surveys, group_id__in=groups)
            .submitted()
            .values_list("survey_id", "group_id")
        )
        waiting = [s for s in open_surveys if any((s.pk, g) not in submitted for g in groups)]
        if waiting:
            result.append(
                Panel(
                    title=_("The county survey is waiting for your answer"),
                    template="followup/panels/survey_waiting.html",
                    context={"surveys": waiting},
                    order=30,
                )
            )
    if user.has_role(Role.SECRETARIAT) and open_surveys:
        rows = [
            (
                s,
                Response.objects.filter(survey=s)
                .submitted()
                .order_by()
                .values("group")
                .distinct()
                .count(),
            )
            for s in open_surveys
        ]
        result.append(
            Panel(
                title=_("Open county surveys"),
                template="followup/panels/survey_tracking.html",
                context={"rows": rows},
                order=40,
            )
        )
    chair_groups = steering_group_ids(user, Role.STEERING_CHAIR)
    if chair_groups:
        from followup.models import IndicatorYear

        last_year = timezone.localdate().year - 1
        signed = set(
            IndicatorYear.objects.filter(
                group_id__in=chair_groups, year=last_year, status=IndicatorYear.Status.SIGNED
            ).values_list("group_id", flat=True)
        )
        unsigned = sorted(set(chair_groups) - signed)
        if unsigned:
            result.append(
                Panel(
                    title=_("Sign off the local indicators for %(year)s") % {"year": last_year},
                    template="followup/panels/indicators_unsigned.html",
                    context={
                        "groups": LocalGroup.objects.filter(pk__in=unsigned).order_by("name"),
                        "year": last_year,
                    },
                    order=45,
                )
            )
    return result
