"""The county report: counts, shares, coverage and the comparison with the previous year.

Only submitted responses count. Shares are of the responses that answered the question; for a
multiple-choice question they do not sum to one. Every response counts, also when a group's
principals answered separately (the coverage says how many did).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agreements.models import Area, LocalGroup
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

    @property
    def single_principal(self) -> int:
        return self.responses - self.joint


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


def _question_results(survey: Survey, questions: list[Question]) -> dict[str, QuestionResult]:
    responses = list(
        Response.objects.filter(survey=survey).submitted().select_related("group").order_by("pk")
    )
    group_names = {r.pk: r.group.name for r in responses}
    answers = Answer.objects.filter(response__in=[r.pk for r in responses]).order_by(
        "response__group__name", "pk"
    )
    by_question: dict[int, list[Answer]] = {}
    for answer in answers:
        if not answer.is_empty:
            by_question.setdefault(answer.question_id, []).append(answer)
    results = {}
    for question in questions:
        given = by_question.get(question.pk, [])
        counter = Counter(code for a in given for code in a.choices if code in question.options)
        counts = {code: counter.get(code, 0) for code in question.options}
        results[question.code] = QuestionResult(
            question=question,
            counts=counts,
            answered=len(given),
            unanswered=len(responses) - len(given),
            texts=[(group_names[a.response_id], a.text) for a in given if a.text],
        )
    return results


def coverage_for(survey: Survey) -> Coverage:
    responses = Response.objects.filter(survey=survey).submitted()
    participants = Counter(responses.values_list("participants", flat=True))
    areas = Area.objects.filter(pk__in=responses.values("areas")).order_by("name")
    answered_groups = set(responses.values_list("group_id", flat=True))
    separate = sorted(
        {
            name
            for name, p in responses.values_list("group__name", "participants")
            if p != Participants.BOTH
        }
    )
    return Coverage(
        responses=sum(participants.values()),
        municipalities=[a.name for a in areas if a.kind == Area.Kind.MUNICIPALITY],
        districts=[a.name for a in areas if a.kind == Area.Kind.DISTRICT],
        participants={code: participants.get(code, 0) for code in Participants.values},
        missing_groups=list(
            LocalGroup.objects.exclude(pk__in=answered_groups)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        separate_groups=separate,
    )


def build_report(survey: Survey) -> Report:
    questions = survey.ordered_questions()
    results = _question_results(survey, questions)
    previous = Survey.objects.filter(year__lt=survey.year).order_by("-year").first()
    if previous is not None:
        previous_results = _question_results(previous, list(previous.questions.all()))
        for code, result in results.items():
            result.previous = previous_results.get(code)
    commentary = {
        c.section: c.text for c in Commentary.objects.filter(survey=survey).order_by("section")
    }
    ordered = [results[q.code] for q in questions]
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
        coverage=coverage_for(survey),
        questions=ordered,
        previous_year=previous.year if previous else None,
        sections=[s for s in sections if s.questions or s.commentary],
    )


def question_trends(*, codes: list[str] | None = None) -> list[dict]:
    """Per reused question: the share of each answer per survey year, oldest first."""
    surveys = list(Survey.objects.order_by("year"))
    series: dict[str, dict] = {}
    for survey in surveys:
        questions = [q for q in survey.ordered_questions() if q.is_choice]
        for code, result in _question_results(survey, questions).items():
            if codes and code not in codes:
                continue
            entry = series.setdefault(code, {"question": result.question, "years": {}})
            entry["years"][survey.year] = result
    ordered = sorted(series.values(), key=lambda e: (e["question"].order, e["question"].code))
    return [e for e in ordered if len(e["years"]) >= 1]
