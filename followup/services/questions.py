"""Changes to the question bank: add a question with its answer codes, or reword it while no
opened survey has asked it."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from bus_portal.audit import record
from bus_portal.models import AuditAction, User
from followup.audit import Purpose
from followup.models import AnswerOption, Question
from followup.report import forget_question_trends
from followup.services.errors import FollowupError, _refuse_stale


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
    expected_version: int | None = None,
    request: HttpRequest | None = None,
) -> Question:
    """Reword a question or change its answer codes, while no opened survey has asked it.

    From a form opened at an older version (``expected_version``) it is refused with
    ``StaleEdit``; callers without a form pass none."""
    _refuse_repeated_codes(options)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        problems = locked.missing_for_editing()
        if problems:
            raise FollowupError(" ".join(problems))
        if expected_version is not None:
            _refuse_stale(
                locked,
                saved=locked.lock_version,
                expected=expected_version,
                purpose=Purpose.QUESTION_EDITED,
            )
        before = {
            "text": locked.text,
            "section": locked.section,
            "kind": locked.kind,
            "order": str(locked.order),
            "options": ",".join(locked.options),
        }
        locked.text, locked.section, locked.kind, locked.order = text, section, kind, order
        locked.lock_version += 1
        locked.save(update_fields=["text", "section", "kind", "order", "lock_version"])
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
