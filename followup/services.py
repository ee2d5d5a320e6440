"""Changes to the county survey: lock, re-check the guard, save, audit, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Area, LocalGroup, Principal
from bus_portal.audit import events_for, record
from bus_portal.errors import DomainError
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.models import (
    INDICATOR_RANGES,
    Answer,
    AnswerOption,
    Commentary,
    IndicatorYear,
    ManualFigure,
    Participants,
    Question,
    Reminder,
    Response,
    Survey,
    SurveyContact,
    survey_date_problems,
)
from followup.report import forget_question_trends


class FollowupError(DomainError):
    """A follow-up action that the rules do not allow; the view shows the message."""


class SurveyStateError(FollowupError):
    pass


class ResponseConflictError(FollowupError):
    pass


class StaleEdit(FollowupError):
    """Someone saved after this user opened the form (the view shows what they changed)."""

    def __init__(self, *, changed_by: str = "", changed_at: datetime.datetime | None = None):
        self.changed_by = changed_by
        self.changed_at = changed_at
        super().__init__(_("Someone else saved this while you were editing it."))


def _refuse_stale(obj: models.Model, *, saved: int, expected: int, purpose: str = "") -> None:
    """Refuse a save from a form opened at version ``expected`` when ``saved`` is newer, naming
    the last person who changed ``obj`` (from the audit log)."""
    if saved == expected:
        return
    events = events_for(obj).filter(action=AuditAction.CHANGE)
    if purpose:
        events = events.filter(purpose=purpose)
    last = events.order_by("-at", "-id").first()
    raise StaleEdit(
        changed_by=str(last.actor) if last and last.actor else "",
        changed_at=last.at if last else None,
    )


def _refuse_implausible_dates(
    *,
    year: int,
    deadline: datetime.date,
    opens_on: datetime.date | None,
    saved_deadline: datetime.date | None = None,
) -> None:
    problems = survey_date_problems(
        year=year, deadline=deadline, opens_on=opens_on, saved_deadline=saved_deadline
    )
    if problems:
        raise SurveyStateError(" ".join(problems.values()))


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def create_survey(
    *,
    year: int,
    deadline: datetime.date,
    questions: Iterable[Question],
    user: User,
    introduction: str = "",
    opens_on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> Survey:
    """Create a year's survey from the question bank, ready to be opened."""
    _refuse_implausible_dates(year=year, deadline=deadline, opens_on=opens_on)
    with transaction.atomic():
        if Survey.objects.filter(year=year).exists():
            raise SurveyStateError(_("There is already a survey for %(year)s.") % {"year": year})
        try:
            with transaction.atomic():  # another create for the year may have just committed
                survey = Survey.objects.create(
                    year=year,
                    deadline=deadline,
                    opens_on=opens_on,
                    introduction=introduction,
                    created_by=user,
                )
        except IntegrityError as exc:
            raise SurveyStateError(
                _("There is already a survey for %(year)s.") % {"year": year}
            ) from exc
        survey.questions.set(questions)
        record(user=user, action=AuditAction.CREATE, obj=survey, request=request)
        transaction.on_commit(forget_question_trends)
    return survey


def update_survey(
    *,
    survey: Survey,
    user: User,
    expected_version: int,
    deadline: datetime.date,
    opens_on: datetime.date | None,
    introduction: str,
    questions: Iterable[Question] | None = None,
    request: HttpRequest | None = None,
) -> Survey:
    """Change a survey's dates and introduction, and its questions while it is being prepared.

    Refused for a closed survey, for a deadline that has passed (unless it is the saved one) and
    for a form opened before someone else's save (StaleEdit). Audited with what changed.
    """
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        problems = locked.missing_for_editing()
        if problems:
            raise SurveyStateError(" ".join(problems))
        _refuse_stale(
            locked,
            saved=locked.lock_version,
            expected=expected_version,
            purpose=Purpose.SURVEY_EDITED,
        )
        _refuse_implausible_dates(
            year=locked.year, deadline=deadline, opens_on=opens_on, saved_deadline=locked.deadline
        )
        changes: dict[str, list[str]] = {}
        for name, old, new in (
            ("deadline", locked.deadline, deadline),
            ("opens_on", locked.opens_on, opens_on),
        ):
            if old != new:
                changes[name] = [_day(old), _day(new)]
        if locked.introduction != introduction:
            changes["introduction"] = ["", ""]  # the text is on the survey page, not in the log
        saved_questions = {q.pk: q.code for q in locked.questions.all()}
        if questions is not None:
            wanted = {q.pk: q.code for q in questions}
            if set(wanted) != set(saved_questions):
                if not locked.questions_editable:
                    raise SurveyStateError(
                        _("The questions can only change while the survey is being prepared.")
                    )
                changes["questions"] = [
                    ",".join(sorted(saved_questions.values())),
                    ",".join(sorted(wanted.values())),
                ]
                locked.questions.set(list(wanted))
                transaction.on_commit(forget_question_trends)
        locked.deadline, locked.opens_on, locked.introduction = deadline, opens_on, introduction
        locked.lock_version += 1
        locked.save(update_fields=["deadline", "opens_on", "introduction", "lock_version"])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=locked,
            purpose=Purpose.SURVEY_EDITED,
            changes=changes,
            request=request,
        )
    return locked


