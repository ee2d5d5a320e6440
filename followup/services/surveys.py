"""Changes to a year's survey: create, edit, open, close and reopen it, and invite and remind the
groups that have not answered."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import LocalGroup
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.models import Question, Reminder, Response, Survey, survey_date_problems
from followup.report import forget_question_trends
from followup.services.errors import SurveyStateError, _refuse_stale


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
