import pytest

from sip import demo
from sip.identity import is_valid
from sip.models import Child, Consent, ForumCase, Plan

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_uses_valid_test_numbers():
    counts = (Child.objects.count(), Plan.objects.count(), ForumCase.objects.count())
    demo.seed()
    assert (Child.objects.count(), Plan.objects.count(), ForumCase.objects.count()) == counts
    for number in (demo.DRAFT_CHILD, demo.AGREED_CHILD, demo.FORUM_CHILD, demo.OVERDUE_CHILD):
        assert is_valid(number)


def test_demo_has_the_plans_and_cases_the_issue_asks_for():
    draft = Plan.objects.get(child__personal_number=demo.DRAFT_CHILD)
    assert draft.status == Plan.Status.DRAFT and draft.created_by.username == "officer"
    assert "BUP Täby öppenvård" in {p.unit.name for p in draft.participants.all() if p.unit}
    assert draft.consents.valid_on().count() == 2
    agreed = Plan.objects.get(child__personal_number=demo.AGREED_CHILD)
    assert agreed.status == Plan.Status.FOLLOW_UP and agreed.versions.count() == 2
    forum = ForumCase.objects.get(child__personal_number=demo.FORUM_CHILD)
    overdue = ForumCase.objects.get(child__personal_number=demo.OVERDUE_CHILD)
    assert forum.days_left() >= 0 > overdue.days_left()
    assert forum.raised_by.username == overdue.raised_by.username == "chief"
    assert Consent.objects.filter(forum_case=forum, form="written").exists()


def test_audit_subjects_cover_owner_participating_and_invited_units():
    from agreements.models import Unit
    from sip.access import audit_subjects_for_units

    taby = Unit.objects.get(principal__name="Täby kommun", name="Socialtjänst, barn och unga")
    bup = Unit.objects.get(name="BUP Täby öppenvård")
    nynashamn = Unit.objects.get(
        principal__name="Nynäshamns kommun", name="Socialtjänst, barn och unga"
    )
    every_child = {
        c.audit_subject
        for c in Child.objects.filter(
            personal_number__in=[
                demo.DRAFT_CHILD,
                demo.AGREED_CHILD,
                demo.FORUM_CHILD,
                demo.OVERDUE_CHILD,
            ]
        )
    }
    assert every_child <= set(audit_subjects_for_units([taby.pk]))
    assert every_child <= set(audit_subjects_for_units([bup.pk]))  # participant and invited
    assert not set(audit_subjects_for_units([nynashamn.pk])) & every_child
    assert set(audit_subjects_for_units([])) == set()