def reopen_survey(
    *, survey: Survey, user: User, reason: str, request: HttpRequest | None = None
) -> Survey:
    """Open a closed survey again, for late answers or an import; the reason goes in the log.

    The report of a closed survey may already be published, so this is a deliberate step.
    """
    reason = reason.strip()
    if not reason:
        raise SurveyStateError(_("Give the reason for reopening the survey."))
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        problems = locked.missing_for_reopening()
        if problems:
            raise SurveyStateError(" ".join(problems))
        changes = {"status": [locked.status, str(Survey.Status.OPEN)], "reason": ["", reason]}
        locked.status = Survey.Status.OPEN
        locked.closed_at = None
        locked.lock_version += 1
        locked.save(update_fields=["status", "closed_at", "lock_version"])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=locked,
            purpose=Purpose.SURVEY_REOPENED,
            changes=changes,
            request=request,
        )
    return locked


def open_survey(*, survey: Survey, user: User, request: HttpRequest | None = None) -> Survey:
    """Open the survey for answers and invite every group's contact person by e-mail."""
    with transaction.atomic():
        survey = _move_survey(survey, Survey.Status.OPEN, user=user, request=request)
        _queue_mail(survey=survey, kind=Reminder.Kind.INVITATION, user=user)
    return survey


def close_survey(*, survey: Survey, user: User, request: HttpRequest | None = None) -> Survey:
    """End answering for every group; drafts not submitted by then are not counted."""
    with transaction.atomic():
        return _move_survey(survey, Survey.Status.CLOSED, user=user, request=request)


# Moving a survey to a status: the field that records when, and the guard that must pass first.
_SURVEY_MOVES: dict[str, tuple[str, Callable[[Survey], list[str]]]] = {
    Survey.Status.OPEN: ("opened_at", Survey.missing_for_opening),
    Survey.Status.CLOSED: ("closed_at", Survey.missing_for_closing),
}


def _move_survey(survey: Survey, status: str, *, user: User, request: HttpRequest | None) -> Survey:
    """Lock the survey, re-check the move's guard, set the status and its time, audit it.

    The caller holds the transaction, so that what follows the move (the invitations) is in it.
    """
    stamp, guard = _SURVEY_MOVES[status]
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    problems = guard(survey)
    if problems:
        raise SurveyStateError(" ".join(problems))
    changes = {"status": [survey.status, str(status)]}
    survey.status = status
    setattr(survey, stamp, timezone.now())
    survey.save(update_fields=["status", stamp])
    record(user=user, action=AuditAction.CHANGE, obj=survey, changes=changes, request=request)
    return survey


def send_reminders(*, survey: Survey, user: User, request: HttpRequest | None = None) -> Reminder:
    """Remind the contact persons of every group that has not submitted an answer."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.accepts_answers:
            raise SurveyStateError(_("Reminders can only be sent while the survey is open."))
        reminder = _queue_mail(survey=survey, kind=Reminder.Kind.REMINDER, user=user)
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=survey,
            purpose=Purpose.SURVEY_REMINDED,
            changes={"group_count": ["", str(reminder.group_count)]},
            request=request,
        )
    return reminder


def groups_without_answer(survey: Survey) -> models.QuerySet[LocalGroup]:
    """The groups of the survey's year that have not submitted an answer."""
    answered = Response.objects.filter(survey=survey).submitted().values("group_id")
    return survey.local_groups().exclude(pk__in=answered).order_by("name")


