"""Checking every row of the file against the survey: columns, participants, areas, group and
answers, and what the records already hold; a file with any error is refused whole."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agreements.models import Area, LocalGroup
from followup.importing.errors import ImportFailed, RowError, _refuse
from followup.importing.matching import _areas_valid_in, _GroupMatcher
from followup.importing.reading import _separator_name, _values, decode, detect_separator
from followup.models import Participants, Question, Response, Survey
from followup.services import participants_conflict

FIXED_COLUMNS = ["group", "areas", "participants"]
#: As long as the portal's own answer form allows.
MAX_TEXT = 2000
#: A file with more errors than this is not worth listing further: the first ones say what is wrong.
MAX_ERRORS = 100


@dataclass
class ParsedRow:
    row: int
    group: LocalGroup
    participants: str
    areas: list[Area]
    answers: dict[Question, tuple[list[str], str]] = field(default_factory=dict)

    @property
    def participants_label(self) -> str:
        return str(Participants(self.participants).label)


def parse(content: bytes | str, *, survey: Survey) -> list[ParsedRow]:
    """Every row of the file checked against the survey; raises ImportFailed listing every error."""
    text = decode(content) if isinstance(content, bytes) else content
    separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [name.strip().casefold() for name in next(reader)]
    except StopIteration:
        raise _refuse(1, _("The file is empty.")) from None
    except csv.Error as exc:
        raise _refuse(1, _("The header cannot be read: %(error)s") % {"error": exc}) from None
    errors: list[RowError] = []
    questions = {q.code: q for q in survey.questions.prefetch_related("answer_options")}
    for column in FIXED_COLUMNS:
        if column not in header:
            errors.append(
                RowError(
                    1,
                    column,
                    _(
                        "The column is missing. The header was read as separated by %(separator)s "
                        "and has the columns: %(found)s."
                    )
                    % {
                        "separator": _separator_name(separator),
                        "found": ", ".join(f"“{name}”" for name in header) or "–",
                    },
                )
            )
    seen_columns = set()
    for column in header:
        if not column:
            continue  # Excel's empty trailing columns
        if column in seen_columns:
            errors.append(RowError(1, column, _("The column appears twice.")))
        seen_columns.add(column)
        if column not in FIXED_COLUMNS and column not in questions:
            errors.append(RowError(1, column, _("No question in this survey has this code.")))
    if errors:
        raise ImportFailed(errors)

    matcher = _GroupMatcher(survey.year)
    areas: dict[str, Area] = {}
    for area in _areas_valid_in(survey.year).order_by("name", "pk"):
        areas.setdefault(area.name.casefold(), area)
    rows: list[ParsedRow] = []
    keys: dict[tuple[int, str], int] = {}
    by_group: dict[int, set[str]] = {}
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(
                RowError(line, "", _("The row cannot be read: %(error)s") % {"error": exc})
            )
            break
        if len(errors) >= MAX_ERRORS:
            errors.append(
                RowError(
                    line,
                    "",
                    _("Checking stopped after %(count)s errors; correct these first.")
                    % {"count": MAX_ERRORS},
                )
            )
            break
        if not any(v.strip() for v in values):
            continue
        extra = values[len(header) :]
        if any(v.strip() for v in extra):
            errors.append(
                RowError(
                    line,
                    "",
                    _("The row has %(found)s cells, the header %(expected)s.")
                    % {"found": len(values), "expected": len(header)},
                )
            )
            continue
        values = values[: len(header)] + [""] * (len(header) - len(values))
        cells = {name: value.strip() for name, value in zip(header, values, strict=True) if name}
        row_errors = len(errors)
        participants = cells["participants"]
        if participants not in Participants.values:
            errors.append(
                RowError(
                    line,
                    "participants",
                    _("“%(value)s” is not one of %(codes)s.")
                    % {"value": participants[:100], "codes": ", ".join(Participants.values)},
                )
            )
        row_areas = []
        names = _values(cells["areas"])
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
                        % {"name": name[:100], "year": survey.year},
                    )
                )
            elif found not in row_areas:
                row_areas.append(found)
        group = None
        if not cells["group"]:
            errors.append(RowError(line, "group", _("Name the local group.")))
        elif len(errors) == row_errors:  # the areas are known: they may name the group
            group, problem = matcher.find(cells["group"][:150], row_areas)
            if group is None:
                errors.append(RowError(line, "group", problem))
        answers = _answers(line, cells, questions, errors)
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


def _answers(
    line: int, cells: dict[str, str], questions: dict[str, Question], errors: list[RowError]
) -> dict[Question, tuple[list[str], str]]:
    answers: dict[Question, tuple[list[str], str]] = {}
    for code, question in questions.items():
        value = cells.get(code, "")
        if not value:
            continue
        if question.kind == Question.Kind.TEXT:
            if len(value) > MAX_TEXT:
                errors.append(
                    RowError(
                        line,
                        code,
                        _("The text has %(length)s characters; at most %(max)s are allowed.")
                        % {"length": len(value), "max": MAX_TEXT},
                    )
                )
            answers[question] = ([], value)
            continue
        choices = _values(value)
        if question.kind == Question.Kind.SINGLE and len(choices) > 1:
            errors.append(RowError(line, code, _("Only one answer is allowed.")))
        options = question.options
        for choice in choices:
            if choice not in options:
                errors.append(
                    RowError(
                        line,
                        code,
                        _("“%(value)s” is not an answer code of this question (%(codes)s).")
                        % {"value": choice[:100], "codes": ", ".join(options)},
                    )
                )
        answers[question] = (list(dict.fromkeys(choices)), "")
    return answers


def _conflicts_with_stored(
    survey: Survey, rows: list[ParsedRow], by_group: dict[int, set[str]]
) -> list[RowError]:
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
