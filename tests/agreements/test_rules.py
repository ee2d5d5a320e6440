"""Meeting rules at term boundaries, chair alternation, same chair, required representation."""

import datetime

import pytest

from agreements import rules
from agreements.models import Body, Term
from tests.agreements.factories import (
    BodyFactory,
    BodyMemberFactory,
    MeetingFactory,
    PrincipalFactory,
    UnitFactory,
)

D = datetime.date


@pytest.mark.parametrize(
    ("date", "code"),
    [
        (D(2025, 1, 1), "VT2025"),
        (D(2025, 6, 30), "VT2025"),
        (D(2025, 7, 1), "HT2025"),
        (D(2025, 12, 31), "HT2025"),
        (D(2026, 1, 1), "VT2026"),
    ],
)
def test_terms_split_at_the_turn_of_june_and_july(date, code):
    assert Term.of(date).code == code


def test_term_bounds_previous_next_and_parse():
    ht = Term(2025, 2)
    assert (ht.start, ht.end) == (D(2025, 7, 1), D(2025, 12, 31))
    assert ht.previous() == Term(2025, 1)
    assert Term(2025, 1).previous() == Term(2024, 2)
    assert ht.next() == Term(2026, 1)
    assert Term.parse("ht2025") == ht
    assert Term.parse("XX2025") is None
    assert D(2025, 6, 30) not in ht and D(2025, 7, 1) in ht


@pytest.mark.django_db
def test_a_meeting_on_june_30_counts_for_spring_not_autumn():
    body = BodyFactory(min_meetings_per_term=1)
    meetings = [MeetingFactory(body=body, held_on=D(2025, 6, 30))]
    assert rules.term_compliance(body, meetings, Term(2025, 1)).met
    autumn = rules.term_compliance(body, meetings, Term(2025, 2))
    assert not autumn.met and autumn.held == 0 and autumn.required == 1


@pytest.mark.django_db
def test_nynashamn_rule_needs_three_meetings_per_term():
    body = BodyFactory(min_meetings_per_term=3)
    meetings = [MeetingFactory(body=body, held_on=D(2025, m, 10)) for m in (8, 9)]
    assert not rules.term_compliance(body, meetings, Term(2025, 2)).met
    meetings.append(MeetingFactory(body=body, held_on=D(2025, 12, 31)))
    assert rules.term_compliance(body, meetings, Term(2025, 2)).met


@pytest.mark.django_db
def test_it_flags_the_same_principal_chairing_twice_in_a_row():
    body = BodyFactory()
    a, b = PrincipalFactory(), PrincipalFactory()
    chair_a = BodyMemberFactory(body=body, unit=UnitFactory(principal=a))
    chair_b = BodyMemberFactory(body=body, unit=UnitFactory(principal=b))
    first = MeetingFactory(body=body, held_on=D(2025, 2, 1), chair=chair_a, host_principal=a)
    second = MeetingFactory(body=body, held_on=D(2025, 9, 1), chair=chair_b, host_principal=b)
    third = MeetingFactory(body=body, held_on=D(2026, 2, 1), chair=chair_b, host_principal=b)
    assert rules.repeated_chairs([first, second]) == []
    assert rules.repeated_chairs([third, first, second]) == [third]


@pytest.mark.django_db
def test_without_a_named_chair_the_host_principal_chairs():
    body = BodyFactory()
    a = PrincipalFactory()
    meetings = [
        MeetingFactory(body=body, held_on=D(2025, 2, 1), host_principal=a),
        MeetingFactory(body=body, held_on=D(2025, 3, 1), host_principal=a),
    ]
    assert rules.repeated_chairs(meetings) == [meetings[1]]


@pytest.mark.django_db
def test_it_flags_different_principals_chairing_steering_and_working_group():
    steering = BodyFactory(kind=Body.Kind.STEERING)
    working = BodyFactory(kind=Body.Kind.WORKING, agreement=steering.agreement)
    a, b = PrincipalFactory(), PrincipalFactory()
    meetings = [
        MeetingFactory(body=steering, held_on=D(2025, 9, 1), host_principal=a),
        MeetingFactory(body=working, held_on=D(2025, 10, 1), host_principal=b),
    ]
    check = rules.same_chair_check([steering, working], meetings, Term(2025, 2))
    assert check.known and not check.met
    meetings.append(MeetingFactory(body=working, held_on=D(2025, 11, 1), host_principal=a))
    assert rules.same_chair_check([steering, working], meetings, Term(2025, 2)).met
    # Nothing to compare in a term without working-group meetings.
    assert not rules.same_chair_check([steering, working], meetings, Term(2025, 1)).known


def test_missing_services_names_each_required_service_not_present():
    assert (
        rules.missing_services(["social_services", "preschool", "bup", "habilitation", "bumm"])
        == []
    )
    assert rules.missing_services(["social_services", "student_health", "bup"]) == [
        "habilitation",
        "bumm",
    ]
    assert rules.missing_services([]) == [
        "social_services",
        "education",
        "bup",
        "habilitation",
        "bumm",
    ]