def _queue_mail(*, survey: Survey, kind: str, user: User) -> Reminder:
    from followup.tasks import send_survey_mail

    group_ids = list(groups_without_answer(survey).values_list("pk", flat=True))
    reminder = Reminder.objects.create(
        survey=survey, kind=kind, sent_by=user, group_count=len(group_ids)
    )
    if group_ids:
        # After commit: the worker must see the survey as open when it runs.
        transaction.on_commit(
            lambda: send_survey_mail.enqueue(survey_id=survey.pk, kind=kind, group_ids=group_ids)
        )
    return reminder


def start_response(
    *,
    survey: Survey,
    group: LocalGroup,
    participants: str,
    user: User,
    request: HttpRequest | None = None,
) -> Response:
    """A contact person starts a draft, for the group jointly or for one principal."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.accepts_answers:
            raise SurveyStateError(_("The survey is not open for answers."))
        if not survey.local_groups().filter(pk=group.pk).exists():
            raise FollowupError(
                _("%(group)s was not a local group in %(year)s.")
                % {"group": group.name, "year": survey.year}
            )
        existing = set(
            Response.objects.filter(survey=survey, group=group).values_list(
                "participants", flat=True
            )
        )
        problem = participants_conflict(existing, participants)
        if problem:
            raise ResponseConflictError(problem)
        response = Response.objects.create(
            survey=survey, group=group, participants=participants, source=Response.Source.WEB
        )
        response.areas.set(group.areas.all())
        record(user=user, action=AuditAction.CREATE, obj=response, request=request)
    return response


def participants_conflict(existing: set[str], participants: str) -> str:
    """Why ``participants`` cannot be added next to ``existing`` for one group; '' if it can."""
    if participants in existing:
        return _("The group already has a response for these participants.")
    if participants == Participants.BOTH and existing:
        return _("The principals have already answered separately for this group.")
    if participants != Participants.BOTH and Participants.BOTH in existing:
        return _("The group has already answered jointly.")
    return ""


def save_response(
    *,
    response: Response,
    answers: dict[str, list[str] | str],
    areas: Iterable[Area],
    user: User,
    submit: bool = False,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Response:
    """Save a draft (or submit it): answers by question code, and the areas covered that year.

    ``expected_version`` is the response's ``lock_version`` when the form was opened: a save over
    someone else's later save (a colleague, or an import) is refused with StaleEdit. The answer is
    then the group's own, given in the portal, which an import does not replace unasked.
    """
    with transaction.atomic():
        response = Response.objects.select_for_update().select_related("survey").get(pk=response.pk)
        problems = response.missing_for_editing()
        if problems:
            raise SurveyStateError(" ".join(problems))
        if expected_version is not None:
            _refuse_stale(response, saved=response.lock_version, expected=expected_version)
        response.areas.set(list(areas))
        _write_answers(response, answers)
        if submit:
            problems = response.missing_for_submission()
            if problems:
                raise FollowupError(" ".join(problems))
            response.status = Response.Status.SUBMITTED
            response.submitted_at = timezone.now()
            response.submitted_by = user
        response.source = Response.Source.WEB
        response.lock_version += 1
        response.save()
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=response,
            purpose=Purpose.RESPONSE_SUBMITTED if submit else Purpose.RESPONSE_DRAFT_SAVED,
            request=request,
        )
        # A submitted response's answers can still change while the survey is open.
        transaction.on_commit(forget_question_trends)
    return response


def _write_answers(response: Response, answers: dict[str, list[str] | str]) -> None:
    questions = {q.code: q for q in response.survey.questions.all()}
    Answer.objects.filter(response=response).delete()
    rows = []
    for code, value in answers.items():
        question = questions.get(code)
        if question is None:
            continue
        if question.is_choice:
            choices = [value] if isinstance(value, str) else list(value)
            choices = [c for c in choices if c]
            if choices:
                rows.append(Answer(response=response, question=question, choices=choices))
        elif isinstance(value, str) and value.strip():
            rows.append(Answer(response=response, question=question, text=value.strip()))
    Answer.objects.bulk_create(rows)


def save_commentary(
    *,
    survey: Survey,
    texts: dict[str, str],
    user: User,
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """The secretariat's commentary per area of the year's report.

    ``expected_version`` is the survey's ``commentary_version`` when the form was opened: a save
    over a colleague's later one is refused with StaleEdit.
    """
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if expected_version is not None:
            _refuse_stale(
                locked,
                saved=locked.commentary_version,
                expected=expected_version,
                purpose=Purpose.COMMENTARY_SAVED,
            )
        changed = []
        for section, text in texts.items():
            commentary, _created = Commentary.objects.get_or_create(survey=locked, section=section)
            if commentary.text != text:
                commentary.text = text
                commentary.save(update_fields=["text", "updated_at"])
                changed.append(section)
        locked.commentary_version += 1
        locked.save(update_fields=["commentary_version"])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=locked,
            purpose=Purpose.COMMENTARY_SAVED,
            changes={"sections": changed} if changed else None,
            request=request,
        )


def _refuse_repeated_codes(options: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for code, _label in options:
        if code in seen:
            raise FollowupError(
                _("The answer code “%(code)s” appears twice; each code can be used once.")
                % {"code": code}
            )
        seen.add(code)


def _write_options(question: Question, options: list[tuple[str, str]]) -> None:
    """Replace the question's answer codes; the database refuses a code twice per question."""
    AnswerOption.objects.filter(question=question).delete()
    try:
        with transaction.atomic():
            AnswerOption.objects.bulk_create(
                AnswerOption(question=question, code=code, label=label, position=position)
                for position, (code, label) in enumerate(options)
            )
    except IntegrityError as exc:  # a repeated code the form did not catch
        raise FollowupError(_("An answer code appears twice; each code can be used once.")) from exc


