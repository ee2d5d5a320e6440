"""Every URL of the deviations app for the permission matrix (objects from deviations.demo)."""

from agreements.models import Principal
from deviations.counterparts import CounterpartResponse
from deviations.demo import COUNTERPART_REPORTS, OFFICER_REPORTS
from deviations.models import Category, Deviation, Notification, Status
from tests.permissions import ALL_USERS, Route, users
from tests.submissions import once


def _report(status):
    return Deviation.objects.get(description=OFFICER_REPORTS[status]).pk


def _draft():
    return {"pk": _report(Status.DRAFT)}


def _at_bussam():
    return {"pk": _report(Status.WITH_BUSSAM)}


REPORTERS = users("officer", "officer2", "outsider", "chief", "chair")
COUNTY = users("secretariat", "bussam")
# Who sees the officer's report that went to BUSSAM: reporter, manager, local group, county.
SEES_ESCALATED = users("officer", "chief", "chair", "secretariat", "bussam")
ONLY_OFFICER_HIDDEN = ALL_USERS - users("officer")
# officer2's reports at the local step naming Täby kommun: the reporter, the local group's chair
# and Täby kommun's unit chief there ("chief", asked to respond) see them.
SEES_COUNTERPART_REPORT = users("officer2", "chair", "chief")


def _counterpart_report(key):
    return Deviation.objects.get(description=COUNTERPART_REPORTS[key]).pk


def _answered():
    response = CounterpartResponse.objects.get(deviation=_counterpart_report("answered"))
    return {"pk": response.deviation_id, "response": response.pk}


ROUTES = [
    Route("deviations:list"),
    Route("deviations:create", allowed=REPORTERS),
    Route(
        "deviations:detail",
        allowed=SEES_ESCALATED,
        hidden=ALL_USERS - SEES_ESCALATED,
        kwargs=_at_bussam,
    ),
    Route("deviations:edit", allowed=users("officer"), hidden=ONLY_OFFICER_HIDDEN, kwargs=_draft),
    Route(
        "deviations:transition",
        allowed=users("officer"),
        hidden=ONLY_OFFICER_HIDDEN,
        kwargs=lambda: {"pk": _report(Status.DRAFT), "to": Status.WITH_MANAGER},
    ),
    Route(
        "deviations:comment",
        method="post",
        allowed=SEES_ESCALATED,
        hidden=ALL_USERS - SEES_ESCALATED,
        kwargs=_at_bussam,
        data=lambda: once({"text": "En kommentar."}),
    ),
    Route(
        "deviations:assign",
        method="post",
        allowed=users("secretariat"),
        kwargs=_at_bussam,
        data=lambda: {"assigned_to": ""},
    ),
    Route("deviations:review", allowed=users("secretariat"), kwargs=_at_bussam),
    # At BUSSAM the secretariat handles the report (and it redacts at any step); the others who
    # see it are refused, everyone else does not learn that it exists.
    Route(
        "deviations:redact",
        allowed=users("secretariat"),
        hidden=ALL_USERS - SEES_ESCALATED,
        kwargs=_at_bussam,
    ),
    # The reporter's draft: the secretariat may redact it too; the others do not see it.
    Route(
        "deviations:redact",
        allowed=users("officer", "secretariat"),
        hidden=ALL_USERS - users("officer", "secretariat"),
        kwargs=_draft,
    ),
    # Only the contact asked for the response writes it; the others who see the report are
    # refused, everyone else does not learn that it exists.
    Route(
        "deviations:respond",
        method="post",
        allowed=users("chief"),
        hidden=ALL_USERS - SEES_COUNTERPART_REPORT,
        kwargs=lambda: {"pk": _counterpart_report("waiting")},
        data=lambda: {
            f"response-{key}": value
            for key, value in once(
                {
                    "principal": Principal.objects.get(name="Täby kommun").pk,
                    "text": "Vi ser över rutinen för kallelser.",
                }
            ).items()
        },
    ),
    Route(
        "deviations:response_correct",
        allowed=users("chief"),
        hidden=ALL_USERS - SEES_COUNTERPART_REPORT,
        kwargs=_answered,
    ),
    Route("deviations:queue", allowed=COUNTY),
    Route("deviations:statistics", allowed=COUNTY),
    Route("deviations:statistics_pdf", allowed=COUNTY),
    Route("deviations:statistics_csv", allowed=COUNTY),
    Route("deviations:categories", allowed=users("secretariat")),
    Route("deviations:category_create", allowed=users("secretariat")),
    Route(
        "deviations:category_edit",
        allowed=users("secretariat"),
        kwargs=lambda: {"pk": Category.objects.order_by("position").first().pk},
    ),
    Route(
        "deviations:notification_read",
        method="post",
        allowed=users("officer"),
        hidden=ONLY_OFFICER_HIDDEN,
        kwargs=lambda: {
            "pk": Notification.objects.filter(recipient__username="officer")
            .order_by("id")
            .first()
            .pk
        },
    ),
]
