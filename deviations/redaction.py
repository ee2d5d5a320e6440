"""Redaction: removing an identity number or a name found in a report after it was stored.

The text is replaced by "[borttaget]" wherever the report keeps it: its fields, its steps'
comments, its comments, the counterparts' responses and their earlier texts, the notifications
about it, and their e-mails in the portal's outbox (``OutboundMessage`` rows tagged with the
notification: one still waiting for the daily digest goes out redacted; a queued send task
carries only the message's id). Nothing else keeps a copy: reports have no versions, and
deviations' audit rows hold field codes, never texts. The
redaction's own audit row says who, when and from which texts; never what was removed.

``stored_identity_numbers`` is the nightly check (``manage.py find_deviation_identity_numbers``):
every report with an identity number in any of its texts, by report and text, never the number.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Field
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from bus_portal import audit
from bus_portal.models import AuditAction, OutboundMessage, User
from bus_portal.roles import Role
from deviations import deidentify, notifications
from deviations.audit import Purpose
from deviations.counterparts import CounterpartResponse, CounterpartResponseVersion
from deviations.models import (
    TEXT_FIELDS,
    Comment,
    Deviation,
    DeviationStep,
    Notification,
    NotificationKind,
)
from deviations.notifications import REDACTED, outbox_source
from deviations.recipients import county_users
from deviations.services import DeviationError, NotAllowedToAct


@dataclass(frozen=True)
class Text:
    """One stored text of a report: its code (as audited: "description", "step:12",
    "comment:3"), a label for people, and the text."""

    code: str
    label: str
    text: str


def _model_field(name: str) -> Field:
    field = Deviation._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _field_label(name: str) -> str:
    return str(_model_field(name).verbose_name).capitalize()


def step_label(step_id: int) -> str:
    return _("Comment on step %(number)s") % {"number": step_id}


def comment_label(comment_id: int) -> str:
    return _("Comment %(number)s") % {"number": comment_id}


def response_label(response_id: int) -> str:
    return _("Counterpart response %(number)s") % {"number": response_id}


def response_version_label(version_id: int) -> str:
    return _("Earlier text of a counterpart response (%(number)s)") % {"number": version_id}


def _responses(deviation: Deviation) -> list[tuple[str, int, str]]:
    """The counterparts' responses and their earlier texts: (kind, id, text)."""
    rows = [
        ("response", pk, text)
        for pk, text in deviation.counterpart_responses.order_by("id").values_list("id", "text")
    ]
    versions = CounterpartResponseVersion.objects.filter(response__deviation=deviation)
    rows += [
        ("response_version", pk, text)
        for pk, text in versions.order_by("id").values_list("id", "text")
    ]
    return rows


def texts_of(deviation: Deviation) -> list[Text]:
    """Every free text of the report (not the notifications), in the order of its page."""
    texts = [Text(name, _field_label(name), getattr(deviation, name)) for name in TEXT_FIELDS]
    for step_id, comment in deviation.steps.exclude(comment="").values_list("id", "comment"):
        texts.append(Text(f"step:{step_id}", step_label(step_id), comment))
    for comment_id, text in deviation.comments.values_list("id", "text"):
        texts.append(Text(f"comment:{comment_id}", comment_label(comment_id), text))
    for kind, pk, text in _responses(deviation):
        texts.append(Text(f"{kind}:{pk}", label_of(f"{kind}:{pk}"), text))
    return [text for text in texts if text.text]


@dataclass
class Finding:
    text: Text
    hits: list[deidentify.IdentityNumber] = field(default_factory=list)


def identity_numbers_in(deviation: Deviation) -> list[Finding]:
    """The report's texts that hold an identity number, with where in each."""
    findings = []
    for text in texts_of(deviation):
        hits = deidentify.find_identity_numbers(text.text)
        if hits:
            findings.append(Finding(text, hits))
    return findings


def likely_names_in(deviation: Deviation) -> list[str]:
    """Capitalised first names in the report's free texts (not the contact person, a member
    of staff), as suggestions for the redaction page."""
    names: list[str] = []
    for text in texts_of(deviation):
        if text.code == "contact_person":
            continue
        names += [name for name in deidentify.likely_names(text.text) if name not in names]
    return names


