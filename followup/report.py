"""The county report: counts, shares, coverage and the comparison with the previous year.

Only submitted responses count. Shares are of the responses that answered the question; for a
multiple-choice question they do not sum to one. Every response counts, also when a group's
principals answered separately (the coverage says how many did).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from agreements.models import Area
from followup.models import Answer, Commentary, Participants, Question, Response, Section, Survey


@dataclass
class QuestionResult:
    question: Question
    counts: dict[str, int]
    answered: int
    unanswered: int
    texts: list[tuple[str, str]] = field(default_factory=list)  # (group, text) for free text
    previous: QuestionResult | None = None
    chart: str = ""  # inline SVG, set by followup.charts.attach_charts

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def shares(self) -> dict[str, float]:
        if not self.answered:
            return dict.fromkeys(self.counts, 0.0)
        return {code: n / self.answered for code, n in self.counts.items()}

    @property
    def rows(self) -> list[dict]:
        """One row per answer code, for the tables: label, count, share, last year's share."""
        previous_shares = self.previous.shares if self.previous else {}
        previous_counts = self.previous.counts if self.previous else {}
        return [
            {
                "code": code,
                "label": self.question.label_for(code),
                "count": self.counts[code],
                "share": self.shares[code],
                "previous_count": previous_counts.get(code),
                "previous_share": previous_shares.get(code),
            }
            for code in self.counts
        ]


@dataclass
class Coverage:
    responses: int
    municipalities: list[str]
    districts: list[str]
    participants: dict[str, int]
    missing_groups: list[str]
    separate_groups: list[str]  # groups whose principals answered separately

    @property
    def joint(self) -> int:
        return self.participants.get(Participants.BOTH, 0)


@dataclass
class SectionResult:
    section: str
    label: str
    commentary: str
    questions: list[QuestionResult]


@dataclass
class Report:
    survey: Survey
    coverage: Coverage
    questions: list[QuestionResult]
    previous_year: int | None
    sections: list[SectionResult]

    @property
    def year(self) -> int:
        return self.survey.year

    def to_json(self) -> dict:
        return {
            "year": self.year,
            "responses": self.coverage.responses,
            "coverage": {
                "municipalities": len(self.coverage.municipalities),
                "districts": len(self.coverage.districts),
                "participants": self.coverage.participants,
                "missing_groups": self.coverage.missing_groups,
            },
            "questions": {
                result.code: {
                    "counts": result.counts,
                    "unanswered": result.unanswered,
                    "shares": {code: round(share, 4) for code, share in result.shares.items()},
                }
                for result in self.questions
                if result.question.is_choice
            },
        }


class _Submitted(NamedTuple):
    """A submitted response, as much of it as the report reads."""

    pk: int
    group_id: int
    group_name: str
    participants: str


class _Covered(NamedTuple):
    pk: int
    name: str
    kind: str


def _submitted(
    surveys: list[Survey],
) -> tuple[dict[int, list[_Submitted]], dict[int, list[_Covered]]]:
    """The submitted responses of the surveys and the areas they covered (by name), each as
    ``{survey_id: [...]}``. One query: responses LEFT JOIN their areas."""
    responses: dict[int, dict[int, _Submitted]] = {survey.pk: {} for survey in surveys}
    areas: dict[int, dict[int, _Covered]] = {survey.pk: {} for survey in surveys}
    for pk, survey_id, group_id, name, participants, area_pk, area_name, area_kind in (
        Response.objects.filter(survey__in=surveys)
        .submitted()
        .values_list(
            "pk",
            "survey_id",
            "group_id",
            "group__name",
            "participants",
            "areas__pk",
            "areas__name",
            "areas__kind",
        )
        .order_by("areas__name", "pk")
    ):
        responses[survey_id].setdefault(pk, _Submitted(pk, group_id, name, participants))
        if area_pk is not None:
            areas[survey_id].setdefault(area_pk, _Covered(area_pk, area_name, area_kind))
    return (
        {key: list(value.values()) for key, value in responses.items()},
        {key: list(value.values()) for key, value in areas.items()},
    )


class _Given(NamedTuple):
    """Alike non-empty answers to a question: ``n`` answers with these choices and no text, or
    one answer with text (and its group's name, for the list of free texts)."""

    choices: list[str]
    n: int
    text: str
    group_name: str | None


def _given(answers) -> dict[tuple[int, int], list[_Given]]:
    """The non-empty submitted answers among ``answers`` (an Answer queryset), by
    ``(survey_id, question_id)``.

    One query, and thousands of answers become a few rows: the database counts the answers
    without text by their choices; answers with text come one by one, in the order of their
    group's name (as the free-text lists show them).
    """
    has_text = ~Q(text="")
    rows = (
        answers.filter(response__status=Response.Status.SUBMITTED)
        .annotate(
            text_group=Case(When(has_text, then=F("response__group__name"))),
            text_pk=Case(When(has_text, then=F("pk"))),
        )
        .values_list(
            "response__survey_id", "question_id", "choices", "text", "text_group", "text_pk"
        )
        .annotate(n=Count("pk"))
        .order_by("text_group", "text_pk")
    )
    given: dict[tuple[int, int], list[_Given]] = defaultdict(list)
    for survey_id, question_id, choices, text, group_name, _pk, n in rows:
        if choices or text.strip():  # Answer.is_empty
            given[(survey_id, question_id)].append(_Given(choices, n, text, group_name))
    return given