def create_question(
    *,
    question: Question,
    options: list[tuple[str, str]],
    user: User,
    request: HttpRequest | None = None,
) -> Question:
    """Add a question to the bank with its answer codes (code, label) in order; its code is then
    fixed so that years can be compared."""
    _refuse_repeated_codes(options)
    with transaction.atomic():
        if Question.objects.filter(code=question.code).exists():
            raise FollowupError(
                _("The bank already has a question with the code “%(code)s”.")
                % {"code": question.code}
            )
        question.builtin = False
        try:
            with transaction.atomic():  # another create with the code may have just committed
                question.save()
        except IntegrityError as exc:
            raise FollowupError(
                _("The bank already has a question with the code “%(code)s”.")
                % {"code": question.code}
            ) from exc
        _write_options(question, options)
        record(user=user, action=AuditAction.CREATE, obj=question, request=request)
    return question


def update_question(
    *,
    question: Question,
    text: str,
    section: str,
    kind: str,
    order: int,
    options: list[tuple[str, str]],
    user: User,
    request: HttpRequest | None = None,
) -> Question:
    """Reword a question or change its answer codes, while no opened survey has asked it."""
    _refuse_repeated_codes(options)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        problems = locked.missing_for_editing()
        if problems:
            raise FollowupError(" ".join(problems))
        before = {
            "text": locked.text,
            "section": locked.section,
            "kind": locked.kind,
            "order": str(locked.order),
            "options": ",".join(locked.options),
        }
        locked.text, locked.section, locked.kind, locked.order = text, section, kind, order
        locked.save(update_fields=["text", "section", "kind", "order"])
        labels_before = dict(locked.answer_options.values_list("code", "label"))
        _write_options(locked, options)
        after = {
            "text": text,
            "section": section,
            "kind": kind,
            "order": str(order),
            "options": ",".join(code for code, _label in options),
        }
        changes: dict[str, list[str]] = {
            name: [before[name], after[name]]
            for name in ("section", "kind", "order", "options")
            if before[name] != after[name]
        }
        if before["text"] != after["text"]:
            changes["text"] = ["", ""]  # the wording is in the bank, not in the log
        if labels_before != dict(options):
            changes.setdefault("labels", ["", ""])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=locked,
            purpose=Purpose.QUESTION_EDITED,
            changes=changes,
            request=request,
        )
        transaction.on_commit(forget_question_trends)
    return locked


