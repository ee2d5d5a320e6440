"""The multi-year indicators and the batched survey figures give exactly what the one-year,
one-survey-at-a-time code gave (issue 7). The reference functions below are that code."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from agreements.models import Area, LocalGroup, Principal
from deviations import indicators as deviation_indicators
from deviations.models import Deviation
from followup import indicators
from followup.models import Answer, IndicatorYear, ManualFigure, Question, Response, Survey
from followup.report import QuestionResult, build_report, question_trends
from sip import indicators as sip_indicators
from sip.models import ForumCase, Plan, PlanVersion
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance
from tests.followup.factories import ResponseFactory, SurveyFactory
from tests.sip.factories import ForumCaseFactory, PlanFactory

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
YEARS = list(range(THIS_YEAR - 5, THIS_YEAR + 1))


# --- The reference: the code before issue 7 --------------------------------------------------


def _year_bounds(year):
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def reference_sip_counts(year):
    start, end = _year_bounds(year)
    result = defaultdict(lambda: dict.fromkeys(sip_indicators.KEYS, 0))
    forum = (
        ForumCase.objects.filter(need_noticed_on__year=year)
        .values("local_group_id")
        .annotate(
            total=Count("id"),
            escalated=Count("id", filter=Q(outcome=ForumCase.Outcome.ESCALATED)),
        )
        .order_by("local_group_id")
    )
    for row in forum:
        result[row["local_group_id"]]["forum_cases"] = row["total"]
        result[row["local_group_id"]]["forum_escalated"] = row["escalated"]
    plans = (
        Plan.objects.filter(
            Q(need_noticed_on__year=year)
            | Q(agreed_at__lt=end, closed_at__isnull=True)
            | Q(agreed_at__lt=end, closed_at__gte=start)
        )
        .values("local_group_id")
        .annotate(
            new=Count("id", filter=Q(need_noticed_on__year=year)),
            active=Count(
                "id",
                filter=Q(agreed_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=start)),
            ),
        )
        .order_by("local_group_id")
    )
    for row in plans:
        if row["new"] or row["active"]:
            result[row["local_group_id"]]["sips_new"] = row["new"]
            result[row["local_group_id"]]["sips_active"] = row["active"]
    followed = (
        PlanVersion.objects.filter(
            kind=PlanVersion.Kind.FOLLOW_UP, created_at__gte=start, created_at__lt=end
        )
        .values("plan__local_group_id")
        .annotate(plans=Count("plan_id", distinct=True))
        .order_by("plan__local_group_id")
    )
    for row in followed:
        result[row["plan__local_group_id"]]["sips_followed_up"] = row["plans"]
    return {group: dict(counts) for group, counts in result.items()}


def reference_deviation_counts(year):
    rows = (
        Deviation.objects.submitted()
        .filter(event_date__year=year, area__local_groups__isnull=False)
        .values("area__local_groups")
        .annotate(n=Count("id", distinct=True))
        .order_by("area__local_groups")
        .values_list("area__local_groups", "n")
    )
    return {group_id: {"deviations": n} for group_id, n in rows}


def reference_totals(years):
    result = {}
    for year in years:
        portal = defaultdict(lambda: dict.fromkeys(indicators.CODES, 0))
        for source in (reference_sip_counts, reference_deviation_counts):
            for group_id, counts in source(year).items():
                for code in indicators.CODES:
                    if code in counts:
                        portal[group_id][code] = int(counts[code])
        for signed in IndicatorYear.objects.filter(year=year, status=IndicatorYear.Status.SIGNED):
            portal[signed.group_id] = {
                code: int(signed.recorded.get(code, 0)) for code in indicators.CODES
            }
        manual = defaultdict(lambda: dict.fromkeys(indicators.CODES, 0))
        for group_id, code, value in ManualFigure.objects.filter(
            indicator_year__year=year
        ).values_list("indicator_year__group_id", "indicator", "value"):
            manual[group_id][code] += value
        result[year] = {
            group_id: {
                code: portal.get(group_id, {}).get(code, 0) + manual.get(group_id, {}).get(code, 0)
                for code in indicators.CODES
            }
            for group_id in set(portal) | set(manual)
        }
    return result


def reference_question_results(survey, questions):
    responses = list(
        Response.objects.filter(survey=survey).submitted().select_related("group").order_by("pk")
    )
    group_names = {r.pk: r.group.name for r in responses}
    answers = Answer.objects.filter(response__in=[r.pk for r in responses]).order_by(
        "response__group__name", "pk"
    )
    by_question = {}
    for answer in answers:
        if not answer.is_empty:
            by_question.setdefault(answer.question_id, []).append(answer)
    results = {}
    for question in questions:
        given = by_question.get(question.pk, [])
        counter = Counter(code for a in given for code in a.choices if code in question.options)
        results[question.code] = QuestionResult(
            question=question,
            counts={code: counter.get(code, 0) for code in question.options},
            answered=len(given),
            unanswered=len(responses) - len(given),
            texts=[(group_names[a.response_id], a.text) for a in given if a.text],
        )
    return results


def _figures(result: QuestionResult) -> tuple:
    return (result.question.code, result.counts, result.answered, result.unanswered, result.shares)


# --- Records with the edges: year boundaries in local time, closed, never agreed, drafts -------


def _local(year, month, day, hour=12, minute=0):
    tz = timezone.get_current_timezone()
    return datetime.datetime(year, month, day, hour, minute, tzinfo=tz)


@pytest.fixture
def records(db):
    officer = demo_user("officer")
    groups = list(LocalGroup.objects.order_by("pk")[:3])
    for index, year in enumerate(YEARS):
        group = groups[index % len(groups)]
        # Agreed late on New Year's Eve (local time; already the next year in UTC), closed just
        # after New Year two years later.
        plan = PlanFactory(local_group=group, need_noticed_on=datetime.date(year, 12, 31))
        Plan.objects.filter(pk=plan.pk).update(
            status="closed",
            agreed_at=_local(year, 12, 31, 23, 30),
            closed_at=_local(year + 2, 1, 1, 0, 30),
        )
        open_plan = PlanFactory(need_noticed_on=datetime.date(year, 1, 1))
        Plan.objects.filter(pk=open_plan.pk).update(
            status="agreed", agreed_at=_local(year, 1, 1, 0, 15)
        )
        PlanFactory(local_group=group, need_noticed_on=datetime.date(year, 6, 1))  # never agreed
        for created_at in (_local(year, 12, 31, 23, 45), _local(year, 3, 1), _local(year, 4, 1)):
            PlanVersion.objects.create(
                plan=open_plan,
                number=PlanVersion.objects.filter(plan=open_plan).count() + 1,
                kind=PlanVersion.Kind.FOLLOW_UP,
                created_at=created_at,
                created_by=officer,
            )
        ForumCaseFactory(local_group=group, need_noticed_on=datetime.date(year, 1, 1))
        ForumCaseFactory(
            need_noticed_on=datetime.date(year, 12, 31),
            outcome="escalated",
            escalated_on=datetime.date(year, 12, 31),
            status="escalated",
        )
        advance(DeviationFactory(event_date=datetime.date(year, 12, 31)), "with_manager")
        DeviationFactory(event_date=datetime.date(year, 7, 1))  # a draft does not count
    # Closed before the window, agreed before it and still open.
    old = PlanFactory(need_noticed_on=datetime.date(YEARS[0] - 3, 1, 1))
    Plan.objects.filter(pk=old.pk).update(
        status="closed", agreed_at=_local(YEARS[0] - 3, 2, 1), closed_at=_local(YEARS[0] - 1, 5, 1)
    )
    early = PlanFactory(need_noticed_on=datetime.date(YEARS[0] - 2, 1, 1))
    Plan.objects.filter(pk=early.pk).update(status="agreed", agreed_at=_local(YEARS[0] - 2, 2, 1))
    # Another area's group; a signed year and manual figures.
    other_area = Area.objects.exclude(local_groups=None).exclude(name="Täby").first()
    advance(
        DeviationFactory(area=other_area, event_date=datetime.date(YEARS[1], 2, 2)),
        "with_manager",
    )
    signed = IndicatorYear.objects.create(
        group=groups[0],
        year=YEARS[1],
        status=IndicatorYear.Status.SIGNED,
        recorded={"forum_cases": 9, "deviations": 4},
    )
    region = Principal.objects.get(name="Region Stockholm")
    ManualFigure.objects.create(
        indicator_year=signed, principal=region, indicator="deviations", value=3
    )
    open_year = IndicatorYear.objects.create(group=groups[2], year=YEARS[-2])
    ManualFigure.objects.create(
        indicator_year=open_year, principal=region, indicator="sips_new", value=0
    )


def test_sip_counts_by_year_equal_the_one_year_counts(records):
    by_year = sip_indicators.counts_by_year(years=YEARS)
    for year in YEARS:
        assert by_year[year] == reference_sip_counts(year), year
        assert sip_indicators.yearly_counts(year=year) == reference_sip_counts(year), year
    # Years need not be consecutive.
    assert sip_indicators.counts_by_year(years=[YEARS[0], YEARS[-1]]) == {
        YEARS[0]: reference_sip_counts(YEARS[0]),
        YEARS[-1]: reference_sip_counts(YEARS[-1]),
    }


def test_deviation_counts_by_year_equal_the_one_year_counts(records):
    by_year = deviation_indicators.counts_by_year(years=YEARS)
    for year in YEARS:
        assert by_year[year] == reference_deviation_counts(year), year
        assert deviation_indicators.yearly_counts(year=year) == reference_deviation_counts(year)


def test_totals_by_year_equal_the_year_by_year_totals(records):
    assert indicators.totals_by_year(YEARS) == reference_totals(YEARS)
    for year in YEARS:
        assert dict(indicators.portal_counts(year=year)) == {
            group_id: {code: counts.get(code, 0) for code in indicators.CODES}
            for group_id, counts in _merged(year).items()
        }


def _merged(year):
    merged = defaultdict(dict)
    for source in (reference_sip_counts, reference_deviation_counts):
        for group_id, counts in source(year).items():
            merged[group_id].update(counts)
    return merged


@pytest.fixture
def surveys(db):
    """Three years of answers: joint and separate responses, drafts, empty and stray answers."""
    groups = list(LocalGroup.objects.order_by("pk")[:4])
    made = []
    for offset, year in enumerate((2061, 2062, 2063)):
        survey = SurveyFactory(year=year)
        made.append(survey)
        for index, group in enumerate(groups):
            ResponseFactory.with_answers(
                {
                    "group_exists": [["yes"], ["no"], ["being_formed"], []][(index + offset) % 4],
                    "services": ["bup", "school", "not-an-option"][: 1 + (index % 3)],
                    "local_agreements_example": ["Rutin X", "   ", ""][index % 3],
                },
                survey=survey,
                group=group,
                participants="both" if index else "municipality",
            )
        ResponseFactory.with_answers(
            {"group_exists": ["yes"]}, survey=survey, group=groups[0], participants="region"
        )
        ResponseFactory.with_answers(
            {"group_exists": ["no"]},
            survey=survey,
            group=groups[1],
            participants="region",
            status=Response.Status.DRAFT,
        )
    SurveyFactory(year=2064)  # no responses yet
    return made


def test_question_trends_equal_the_survey_by_survey_results(surveys):
    expected = {}
    for survey in Survey.objects.order_by("year"):
        questions = [q for q in survey.ordered_questions() if q.is_choice]
        for code, result in reference_question_results(survey, questions).items():
            expected.setdefault(code, {})[survey.year] = _figures(result)
    trends = question_trends()
    assert {
        entry["question"].code: {year: _figures(r) for year, r in entry["years"].items()}
        for entry in trends
    } == expected
    codes = [e["question"].code for e in trends]
    ordered = sorted(Question.objects.filter(code__in=codes), key=lambda q: (q.order, q.code))
    assert codes == [q.code for q in ordered]


def test_the_report_equals_the_survey_by_survey_report(surveys):
    survey = surveys[-1]
    report = build_report(survey)
    expected = reference_question_results(survey, survey.ordered_questions())
    previous = reference_question_results(surveys[-2], list(surveys[-2].questions.all()))
    assert [r.code for r in report.questions] == [q.code for q in survey.ordered_questions()]
    for result in report.questions:
        reference = expected[result.code]
        assert _figures(result) == _figures(reference)
        assert result.texts == reference.texts
        assert _figures(result.previous) == _figures(previous[result.code])
    coverage = report.coverage
    assert coverage.responses == 5
    assert coverage.participants == {"both": 3, "municipality": 1, "region": 1}
    assert coverage.separate_groups == sorted({LocalGroup.objects.order_by("pk")[0].name})
    assert len(coverage.missing_groups) == LocalGroup.objects.count() - 4
    covered = Area.objects.filter(
        pk__in=Response.objects.filter(survey=survey).submitted().values("areas")
    ).order_by("name")
    assert coverage.municipalities == [a.name for a in covered if a.kind == Area.Kind.MUNICIPALITY]
    assert coverage.districts == [a.name for a in covered if a.kind == Area.Kind.DISTRICT]
    assert coverage.municipalities
    assert build_report(survey, surveys=list(Survey.objects.all())).to_json() == report.to_json()