def _question_result(question: Question, responses: int, given: list[_Given]) -> QuestionResult:
    options = question.options
    counter: Counter[str] = Counter()
    for answer in given:
        for code in answer.choices:
            if code in options:
                counter[code] += answer.n
    answered = sum(answer.n for answer in given)
    return QuestionResult(
        question=question,
        counts={code: counter.get(code, 0) for code in options},
        answered=answered,
        unanswered=responses - answered,
        texts=[(answer.group_name, answer.text) for answer in given if answer.text],
    )


def _question_results(
    survey: Survey, questions: list[Question], responses: int, given: dict
) -> dict[str, QuestionResult]:
    return {
        q.code: _question_result(q, responses, given.get((survey.pk, q.pk), [])) for q in questions
    }


def coverage_for(survey: Survey, responses: list[_Submitted], areas: list[_Covered]) -> Coverage:
    """Who answered: ``responses`` and ``areas`` are the survey's submitted responses and the
    areas they covered (``_submitted``); the groups missing are those of the survey's year."""
    participants = Counter(r.participants for r in responses)
    separate = sorted({r.group_name for r in responses if r.participants != Participants.BOTH})
    return Coverage(
        responses=len(responses),
        municipalities=[a.name for a in areas if a.kind == Area.Kind.MUNICIPALITY],
        districts=[a.name for a in areas if a.kind == Area.Kind.DISTRICT],
        participants={code: participants.get(code, 0) for code in Participants.values},
        missing_groups=list(
            survey.local_groups()
            .exclude(pk__in={r.group_id for r in responses})
            .order_by("name")
            .values_list("name", flat=True)
        ),
        separate_groups=separate,
    )


def build_report(survey: Survey, *, surveys: list[Survey] | None = None) -> Report:
    """The report for a survey, compared with the previous year's. ``surveys`` are all surveys,
    if the caller has them already (the previous year is found among them)."""
    if surveys is None:
        previous = Survey.objects.filter(year__lt=survey.year).order_by("-year").first()
    else:
        previous = max(
            (s for s in surveys if s.year < survey.year), key=lambda s: s.year, default=None
        )
    compared = [survey] if previous is None else [survey, previous]
    questions: dict[int, list[Question]] = {s.pk: [] for s in compared}
    for pair in (
        Survey.questions.through.objects.filter(survey__in=compared)
        .select_related("question")
        .prefetch_related("question__answer_options")
        .order_by("question__order", "question__code")
    ):
        questions[pair.survey_id].append(pair.question)
    responses, areas = _submitted(compared)
    given = _given(Answer.objects.filter(response__survey__in=compared))
    results = _question_results(survey, questions[survey.pk], len(responses[survey.pk]), given)
    if previous is not None:
        previous_results = _question_results(
            previous, questions[previous.pk], len(responses[previous.pk]), given
        )
        for code, result in results.items():
            result.previous = previous_results.get(code)
    commentary = {
        c.section: c.text for c in Commentary.objects.filter(survey=survey).order_by("section")
    }
    ordered = [results[q.code] for q in questions[survey.pk]]
    sections = [
        SectionResult(
            section=value,
            label=str(label),
            commentary=commentary.get(value, ""),
            questions=[r for r in ordered if r.question.section == value],
        )
        for value, label in Section.choices
    ]
    return Report(
        survey=survey,
        coverage=coverage_for(survey, responses[survey.pk], areas[survey.pk]),
        questions=ordered,
        previous_year=previous.year if previous else None,
        sections=[s for s in sections if s.questions or s.commentary],
    )


# The county dashboard's trends read every submitted answer of every year (a tenth of a second at
# national scale), but they change only when a response is saved or imported or a survey is
# created: followup.services and followup.importing forget them then (after the commit). The
# timeout bounds staleness from changes outside those paths (the admin) and in other processes
# when the cache is per process.
TRENDS_CACHE_KEY = "followup:question-trends"
TRENDS_CACHE_SECONDS = 10 * 60


def cached_question_trends() -> list[dict]:
    """``question_trends()`` for every question, through the cache."""
    trends = cache.get(TRENDS_CACHE_KEY)
    if trends is None:
        trends = question_trends()
        cache.set(TRENDS_CACHE_KEY, trends, timeout=TRENDS_CACHE_SECONDS)
    return trends


def forget_question_trends() -> None:
    """Call after the surveys, responses or answers change (on commit)."""
    cache.delete(TRENDS_CACHE_KEY)


def question_trends(*, codes: list[str] | None = None) -> list[dict]:
    """Per reused question: the share of each answer per survey year, oldest first.

    Counted for every survey at once, in two queries whatever the number of years: the surveys'
    choice questions (with each survey's number of submitted responses), and the submitted answers
    grouped by survey, question and answer (``_given``).
    """
    submitted = (
        Response.objects.filter(survey=OuterRef("survey_id"))
        .submitted()
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    pairs = (
        Survey.questions.through.objects.exclude(question__kind=Question.Kind.TEXT)
        .select_related("survey", "question")
        .prefetch_related("question__answer_options")
        .annotate(responses=Coalesce(Subquery(submitted), 0))
        .order_by("survey__year", "question__order", "question__code")
    )
    if codes:
        pairs = pairs.filter(question__code__in=codes)
    given = _given(Answer.objects.exclude(question__kind=Question.Kind.TEXT))
    series: dict[str, dict] = {}
    for pair in pairs:
        result = _question_result(
            pair.question, pair.responses, given.get((pair.survey_id, pair.question_id), [])
        )
        entry = series.setdefault(pair.question.code, {"question": pair.question, "years": {}})
        entry["years"][pair.survey.year] = result
    return sorted(series.values(), key=lambda e: (e["question"].order, e["question"].code))
