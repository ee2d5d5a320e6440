"""Changes to the groups' answers: start a response, save or submit it, and the secretariat's
commentary on the year's report."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Area, LocalGroup
from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.models import Answer, Commentary, Participants, Response, Survey
from followup.report import forget_question_trends
from followup.services.errors import (
    FollowupError,
    ResponseConflictError,
    SurveyStateError,
    _refuse_stale,
)


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