def _phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """The phrase as whole words, any white space between them, case-insensitive, with a
    genitive s ("Elsa" also removes "Elsas")."""
    words = phrase.split()
    if not words:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}s?(?!\w)", re.IGNORECASE)


def redacted(text: str, pattern: re.Pattern[str] | None) -> str:
    """``text`` with every identity number and every occurrence of the phrase replaced."""
    text = deidentify.replace_identity_numbers(text, REDACTED)
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    return text


def redact(
    *,
    deviation: Deviation,
    user: User,
    phrase: str = "",
    request: HttpRequest | None = None,
) -> list[str]:
    """Replace every identity number in the report's texts, and every occurrence of ``phrase``
    (a name found later), by "[borttaget]": in the report, its steps' comments, its comments,
    the counterparts' responses (and their earlier texts), the notifications about it and their
    stored e-mails. The original is kept nowhere. Audited with the codes of the
    texts changed and the number of notifications, never the content. Returns the codes.

    Whoever handles the report at its current step, and the secretariat at any step, may redact.
    """
    pattern = _phrase_pattern(phrase)
    with transaction.atomic():
        deviation = Deviation.objects.select_for_update().get(pk=deviation.pk)
        if not deviation.can_redact(user):
            raise NotAllowedToAct(
                _("Only whoever handles the report now, or the secretariat, can remove text.")
            )
        changed: list[str] = []
        for name in TEXT_FIELDS:
            before = getattr(deviation, name)
            after = redacted(before, pattern)
            if after != before:
                limit = _model_field(name).max_length
                setattr(deviation, name, after[:limit] if limit else after)
                changed.append(name)
        if changed:
            # An edit form opened before this cannot put the text back unseen (409).
            deviation.lock_version += 1
            deviation.save(update_fields=[*changed, "lock_version"])
        for step_id, comment in deviation.steps.exclude(comment="").values_list("id", "comment"):
            after = redacted(comment, pattern)
            if after != comment:
                DeviationStep.objects.filter(pk=step_id).update(comment=after)
                changed.append(f"step:{step_id}")
        for comment_id, text in deviation.comments.values_list("id", "text"):
            after = redacted(text, pattern)
            if after != text:
                Comment.objects.filter(pk=comment_id).update(text=after)
                changed.append(f"comment:{comment_id}")
        for kind, pk, text in _responses(deviation):
            after = redacted(text, pattern)
            if after != text:
                model = CounterpartResponse if kind == "response" else CounterpartResponseVersion
                model.objects.filter(pk=pk).update(text=after)
                if kind == "response":
                    # A correction opened before this cannot put the text back unseen.
                    CounterpartResponse.objects.filter(pk=pk).update(
                        lock_version=F("lock_version") + 1
                    )
                changed.append(f"{kind}:{pk}")
        messages = 0
        ids = list(deviation.notifications.values_list("id", flat=True))
        for pk, subject, body in deviation.notifications.values_list("id", "subject", "body"):
            new_subject, new_body = redacted(subject, pattern), redacted(body, pattern)
            if (new_subject, new_body) != (subject, body):
                Notification.objects.filter(pk=pk).update(subject=new_subject[:200], body=new_body)
                messages += 1
        # The e-mails in the outbox: those waiting (for the digest, or a send task) go out
        # redacted, and the stored copy of those sent keeps nothing either.
        sources = [outbox_source(pk) for pk in ids]
        stored = OutboundMessage.objects.filter(source__in=sources)
        for pk, subject, body in stored.values_list("id", "subject", "body"):
            new_subject, new_body = redacted(subject, pattern), redacted(body, pattern)
            if (new_subject, new_body) != (subject, body):
                OutboundMessage.objects.filter(pk=pk).update(
                    subject=new_subject[:200], body=new_body
                )
        if not changed and not messages:
            raise DeviationError(
                _(
                    "Nothing was removed: the report holds no identity number, and the text "
                    "you gave does not occur in it."
                )
                if pattern
                else _("Nothing was removed: the report holds no identity number.")
            )
        audit.record(
            user=user,
            action=AuditAction.CHANGE,
            obj=deviation,
            purpose=Purpose.REDACT,
            changes={"fields": changed, "notifications": messages},
            request=request,
        )
    return changed


