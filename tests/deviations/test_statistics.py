"""The yearly compilation and the follow-up indicator, on generated data with known counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Area, LocalGroup, Unit
from deviations.indicators import yearly_counts
from deviations.models import CLOSED_STATUSES, Category, DeviationStep, Status
from deviations.statistics import compile_year
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory

pytestmark = pytest.mark.django_db

YEAR = 2023  # the demo seed has nothing before 2025


def _at(day: datetime.date, plus_days: int = 0):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return start + datetime.timedelta(days=plus_days)


def _report(*, path, category, area, unit, services, event, gaps):
    """A report that walked ``path``, spending ``gaps[i]`` days before step i+1."""
    start = _at(event, 1)
    deviation = DeviationFactory(
        status=path[-1] if path else Status.DRAFT,
        category=category,
        area=area,
        reporter_unit=unit,
        event_date=event,
        submitted_at=start if path else None,
        response="Svar." if path and path[-1] in CLOSED_STATUSES else "",
        services=services,
    )
    previous, at = Status.DRAFT, start
    for index, status in enumerate(path):
        if index:
            at = at + datetime.timedelta(days=gaps[index - 1])
        DeviationStep.objects.create(
            deviation=deviation,
            from_status=previous,
            to_status=status,
            at=at,
            actor=demo_user("officer"),
        )
        previous = status
    return deviation


@pytest.fixture
def known_year():
    first, second = list(Category.objects.order_by("position")[:2])
    taby = Area.objects.get(name="Täby", valid_from=None)
    nacka = Area.objects.get(name="Nacka", valid_from=None)
    taby_social = Unit.objects.get(
        principal__name="Täby kommun", name="Socialtjänst, barn och unga"
    )
    nacka_school = Unit.objects.get(principal__name="Nacka kommun", name="Grundskola")
    _report(
        path=[Status.WITH_MANAGER],
        category=first,
        area=taby,
        unit=taby_social,
        services=["bup"],
        event=datetime.date(YEAR, 1, 15),
        gaps=[],
    )
    _report(
        path=[Status.WITH_MANAGER, Status.RESOLVED_LOCALLY],
        category=first,
        area=taby,
        unit=taby_social,
        services=["bup", "habilitation"],
        event=datetime.date(YEAR, 1, 20),
        gaps=[10],
    )
    _report(
        path=[Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.RESOLVED_IN_GROUP],
        category=second,
        area=nacka,
        unit=nacka_school,
        services=["bup"],
        event=datetime.date(YEAR, 3, 5),
        gaps=[4, 6],
    )
    # Not counted: a draft in the year, and a report from the year before.
    _report(
        path=[],
        category=first,
        area=taby,
        unit=taby_social,
        services=["bup"],
        event=datetime.date(YEAR, 2, 1),
        gaps=[],
    )
    _report(
        path=[Status.WITH_MANAGER],
        category=first,
        area=taby,
        unit=taby_social,
        services=["bup"],
        event=datetime.date(YEAR - 1, 12, 31),
        gaps=[],
    )
    return {"first": first.name, "second": second.name}  # fmt: skip


def test_the_compilation_counts_what_was_generated(known_year):
    c = compile_year(YEAR, with_charts=False)
    assert c.total == 3
    categories = dict(c.by_category)
    assert categories[known_year["first"]] == 2
    assert categories[known_year["second"]] == 1
    assert sum(categories.values()) == 3
    assert dict(c.by_area) == {"Täby": 2, "Nacka": 1}
    months = dict(c.by_month)
    assert months["jan"] == 2 and months["mar"] == 1 and sum(months.values()) == 3
    statuses = dict(c.by_status)
    assert statuses[str(Status.WITH_MANAGER.label)] == 1
    assert statuses[str(Status.RESOLVED_LOCALLY.label)] == 1
    assert statuses[str(Status.RESOLVED_IN_GROUP.label)] == 1


def test_the_pair_matrix_counts_each_counterpart_service(known_year):
    c = compile_year(YEAR, with_charts=False)
    table = {row: dict(zip(c.pair_cols, counts, strict=True)) for row, counts in c.pair_table}
    social, school = "Socialtjänst (IFO)", "Grundskola"
    bup, hab = "BUP (barn- och ungdomspsykiatri)", "Habilitering"
    assert table[social][bup] == 2
    assert table[social][hab] == 1
    assert table[school][bup] == 1
    assert table[school][hab] == 0


def test_time_at_each_step_has_median_and_mean(known_year):
    times = {s.status: s for s in compile_year(YEAR, with_charts=False).step_times}
    manager = times[Status.WITH_MANAGER]
    assert manager.count == 2  # the report still with its manager has not left the step
    assert manager.median_days == 7.0
    assert manager.mean_days == 7.0
    assert times[Status.WITH_LOCAL_GROUP].count == 1
    assert times[Status.WITH_LOCAL_GROUP].median_days == 6.0
    assert times[Status.WITH_BUSSAM].count == 0
    assert times[Status.WITH_BUSSAM].median_days is None


def test_the_compilation_uses_a_fixed_number_of_queries(known_year, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        compile_year(YEAR, with_charts=False)


def test_yearly_counts_per_local_group(known_year, django_assert_num_queries):
    taby = LocalGroup.objects.get(name="Täby")
    nacka = LocalGroup.objects.get(name="Nacka")
    with django_assert_num_queries(1):
        counts = yearly_counts(year=YEAR)
    assert counts == {taby.pk: {"deviations": 2}, nacka.pk: {"deviations": 1}}
    assert yearly_counts(year=1999) == {}


def test_the_statistics_page_shows_tables_and_svg_charts(known_year, secretariat_client):
    response = secretariat_client.get(reverse("deviations:statistics"), {"year": YEAR})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg ") >= 4  # inline SVG charts, CSP-safe (no style attributes)
    assert 'style="' not in html.split("<svg ", 1)[1].split("</svg>", 1)[0]
    assert "<caption" in html
    assert response.context["compilation"].total == 3


def test_the_csv_export_holds_the_counts(known_year, secretariat_client):
    response = secretariat_client.get(reverse("deviations:statistics_csv"), {"year": YEAR})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = [line.split(";") for line in text.strip().splitlines()]
    assert rows[1][-1] == "3"  # total
    assert [r for r in rows if r[1] == "Täby" and r[-1] == "2"]


def test_the_pdf_report_is_a_pdf_with_the_figures(known_year, secretariat_client, tmp_path):
    import subprocess

    response = secretariat_client.get(reverse("deviations:statistics_pdf"), {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert known_year["first"] in text
    assert "Täby" in text and "Nacka" in text


EXPORTS = ["deviations:statistics_pdf", "deviations:statistics_csv"]


def _export_event(client, url_name: str, year: int):
    from django.contrib.contenttypes.models import ContentType

    from bus_portal.models import AuditAction, AuditEvent
    from deviations.audit import Purpose
    from deviations.models import Deviation

    before = set(AuditEvent.objects.values_list("pk", flat=True))
    response = client.get(reverse(url_name), {"year": year})
    assert response.status_code == 200
    event = AuditEvent.objects.exclude(pk__in=before).get()
    assert event.action == AuditAction.EXPORT
    assert event.purpose == Purpose.STATISTICS_EXPORT
    assert event.actor == demo_user("secretariat")
    # The export is about the year's figures, not about any one row.
    assert event.content_type == ContentType.objects.get_for_model(Deviation)
    assert event.object_id == ""
    return event, response


@pytest.mark.parametrize("url_name", EXPORTS)
def test_an_export_is_audited_as_the_years_figures(known_year, secretariat_client, url_name):
    event, response = _export_event(secretariat_client, url_name, YEAR)
    assert str(YEAR) in event.object_repr
    assert event.object_repr in response["Content-Disposition"]  # the file that was handed out


@pytest.mark.parametrize("url_name", EXPORTS)
def test_an_export_is_audited_with_no_reports_and_no_categories(secretariat_client, url_name):
    from deviations.models import Category, Deviation

    Deviation.objects.all().delete()
    Category.objects.all().delete()
    event, _response = _export_event(secretariat_client, url_name, YEAR)
    assert str(YEAR) in event.object_repr
