"""Importing survey responses from an external survey tool's CSV export.

All or nothing: every row is checked first and every error is reported by row and column; only a
clean file is written. Rows are keyed by (group, participants), so importing a file twice replaces
the same responses instead of adding new ones.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Area, LocalGroup
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from bus_portal.validity import valid_during_q
from followup.audit import Purpose
from followup.models import Answer, Participants, Question, Response, Survey
from followup.report import forget_question_trends
from followup.services import FollowupError, participants_conflict

FIXED_COLUMNS = ["group", "areas", "participants"]


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file; the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


class ImportFailed(FollowupError):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("%(count)s errors; nothing was imported.") % {"count": len(errors)})


@dataclass
class ParsedRow:
    row: int
    group: LocalGroup
    participants: str
    areas: list[Area]
    answers: dict[Question, tuple[list[str], str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def _areas_valid_in(year: int) -> models.QuerySet[Area]:
    return Area.objects.filter(
        valid_during_q(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    )


def decode(content: bytes) -> str:
    """UTF-8 with or without a byte-order mark; anything else is refused with the failing row."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = content[: exc.start].count(b"\n") + 1
        raise ImportFailed(
            [RowError(row, "", _("The file is not UTF-8 encoded. Save it as CSV UTF-8."))]
        ) from exc


def parse(content: bytes, *, survey: Survey) -> list[ParsedRow]:
    text = decode(content)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise ImportFailed([RowError(1, "", _("The file is empty."))]) from None
    errors: list[RowError] = []
    questions = {q.code: q for q in survey.questions.all()}
    for column in FIXED_COLUMNS:
        if column not in header:
            errors.append(RowError(1, column, _("The column is missing.")))
    seen_columns = set()
    for column in header:
        if column in seen_columns:
            errors.append(RowError(1, column, _("The column appears twice.")))
        seen_columns.add(column)
        if column not in FIXED_COLUMNS and column not in questions:
            errors.append(RowError(1, column, _("No question in this survey has this code.")))
    if errors:
        raise ImportFailed(errors)

    groups = {g.name.casefold(): g for g in LocalGroup.objects.all()}
    areas: dict[str, Area] = {}
    for area in _areas_valid_in(survey.year).order_by("name", "pk"):
        areas.setdefault(area.name.casefold(), area)
    rows: list[ParsedRow] = []
    keys: dict[tuple[int, str], int] = {}
    by_group: dict[int, set[str]] = {}
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                RowError(
                    line,
                    "",
                    _("The row has %(found)s cells, the header %(expected)s.")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        cells = {name: value.strip() for name, value in zip(header, values, strict=True)}
        row_errors = len(errors)
        group = groups.get(cells["group"].casefold())
        if group is None:
            errors.append(
                RowError(
                    line, "group", _("Unknown local group “%(name)s”.") % {"name": cells["group"]}
                )
            )
        participants = cells["participants"]
        if participants not in Participants.values:
            errors.append(
                RowError(
                    line,
                    "participants",
                    _("“%(value)s” is not one of %(codes)s.")
                    % {"value": participants, "codes": ", ".join(Participants.values)},
                )
            )
        row_areas = []
        names = [n.strip() for n in cells["areas"].split(";") if n.strip()]
        if not names:
            errors.append(RowError(line, "areas", _("Name at least one area.")))
        for name in names:
            found = areas.get(name.casefold())
            if found is None:
                errors.append(
                    RowError(
                        line,
                        "areas",
                        _("“%(name)s” is not a municipality or city district in %(year)s.")
                        % {"name": name, "year": survey.year},
                    )
                )
            else:
                row_areas.append(found)
        answers: dict[Question, tuple[list[str], str]] = {}
        for code, question in questions.items():
            if code not in cells or not cells[code]:
                continue
            value = cells[code]
            if question.kind == Question.Kind.TEXT:
                answers[question] = ([], value)
                continue
            choices = [c.strip() for c in value.split(";") if c.strip()]
            if question.kind == Question.Kind.SINGLE and len(choices) > 1:
                errors.append(RowError(line, code, _("Only one answer is allowed.")))
            bad = [c for c in choices if c not in question.options]
            for choice in bad:
                errors.append(
                    RowError(
                        line,
                        code,
                        _("“%(value)s” is not an answer code of this question (%(codes)s).")
                        % {"value": choice, "codes": ", ".join(question.options)},
                    )
                )
            answers[question] = (list(dict.fromkeys(choices)), "")
        if len(errors) > row_errors or group is None:
            continue
        key = (group.pk, participants)
        if key in keys:
            errors.append(
                RowError(
                    line,
                    "participants",
                    _("The group and participants already appear on row %(row)s.")
                    % {"row": keys[key]},
                )
            )
            continue
        conflict = participants_conflict(by_group.get(group.pk, set()), participants)
        if conflict:
            errors.append(RowError(line, "participants", conflict))
            continue
        keys[key] = line
        by_group.setdefault(group.pk, set()).add(participants)
        rows.append(ParsedRow(line, group, participants, row_areas, answers))
    if not errors:
        errors.extend(_conflicts_with_stored(survey, rows, by_group))
    if errors:
        raise ImportFailed(errors)
    return rows


def _conflicts_with_stored(survey, rows, by_group) -> list[RowError]:
    """A joint answer in the file cannot sit beside separate ones already stored, and vice versa."""
    stored: dict[int, set[str]] = {}
    for group_id, participants in Response.objects.filter(
        survey=survey, group_id__in=by_group
    ).values_list("group_id", "participants"):
        stored.setdefault(group_id, set()).add(participants)
    errors = []
    for row in rows:
        others = stored.get(row.group.pk, set()) - by_group[row.group.pk]
        conflict = participants_conflict(others, row.participants)
        if conflict:
            errors.append(RowError(row.row, "participants", conflict))
    return errors


def import_responses(
    *,
    survey: Survey,
    content: bytes,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> ImportResult:
    """Validate the whole file, then write every row, or nothing (raises ImportFailed).

    ``user`` is None when the file comes from the command line."""
    rows = parse(content, survey=survey)
    created = updated = 0
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        for row in rows:
            response, was_created = Response.objects.update_or_create(
                survey=survey,
                group=row.group,
                participants=row.participants,
                defaults={
                    "status": Response.Status.SUBMITTED,
                    "source": Response.Source.IMPORT,
                    "submitted_at": timezone.now(),
                    "submitted_by": user,
                },
            )
            response.areas.set(row.areas)
            Answer.objects.filter(response=response).delete()
            Answer.objects.bulk_create(
                Answer(response=response, question=question, choices=choices, text=text)
                for question, (choices, text) in row.answers.items()
            )
            created += was_created
            updated += not was_created
        record(
            user=user,
            action=AuditAction.CREATE,
            obj=survey,
            purpose=Purpose.SURVEY_IMPORTED,
            changes={"responses": ["", str(len(rows))]},
            request=request,
        )
        transaction.on_commit(forget_question_trends)
    return ImportResult(created=created, updated=updated)
