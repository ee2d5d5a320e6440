import io
import json
import random
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from agreements.models import LocalGroup
from bus_portal.models import AuditEvent
from followup.documents import report_pdf
from followup.models import Question, Response
from followup.report import build_report
from tests.followup.factories import ResponseFactory, SurveyFactory


@pytest.fixture
def answered(survey):
    """Three groups: two joint responses and one group whose principals answered separately."""
    groups = {
        g.name: g
        for g in LocalGroup.objects.filter(
            name__in=["Täby", "Danderyd", "Södertälje/Salem", "Rinkeby-Kista och Spånga-Tensta"]
        )
    }
    ResponseFactory.with_answers(
        {
            "group_exists": ["yes"],
            "services": ["bup", "school"],
            "local_agreements_example": "Rutin X",
        },
        survey=survey,
        group=groups["Täby"],
    )
    ResponseFactory.with_answers(
        {"group_exists": ["no"], "services": ["bup"]},
        survey=survey,
        group=groups["Rinkeby-Kista och Spånga-Tensta"],
    )
    ResponseFactory.with_answers(
        {"group_exists": ["yes"]},
        survey=survey,
        group=groups["Södertälje/Salem"],
        participants="municipality",
    )
    ResponseFactory.with_answers(
        {"group_exists": ["being_formed"]},
        survey=survey,
        group=groups["Södertälje/Salem"],
        participants="region",
    )
    # A draft does not count.
    ResponseFactory.with_answers(
        {"group_exists": ["no"]},
        survey=survey,
        group=groups["Danderyd"],
        status=Response.Status.DRAFT,
    )
    return survey


def test_it_counts_shares_of_those_who_answered_and_the_unanswered(answered):
    report = build_report(answered).to_json()

    assert report["responses"] == 4
    group_exists = report["questions"]["group_exists"]
    assert group_exists["counts"] == {"yes": 2, "being_formed": 1, "no": 1}
    assert group_exists["unanswered"] == 0
    assert group_exists["shares"] == {"yes": 0.5, "being_formed": 0.25, "no": 0.25}
    services = report["questions"]["services"]
    assert services["counts"]["bup"] == 2 and services["counts"]["school"] == 1
    assert services["unanswered"] == 2
    assert services["shares"]["bup"] == 1.0 and services["shares"]["school"] == 0.5


def test_coverage_counts_districts_as_districts_and_names_missing_groups(answered):
    coverage = build_report(answered).to_json()["coverage"]

    # Täby, Södertälje, Salem; Rinkeby-Kista and Spånga-Tensta are districts, not Stockholm.
    assert coverage["municipalities"] == 3
    assert coverage["districts"] == 2
    assert coverage["participants"] == {"both": 2, "municipality": 1, "region": 1}
    assert "Danderyd" in coverage["missing_groups"]
    assert "Täby" not in coverage["missing_groups"]
    assert len(coverage["missing_groups"]) == LocalGroup.objects.count() - 3
    assert build_report(answered).coverage.separate_groups == ["Södertälje/Salem"]


def test_aggregation_matches_a_direct_count_on_generated_data(db):
    survey = SurveyFactory()
    question = Question.objects.get(code="coordinator_appointed")
    rng = random.Random(7)
    expected = {"yes": 0, "no": 0, "dont_know": 0}
    unanswered = 0
    for group in LocalGroup.objects.order_by("pk")[:25]:
        if rng.random() < 0.2:
            ResponseFactory(survey=survey, group=group)
            unanswered += 1
            continue
        choice = rng.choice(question.options)
        expected[choice] += 1
        ResponseFactory.with_answers({question.code: [choice]}, survey=survey, group=group)

    result = build_report(survey).to_json()["questions"]["coordinator_appointed"]

    assert result["counts"] == expected
    assert result["unanswered"] == unanswered
    answered = sum(expected.values())
    assert result["shares"] == {k: round(v / answered, 4) for k, v in expected.items()}


def test_it_compares_with_the_previous_year(db):
    before, after = SurveyFactory(year=2090), SurveyFactory(year=2091)
    group = LocalGroup.objects.get(name="Täby")
    ResponseFactory.with_answers({"sip_template_known": ["no"]}, survey=before, group=group)
    ResponseFactory.with_answers({"sip_template_known": ["yes"]}, survey=after, group=group)

    report = build_report(after)
    result = next(r for r in report.questions if r.code == "sip_template_known")

    assert report.previous_year == 2090
    rows = {row["code"]: row for row in result.rows}
    assert rows["yes"]["share"] == 1.0 and rows["yes"]["previous_share"] == 0.0
    assert rows["no"]["previous_count"] == 1


def test_the_json_command_prints_the_shape_the_issue_names(answered):
    out = io.StringIO()
    call_command("followup_report", "--year", str(answered.year), "--format", "json", stdout=out)

    data = json.loads(out.getvalue())
    assert set(data) == {"year", "responses", "coverage", "questions"}
    assert set(data["coverage"]) == {
        "municipalities",
        "districts",
        "participants",
        "missing_groups",
    }
    assert set(data["questions"]["group_exists"]) == {"counts", "unanswered", "shares"}
    assert data["year"] == answered.year and data["responses"] == 4


def test_the_demo_years_have_a_report_with_responses(db):
    out = io.StringIO()
    call_command("followup_report", "--year", "2025", stdout=out)

    data = json.loads(out.getvalue())
    assert data["responses"] > 20
    assert data["coverage"]["participants"]["municipality"] > 0
    assert data["coverage"]["missing_groups"]


def test_the_pdf_contains_the_counts(answered, tmp_path):
    document = report_pdf(build_report(answered))
    path = tmp_path / "report.pdf"
    path.write_bytes(document.content)

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout

    assert document.content_type == "application/pdf"
    assert f"{answered.year}" in text
    assert "Södertälje/Salem" in text  # did not answer jointly
    assert "Danderyd" in text  # did not answer (draft only)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    # group_exists: 2 × yes (50 %), services: bup by 2 (100 %).
    assert any(" 2 50 %" in line for line in lines)
    assert any(" 2 100 %" in line for line in lines)


def test_the_secretariat_downloads_the_report_and_it_is_audited(answered, secretariat_client):
    url = reverse("followup:report_csv", kwargs={"year": answered.year})
    before = AuditEvent.objects.count()

    csv_response = secretariat_client.get(url)
    xlsx_response = secretariat_client.get(
        reverse("followup:report_xlsx", kwargs={"year": answered.year})
    )

    text = csv_response.content.decode("utf-8-sig")
    assert "group_exists;" in text and ";yes;" in text
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert len(workbook.sheetnames) == 4
    assert AuditEvent.objects.count() == before + 2


def test_the_report_page_shows_charts_and_tables(answered, bussam_client):
    response = bussam_client.get(reverse("followup:report", kwargs={"year": answered.year}))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<svg") >= 10
    assert "Rutin X" in content


def test_the_county_dashboard_draws_trends_of_reused_questions(bussam_client):
    response = bussam_client.get(reverse("followup:county_dashboard"))

    assert response.status_code == 200
    codes = [block["question"].code for block in response.context["question_trends"]]
    assert "group_exists" in codes and "deviation_rating" in codes
    block = response.context["question_trends"][0]
    assert block["years"][:2] == [2024, 2025]
