"""Importing survey responses from an external survey tool's CSV export.

Three steps, none of which overwrites unseen:

1. ``preview_import``: the file is read (UTF-8 with or without BOM, or Excel's Windows-1252; comma,
   semicolon or tab separated) and every row checked; a file with any error is refused whole, each
   error named by line and column. A clean file is kept server-side (``ImportPreview``) under a
   token, so it is not uploaded again.
2. ``load_plan``: what each row will do, against the records as they are now — a new response, the
   replacement of an earlier import, or a CONFLICT with the answer the group gave in the portal.
3. ``confirm_import``: writes the plan in one transaction, audited. A portal answer is replaced only
   for the groups the secretariat chose on the preview; the others keep theirs. If anything
   changed since the preview was shown, nothing is written and the preview is shown again.

Only an open survey takes imports: a closed one's report may be published (reopen it first, with
a reason), and one not yet opened may still change its questions.

Rows match a local group by name, or by the set of areas it covers, among the groups in force in
the survey's year, so a year's own groupings import (Kungsholmen/Norrmalm/Östermalm in 2014).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import Area, LocalGroup
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from bus_portal.validity import valid_during_q
from followup.audit import Purpose
from followup.models import (
    Answer,
    ImportPreview,
    Participants,
    Question,
    Response,
    Survey,
    groups_in_year,
    year_bounds,
)
from followup.report import forget_question_trends
from followup.services import FollowupError, participants_conflict

FIXED_COLUMNS = ["group", "areas", "participants"]
#: Column separators, in the order a tie is decided: Excel uses ";" where "," is the decimal mark.
SEPARATORS = [";", ",", "\t"]
#: Several areas or answer codes in one cell: "Södertälje;Salem" or "bup, school".
VALUE_SEPARATOR = re.compile(r"[;,]")
#: As long as the portal's own answer form allows.
MAX_TEXT = 2000
#: Characters no text file has (tab, line feed and carriage return are fine).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Swedish letters written as UTF-8 and read as Windows-1252 ("Ã¤" for "ä").
UTF8_READ_AS_1252 = re.compile("Ã[¥¤¶…„–©]")
#: A file with more errors than this is not worth listing further: the first ones say what is wrong.
MAX_ERRORS = 100


@dataclass(frozen=True)
class RowError:
    row: int  # the line in the file; the header is line 1
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "–",
            "message": self.message,
        }


class ImportFailed(FollowupError):
    """The file has errors; nothing was imported. ``errors`` lists them by line and column."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(_("%(count)s errors; nothing was imported.") % {"count": len(errors)})


class ImportRefused(FollowupError):
    """The survey does not take imports now (closed, or not yet opened)."""


class PlanChanged(FollowupError):
    """The records changed after the preview was shown; it must be checked again."""


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


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int  # earlier imports replaced
    replaced_web: int = 0
    kept_web: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.replaced_web


# --- Reading the file ----------------------------------------------------------------------------


def _line_of(content: bytes, offset: int) -> int:
    return content[:offset].count(b"\n") + 1


def _refuse(line: int, message: str) -> ImportFailed:
    return ImportFailed([RowError(line, "", message)])


def decode(content: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or Windows-1252, as Swedish Excel saves "CSV";
    anything else is refused, naming the line where it goes wrong."""
    if content.startswith(b"PK\x03\x04"):
        raise _refuse(
            1,
            _(
                "This is an Excel workbook, not a CSV file. In Excel, choose Save as and the type "
                "“CSV UTF-8 (kommaavgränsad)”."
            ),
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _refuse(
            1,
            _(
                "The file is saved as UTF-16 (“Unicode text”). In Excel, choose Save as and the "
                "type “CSV UTF-8 (kommaavgränsad)”."
            ),
        )
    if b"\x00" in content:
        raise _refuse(
            _line_of(content, content.index(b"\x00")),
            _("The file contains binary data and is not a CSV file. Save it as CSV UTF-8."),
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        unreadable = _refuse(
            _line_of(content, utf8_error.start),
            _(
                "The file is neither UTF-8 nor Windows-1252 (the text on this line cannot be "
                "read). Save it as “CSV UTF-8 (kommaavgränsad)”."
            ),
        )
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise unreadable from None
        if UTF8_READ_AS_1252.search(text):
            # UTF-8 with a broken byte: read as Windows-1252 every å, ä and ö would be garbled.
            raise unreadable from None
    control = CONTROL_CHARACTERS.search(text)
    if control:
        raise _refuse(
            text.count("\n", 0, control.start()) + 1,
            _("The line contains control characters that do not belong in a CSV file."),
        )
    return text


def detect_separator(text: str) -> str:
    """The column separator: the one of ``;``, ``,`` and tab used most in the header line."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {separator: header.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _separator_name(separator: str) -> str:
    return {";": _("semicolon (;)"), ",": _("comma (,)"), "\t": _("tab")}[separator]


def _values(cell: str) -> list[str]:
    return [value.strip() for value in VALUE_SEPARATOR.split(cell) if value.strip()]


def _areas_valid_in(year: int) -> models.QuerySet[Area]:
    return Area.objects.filter(valid_during_q(*year_bounds(year)))


class _GroupMatcher:
    """Finds a row's local group among those in force in the survey's year: by name, else by the
    exact set of areas the row names."""

    def __init__(self, year: int):
        self.year = year
        groups = list(groups_in_year(year).prefetch_related("areas").order_by("name"))
        self.by_name = {group.name.casefold(): group for group in groups}
        self.by_areas: dict[frozenset[int], list[LocalGroup]] = {}
        for group in groups:
            key = frozenset(area.pk for area in group.areas.all())
            self.by_areas.setdefault(key, []).append(group)
        self.other_years = {
            group.name.casefold(): group
            for group in LocalGroup.objects.exclude(pk__in=[g.pk for g in groups])
        }

    def find(self, name: str, areas: list[Area]) -> tuple[LocalGroup | None, str]:
        """The group, or None and why not."""
        group = self.by_name.get(name.casefold())
        if group is not None:
            return group, ""
        candidates = self.by_areas.get(frozenset(area.pk for area in areas), []) if areas else []
        if len(candidates) == 1:
            return candidates[0], ""
        if candidates:
            return None, _(
                "“%(name)s” is not a local group in %(year)s, and several groups of that year "
                "cover exactly these areas (%(groups)s): name one of them."
            ) % {
                "name": name,
                "year": self.year,
                "groups": ", ".join(group.name for group in candidates),
            }
        other = self.other_years.get(name.casefold())
        if other is not None:
            return None, _(
                "“%(name)s” was not a local group in %(year)s (in force %(period)s), and no group "
                "of that year covers exactly these areas."
            ) % {"name": name, "year": self.year, "period": _period(other)}
        return None, _(
            "Unknown local group “%(name)s” in %(year)s, and no group of that year covers exactly "
            "these areas. An administrator can add an earlier year's group with its period."
        ) % {"name": name, "year": self.year}


def _period(group: LocalGroup) -> str:
    start = date_format(group.valid_from, "Y-m-d") if group.valid_from else "…"
    end = date_format(group.valid_to, "Y-m-d") if group.valid_to else "…"
    return f"{start}–{end}"


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


# --- What the rows will do, and doing it ---------------------------------------------------------


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
