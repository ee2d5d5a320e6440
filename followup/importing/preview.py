"""The preview: what each row will do against the records as they are now, and the checked file
kept under a token until the secretariat confirms it."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from agreements.models import LocalGroup
from bus_portal.models import User
from followup.importing.errors import ImportRefused
from followup.importing.reading import decode
from followup.importing.validation import ParsedRow, parse
from followup.models import ImportPreview, Response, Survey


class Action(models.TextChoices):
    NEW = "new", gettext_lazy("New response")
    REPLACE_IMPORT = "replace_import", gettext_lazy("Replaces an earlier import")
    CONFLICT = "conflict", gettext_lazy("Conflict: the group answered in the portal")


@dataclass
class PlannedRow:
    parsed: ParsedRow
    action: str
    #: The stored response the row would replace (for REPLACE_IMPORT and CONFLICT).
    existing: Response | None = None

    @property
    def label(self) -> str:
        return str(Action(self.action).label)


@dataclass
class ImportPlan:
    survey: Survey
    rows: list[PlannedRow]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def conflict_groups(self) -> list[tuple[LocalGroup, list[PlannedRow]]]:
        """The groups with a portal answer the file would replace, each with its rows."""
        grouped: dict[int, tuple[LocalGroup, list[PlannedRow]]] = {}
        for row in self.rows:
            if row.action == Action.CONFLICT:
                group = row.parsed.group
                grouped.setdefault(group.pk, (group, []))[1].append(row)
        return list(grouped.values())

    @property
    def digest(self) -> str:
        """What the plan would do, as a short text: a confirmation checks it is unchanged."""
        key = [
            [
                row.parsed.row,
                row.parsed.group.pk,
                row.parsed.participants,
                row.action,
                row.existing.pk if row.existing else None,
                row.existing.lock_version if row.existing else None,
            ]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(key).encode()).hexdigest()[:32]


def plan(survey: Survey, rows: list[ParsedRow]) -> ImportPlan:
    """Each row's effect on the stored responses, as they are now."""
    stored = {
        (response.group_id, response.participants): response
        for response in Response.objects.filter(
            survey=survey, group_id__in={row.group.pk for row in rows}
        ).select_related("submitted_by")
    }
    planned = []
    for row in rows:
        existing = stored.get((row.group.pk, row.participants))
        if existing is None:
            action = Action.NEW
        elif existing.source == Response.Source.IMPORT:
            action = Action.REPLACE_IMPORT
        else:
            action = Action.CONFLICT
        planned.append(PlannedRow(row, action, existing))
    return ImportPlan(survey, planned)


def _refuse_unless_open(survey: Survey) -> None:
    problems = survey.missing_for_import()
    if problems:
        raise ImportRefused(" ".join(problems))


def preview_import(*, survey: Survey, content: bytes, filename: str, user: User) -> ImportPreview:
    """Check an uploaded file and keep it for the preview (raises ImportRefused or ImportFailed).

    Nothing is imported yet; previews older than a week are removed on the way.
    """
    _refuse_unless_open(survey)
    text = decode(content)
    parse(text, survey=survey)
    ImportPreview.objects.filter(
        created_at__lt=timezone.now() - datetime.timedelta(days=7)
    ).delete()
    return ImportPreview.objects.create(
        survey=survey, created_by=user, filename=filename[:255], content=text
    )


def load_plan(preview: ImportPreview) -> ImportPlan:
    """The preview's file read again and planned against the records as they are now."""
    return plan(preview.survey, parse(preview.content, survey=preview.survey))
