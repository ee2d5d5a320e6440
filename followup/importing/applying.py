"""Writing the checked rows in one transaction, audited; a portal answer is replaced only for the
groups the secretariat chose."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.importing.errors import PlanChanged
from followup.importing.preview import Action, ImportPlan, _refuse_unless_open, plan
from followup.importing.validation import parse
from followup.models import Answer, ImportPreview, Response, Survey
from followup.report import forget_question_trends
from followup.services import FollowupError


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int  # earlier imports replaced
    replaced_web: int = 0
    kept_web: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.replaced_web


def confirm_import(
    *,
    preview: ImportPreview,
    replace_groups: Collection[int],
    expected_digest: str,
    user: User,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Write the previewed file, in one transaction; the portal answers of ``replace_groups`` are
    replaced, every other group keeps its own. Raises PlanChanged when the plan is not the one
    the secretariat saw (``expected_digest``)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=preview.survey_id)
        locked = ImportPreview.objects.select_for_update().get(pk=preview.pk)
        if locked.confirmed_at is not None:
            raise FollowupError(_("This file has already been imported."))
        if locked.is_expired:
            raise FollowupError(_("The preview has expired. Upload the file again."))
        _refuse_unless_open(survey)
        current = plan(survey, parse(locked.content, survey=survey))
        if current.digest != expected_digest:
            raise PlanChanged(
                _(
                    "The responses changed after the preview was shown (a group may have "
                    "answered in the portal). Nothing was imported: check the preview again."
                )
            )
        result = _write(current, replace_groups=set(replace_groups), user=user, request=request)
        locked.confirmed_at = timezone.now()
        locked.content = ""  # imported: the answers now live in the responses
        locked.save(update_fields=["confirmed_at", "content"])
    return result


def import_responses(
    *,
    survey: Survey,
    content: bytes,
    user: User | None = None,
    replace_groups: Collection[int] = (),
    request: HttpRequest | None = None,
) -> ImportResult:
    """Check and write a file in one step (the command line): all rows or none, portal answers
    kept except for ``replace_groups``. ``user`` is None when the file comes from the command line."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _refuse_unless_open(survey)
        planned = plan(survey, parse(content, survey=survey))
        return _write(planned, replace_groups=set(replace_groups), user=user, request=request)


def _write(
    planned: ImportPlan,
    *,
    replace_groups: set[int],
    user: User | None,
    request: HttpRequest | None,
) -> ImportResult:
    """Write the plan (inside the caller's transaction, with the survey locked)."""
    survey = planned.survey
    counts = {"created": 0, "updated": 0, "replaced_web": 0, "kept_web": 0}
    now = timezone.now()
    for row in planned.rows:
        parsed = row.parsed
        if row.action == Action.CONFLICT and parsed.group.pk not in replace_groups:
            counts["kept_web"] += 1
            continue
        if row.existing is None:
            response = Response.objects.create(
                survey=survey,
                group=parsed.group,
                participants=parsed.participants,
                status=Response.Status.SUBMITTED,
                source=Response.Source.IMPORT,
                submitted_at=now,
                submitted_by=user,
            )
            counts["created"] += 1
        else:
            response = Response.objects.select_for_update().get(pk=row.existing.pk)
            was = response.source
            response.status = Response.Status.SUBMITTED
            response.source = Response.Source.IMPORT
            response.submitted_at, response.submitted_by = now, user
            response.lock_version += 1  # an answer form opened before the import is now stale
            response.save()
            if row.action == Action.CONFLICT:
                counts["replaced_web"] += 1
                record(
                    user=user,
                    action=AuditAction.CHANGE,
                    obj=response,
                    purpose=Purpose.RESPONSE_IMPORTED,
                    changes={"source": [was, Response.Source.IMPORT]},
                    request=request,
                )
            else:
                counts["updated"] += 1
        response.areas.set(parsed.areas)
        Answer.objects.filter(response=response).delete()
        Answer.objects.bulk_create(
            Answer(response=response, question=question, choices=choices, text=text)
            for question, (choices, text) in parsed.answers.items()
        )
    record(
        user=user,
        action=AuditAction.CREATE,
        obj=survey,
        purpose=Purpose.SURVEY_IMPORTED,
        changes={
            "responses": ["", str(counts["created"] + counts["updated"] + counts["replaced_web"])],
            **{name: ["", str(value)] for name, value in counts.items()},
        },
        request=request,
    )
    transaction.on_commit(forget_question_trends)
    return ImportResult(**counts)