# --- Local indicators --------------------------------------------------------------------------


class IndicatorLockedError(FollowupError):
    pass


def save_manual_figures(
    *,
    group: LocalGroup,
    year: int,
    principal: Principal,
    values: dict[str, int | None],
    note: str,
    user: User,
    request: HttpRequest | None = None,
) -> IndicatorYear:
    """A principal's figures for work outside the portal; an empty value removes the figure.

    Each figure must lie in its indicator's plausible range (``INDICATOR_RANGES``)."""
    for code, value in values.items():
        low, high = INDICATOR_RANGES[code]
        if value is not None and not low <= value <= high:
            raise FollowupError(
                _("%(value)s is not a plausible figure; enter a number from %(low)s to %(high)s.")
                % {"value": value, "low": low, "high": high}
            )
    with transaction.atomic():
        indicator_year = _locked_indicator_year(
            group=group, year=year, guard=IndicatorYear.missing_for_changes
        )
        # Whose figures they are, then each indicator that changed.
        changes = {"principal": ["", principal.name]}
        for code, value in values.items():
            existing = ManualFigure.objects.filter(
                indicator_year=indicator_year, principal=principal, indicator=code
            ).first()
            old = existing.value if existing else None
            if value is None:
                if existing:
                    existing.delete()
            elif existing is None:
                ManualFigure.objects.create(
                    indicator_year=indicator_year,
                    principal=principal,
                    indicator=code,
                    value=value,
                    note=note,
                    entered_by=user,
                )
            else:
                existing.value, existing.note, existing.entered_by = value, note, user
                existing.save()
            if old != value:
                changes[code] = [
                    str(old if old is not None else ""),
                    str(value if value is not None else ""),
                ]
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=indicator_year,
            purpose=Purpose.MANUAL_FIGURES_SAVED,
            changes=changes,
            request=request,
        )
    return indicator_year


def sign_off_year(
    *, group: LocalGroup, year: int, user: User, request: HttpRequest | None = None
) -> IndicatorYear:
    """The steering group signs the year off: the portal's figures are stored and the year locked."""
    from followup.indicators import portal_counts

    with transaction.atomic():
        indicator_year = _locked_indicator_year(
            group=group, year=year, guard=IndicatorYear.missing_for_signing
        )
        indicator_year.recorded = dict(portal_counts(year=year).get(group.pk, {}))
        indicator_year.status = IndicatorYear.Status.SIGNED
        indicator_year.signed_at = timezone.now()
        indicator_year.signed_by = user
        indicator_year.save()
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=indicator_year,
            changes={"status": ["open", "signed"]},
            request=request,
        )
    return indicator_year


def _locked_indicator_year(
    *, group: LocalGroup, year: int, guard: Callable[[IndicatorYear], list[str]]
) -> IndicatorYear:
    """The group's year (created on first use), locked, once ``guard`` finds nothing missing."""
    indicator_year, _created = IndicatorYear.objects.get_or_create(group=group, year=year)
    indicator_year = IndicatorYear.objects.select_for_update().get(pk=indicator_year.pk)
    problems = guard(indicator_year)
    if problems:
        raise IndicatorLockedError(" ".join(problems))
    return indicator_year


def add_contact(
    *, group: LocalGroup, person: User, user: User, request: HttpRequest | None = None
) -> SurveyContact:
    """Name ``person`` a group's survey contact person (a group may have more than one)."""
    with transaction.atomic():
        contact, created = SurveyContact.objects.get_or_create(group=group, user=person)
        if not created and not contact.active:
            contact.active = True
            contact.save(update_fields=["active"])
        record(user=user, action=AuditAction.CREATE, obj=contact, request=request)
    return contact


def remove_contact(
    *, contact: SurveyContact, user: User, request: HttpRequest | None = None
) -> None:
    """The person no longer answers for the group; the row stays, inactive, for the audit trail."""
    with transaction.atomic():
        contact = SurveyContact.objects.select_for_update().get(pk=contact.pk)
        contact.active = False
        contact.save(update_fields=["active"])
        record(
            user=user,
            action=AuditAction.CHANGE,
            obj=contact,
            changes={"active": ["True", "False"]},
            request=request,
        )