# --- the nightly check ------------------------------------------------------------------------
def stored_identity_numbers() -> Iterator[tuple[Deviation, list[str]]]:
    """Every report with an identity number in a stored text, and the codes of those texts
    (the report's fields, "step:<id>", "comment:<id>", "response:<id>",
    "response_version:<id>", "notifications"). Reads the texts in a
    few streamed queries, whatever the number of reports."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = Deviation.objects.order_by("id").values_list("id", *TEXT_FIELDS)
    for pk, *values in rows.iterator(chunk_size=2000):
        for name, text in zip(TEXT_FIELDS, values, strict=True):
            if text and deidentify.find_identity_numbers(text):
                found[pk].append(name)
    steps = DeviationStep.objects.exclude(comment="").order_by("id")
    for pk, step_id, text in steps.values_list("deviation_id", "id", "comment").iterator(2000):
        if deidentify.find_identity_numbers(text):
            found[pk].append(f"step:{step_id}")
    comments = Comment.objects.order_by("id")
    for pk, comment_id, text in comments.values_list("deviation_id", "id", "text").iterator(2000):
        if deidentify.find_identity_numbers(text):
            found[pk].append(f"comment:{comment_id}")
    responses = CounterpartResponse.objects.order_by("id")
    for pk, response_id, text in responses.values_list("deviation_id", "id", "text").iterator(2000):
        if deidentify.find_identity_numbers(text):
            found[pk].append(f"response:{response_id}")
    versions = CounterpartResponseVersion.objects.order_by("id").values_list(
        "response__deviation_id", "id", "text"
    )
    for pk, version_id, text in versions.iterator(2000):
        if deidentify.find_identity_numbers(text):
            found[pk].append(f"response_version:{version_id}")
    outbox = Notification.objects.order_by("id").values_list("deviation_id", "subject", "body")
    for pk, subject, body in outbox.iterator(2000):
        if deidentify.find_identity_numbers(f"{subject}\n{body}") and (
            "notifications" not in found[pk]
        ):
            found[pk].append("notifications")
    reports = Deviation.objects.in_bulk([pk for pk, codes in found.items() if codes])
    for pk in sorted(reports):
        yield reports[pk], found[pk]


def label_of(code: str) -> str:
    """A text's code as people read it ("Beskrivning av samverkansproblemet", "Kommentar 3")."""
    kind, _sep, number = code.partition(":")
    if kind == "step":
        return step_label(int(number))
    if kind == "comment":
        return comment_label(int(number))
    if kind == "response":
        return response_label(int(number))
    if kind == "response_version":
        return response_version_label(int(number))
    if kind == "notifications":
        return _("Notifications and e-mail")
    return _field_label(kind)


TELL_EVERY_DAYS = 7


def tell_the_secretariat(
    deviation: Deviation, codes: list[str], *, now: datetime.datetime | None = None
) -> bool:
    """Notify the secretariat of an identity number found in ``deviation`` (where, never the
    number); at most once per report in 7 days, however often the check runs."""
    now = now or timezone.now()
    with transaction.atomic():
        recent = Notification.objects.filter(
            deviation=deviation,
            kind=NotificationKind.IDENTITY_FOUND,
            created_at__gte=now - datetime.timedelta(days=TELL_EVERY_DAYS),
        ).exists()
        if recent:
            return False
        subject, body = notifications.identity_found_message(
            deviation, [label_of(code) for code in codes]
        )
        created = notifications.notify(
            deviation=deviation,
            recipients=county_users(Role.SECRETARIAT),
            kind=NotificationKind.IDENTITY_FOUND,
            subject=subject,
            body=body,
            at=now,
        )
    return bool(created)


def nightly_check() -> int:
    """The nightly check as a daily job (``manage.py run_daily``): tell the secretariat of each
    report holding an identity number (at most once a week per report); returns how many were
    told now."""
    return sum(
        tell_the_secretariat(deviation, codes) for deviation, codes in stored_identity_numbers()
    )
