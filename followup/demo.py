"""Demo data for the follow-up: surveys for 2024 and 2025 (and this year's open one), answered by
most groups (some jointly, some by one principal, some not at all), commentary and a contact person.

Idempotent: a survey's responses are only generated when the survey is created. All text is fictional.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from agreements.models import LocalGroup, Principal
from followup.models import (
    Answer,
    AnswerOption,
    Commentary,
    Indicator,
    IndicatorYear,
    ManualFigure,
    Participants,
    Question,
    Response,
    Section,
    Survey,
    SurveyContact,
)
from followup.question_bank import ensure_question_bank

DEMO_YEARS = (2024, 2025)
CONTACT_GROUP = "Täby"

COMMENTARY = {
    2024: {
        Section.STRUCTURE: "De flesta lokala grupper är etablerade. Några grupper saknar "
        "fortfarande representation från BUMM.",
        Section.SIP_TEMPLATE: "SIP-mallen är välkänd men upplevs som omfattande. Sekretariatet "
        "ser över en förenklad version.",
        Section.HABREHAB: "Kännedomen om överenskommelsen har ökat, men få grupper har lokala rutiner.",
        Section.DEVIATIONS: "Avvikelsesystemet är känt av de flesta; flera grupper efterfrågar "
        "återkoppling på inskickade avvikelser.",
    },
    2025: {
        Section.STRUCTURE: "Alla svarande grupper har nu en fungerande lokal BUS-grupp. "
        "Fler grupper har tagit fram lokala överenskommelser än året innan.",
        Section.SIP_TEMPLATE: "Andelen som bedömer att SIP-mallen fungerar bra har ökat.",
        Section.HABREHAB: "Arbetet med lokala rutiner pågår i de flesta grupper.",
        Section.DEVIATIONS: "Återkopplingen på avvikelser har förbättrats enligt flera grupper.",
    },
}

TEXTS = {
    "services_other": ["Fritidsgård", "Familjecentral", "Ungdomsmottagning"],
    "local_agreements_example": [
        "Rutin för samverkan kring elever med hög frånvaro.",
        "Gemensam rutin för SIP vid skolstart.",
        "Överenskommelse om konsultation mellan BUP och elevhälsan.",
    ],
    "sip_template_comment": ["Mallen är tydlig men lång.", "Bra stöd för nya handläggare."],
    "deviation_comment": ["Vi vill få snabbare återkoppling."],
}

# Weights per answer code; later years lean a little more towards "yes" and "good".
WEIGHTS = {
    "yes": 6,
    "being_formed": 1,
    "in_progress": 3,
    "no": 2,
    "dont_know": 1,
    "good": 5,
    "less_good": 2,
}


def pick_answer(rng: random.Random, question: Question, year: int) -> list[str]:
    if question.kind == Question.Kind.MULTIPLE:
        core = ["social_services", "school", "student_health", "bup", "habilitation"]
        extra = [c for c in question.options if c not in core]
        chosen = [c for c in core if rng.random() < 0.9]
        chosen += [c for c in extra if rng.random() < 0.3]
        return [c for c in question.options if c in chosen]
    bonus = max(0.2, 1 + (year - 2024) * 0.5)  # earlier years had fewer yes; never zero
    weights = [
        WEIGHTS.get(code, 1) * (bonus if code in {"yes", "good"} else 1)
        for code in question.options
    ]
    return [rng.choices(question.options, weights=weights)[0]]


def _plan(groups: list[LocalGroup], year: int, rng: random.Random) -> dict[int, list[str]]:
    """Which groups answer, and how: most jointly, a few separately or one principal only."""
    others = [g for g in groups if g.name != CONTACT_GROUP]
    rng.shuffle(others)
    plan: dict[int, list[str]] = {}
    missing, separate, single = others[:4], others[4:6], others[6:8]
    for group in groups:
        if group in missing:
            continue
        if group in separate:
            plan[group.pk] = [Participants.MUNICIPALITY, Participants.REGION]
        elif group in single:
            plan[group.pk] = [Participants.MUNICIPALITY]
        else:
            plan[group.pk] = [Participants.BOTH]
    return plan


def _fill(survey: Survey, *, skip: set[str] = frozenset(), share: float = 1.0) -> None:
    rng = random.Random(f"bus-demo-{survey.year}")
    groups = list(survey.local_groups().order_by("name").prefetch_related("areas"))
    questions = survey.ordered_questions()
    plan = _plan(groups, survey.year, rng)
    submitted_at = timezone.make_aware(
        datetime.datetime.combine(survey.deadline - datetime.timedelta(days=10), datetime.time(10))
    )
    answers = []
    for group in groups:
        if group.name in skip or group.pk not in plan or rng.random() > share:
            continue
        for participants in plan[group.pk]:
            response = Response.objects.create(
                survey=survey,
                group=group,
                participants=participants,
                status=Response.Status.SUBMITTED,
                submitted_at=submitted_at,
            )
            response.areas.set(group.areas.all())
            for question in questions:
                if question.is_choice:
                    if rng.random() < 0.05:
                        continue  # a few questions left unanswered, as in real surveys
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            choices=pick_answer(rng, question, survey.year),
                        )
                    )
                elif question.code in TEXTS and rng.random() < 0.3:
                    answers.append(
                        Answer(
                            response=response,
                            question=question,
                            text=rng.choice(TEXTS[question.code]),
                        )
                    )
    Answer.objects.bulk_create(answers)


@transaction.atomic
def seed() -> None:
    ensure_question_bank(Question, AnswerOption)
    chair = get_user_model().objects.filter(username="chair").first()
    taby = LocalGroup.objects.filter(name=CONTACT_GROUP).first()
    if chair and taby:
        SurveyContact.objects.get_or_create(group=taby, user=chair)
    questions = list(Question.objects.filter(active=True))
    today = timezone.localdate()
    open_year = today.year if today.year > max(DEMO_YEARS) else max(DEMO_YEARS)
    for year in sorted({*DEMO_YEARS, open_year}):
        is_open = year == open_year
        deadline = (
            max(today + datetime.timedelta(days=21), datetime.date(year, 11, 30))
            if is_open
            else datetime.date(year, 11, 30)
        )
        survey, created = Survey.objects.get_or_create(
            year=year,
            defaults={
                "deadline": deadline,
                "status": Survey.Status.OPEN if is_open else Survey.Status.CLOSED,
                "introduction": "Enkäten följer upp BUS-arbetet i länets lokala grupper.",
                "opened_at": timezone.make_aware(datetime.datetime(year, 9, 1, 9)),
            },
        )
        if not created:
            continue
        survey.questions.set(questions)
        # This year's survey is still open: Täby (the demo contact person's group) has not answered.
        _fill(survey, skip={CONTACT_GROUP} if is_open else set(), share=0.5 if is_open else 1.0)
        for section, text in COMMENTARY.get(year, {}).items():
            Commentary.objects.get_or_create(
                survey=survey, section=section, defaults={"text": text}
            )
    if chair and taby:
        _seed_indicators(taby, chair)


def _seed_indicators(group: LocalGroup, chair) -> None:
    """Täby: 2024 signed off with a manual figure; 2025 open, with one manual figure so far."""
    from followup.indicators import portal_counts

    municipality = Principal.objects.filter(name="Täby kommun").first()
    region = Principal.objects.filter(name="Region Stockholm").first()
    signed, created = IndicatorYear.objects.get_or_create(group=group, year=2024)
    if created:
        ManualFigure.objects.create(
            indicator_year=signed,
            principal=municipality,
            indicator=Indicator.FORUM_CASES,
            value=2,
            note="Ärenden i kommunens interna forum före portalen",
            entered_by=chair,
        )
        signed.recorded = dict(portal_counts(year=2024).get(group.pk, {}))
        signed.status = IndicatorYear.Status.SIGNED
        signed.signed_by = chair
        signed.signed_at = timezone.make_aware(datetime.datetime(2025, 2, 12, 14))
        signed.save()
    open_year, created = IndicatorYear.objects.get_or_create(group=group, year=2025)
    if created and region is not None:
        ManualFigure.objects.create(
            indicator_year=open_year,
            principal=region,
            indicator=Indicator.DEVIATIONS,
            value=1,
            note="Avvikelse rapporterad på papper",
        )
