"""One child, one record: a new plan or forum case for a child the portal has uses its record.

The number typed (or, for a protected identity, the recorded child chosen) finds the record; the
form comes back with the record's details, the child's other plans and a warning for an active
one; the next save links the plan to that record. The database keeps one child per number.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from bus_portal.models import AuditAction, AuditEvent
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, FORUM_CHILD
from sip.models import Child, ForumCase, Guardian, Plan
from tests.sip.factories import ChildFactory, GuardianFactory, PlanFactory, taby_bup
from tests.sip.payloads import edit_payload, new_plan_post
from tests.sip.test_double_submits import forum_post

pytestmark = pytest.mark.django_db


def resend(response) -> dict:
    """What the browser sends when the user saves the form the response shows, untouched."""
    return dict(response.context["form"].data.lists())


def test_a_new_plan_for_a_recorded_child_shows_the_record_first(officer_client):
    noah = Child.objects.get(personal_number=AGREED_CHILD)
    guardians = list(noah.guardians.values_list("name", flat=True))
    agreed = Plan.objects.get(child=noah)
    plans_before = Plan.objects.count()
    data = new_plan_post(
        personal_number="140622-9821",
        child_first_name="Noa",  # a typo: the record's name wins
        guardian1_name="Någon Annan",
    )

    shown = officer_client.post(reverse("sip:plan_create"), data)

    assert shown.status_code == 200
    assert Plan.objects.count() == plans_before
    body = shown.content.decode()
    assert "Barnet finns redan i portalen" in body
    form = shown.context["form"]
    assert form["child_first_name"].value() == "Noah"
    assert form["guardian1_name"].value() == guardians[0]
    assert form["confirmed_child"].value() == str(noah.pk)
    # The active plan is named, with a link, and a warning.
    assert 'id="active-plan-warning"' in body
    assert f'href="{agreed.get_absolute_url()}"' in body
    # Showing the record is a read of the child's data.
    row = AuditEvent.objects.filter(purpose=Purpose.CHILD_RECORD_SHOWN).get()
    assert row.subject == noah.audit_subject and row.action == AuditAction.VIEW
    assert "Noah" not in row.object_repr

    saved = officer_client.post(reverse("sip:plan_create"), resend(shown))

    assert saved.status_code == 302
    plan = Plan.objects.latest("pk")
    assert plan.child_id == noah.pk and plan.pk != agreed.pk
    assert Child.objects.filter(personal_number=AGREED_CHILD).count() == 1
    assert list(noah.guardians.values_list("name", flat=True)) == guardians


def test_a_user_outside_the_childs_plans_sees_the_record_but_not_the_plans(outsider_client):
    noah = Child.objects.get(personal_number=AGREED_CHILD)
    agreed = Plan.objects.get(child=noah)
    from agreements.models import Unit

    unit = Unit.objects.get(name="BUP Täby öppenvård")
    data = new_plan_post(personal_number=AGREED_CHILD, overall_principal="")
    # The outsider's own local group: no unit or principal of Täby on the form.
    data = {k: v for k, v in data.items() if not k.startswith(("participants-0", "measures-0"))}
    data.update({"participants-TOTAL_FORMS": "0", "measures-TOTAL_FORMS": "0"})
    assert str(unit.pk) not in data.values()

    shown = outsider_client.post(reverse("sip:plan_create"), data)

    assert not shown.context["form"].errors
    body = shown.content.decode()
    assert shown.status_code == 200 and "Barnet finns redan i portalen" in body
    assert agreed.get_absolute_url() not in body and agreed.number not in body
    assert "planer hos enheter där du inte deltar" in body


def test_a_protected_child_is_matched_only_by_explicit_choice(officer_client):
    hidden = ChildFactory(
        first_name="Skyddad", last_name="Barnsson", personal_number="", protected_identity=True
    )
    GuardianFactory(child=hidden, name="Skyddad Vårdnadshavare")
    PlanFactory(child=hidden)  # drafted by the officer's unit
    elsewhere = ChildFactory(personal_number="", protected_identity=True)
    PlanFactory(child=elsewhere, owner_unit=taby_bup())
    form_page = officer_client.get(reverse("sip:plan_create")).content.decode()
    assert "Skyddad Barnsson" in form_page and elsewhere.last_name not in form_page

    # Typed the same way but not chosen: a new child.
    typed = new_plan_post(
        personal_number="",
        protected_identity="on",
        child_first_name="Skyddad",
        child_last_name="Barnsson",
    )
    assert officer_client.post(reverse("sip:plan_create"), typed).status_code == 302
    assert Child.objects.filter(last_name="Barnsson").count() == 2

    # Chosen: the record is shown (names need not be typed), then used.
    chosen = new_plan_post(
        personal_number="",
        child_first_name="",
        child_last_name="",
        guardian1_name="",
        protected_child=str(hidden.pk),
    )
    shown = officer_client.post(reverse("sip:plan_create"), chosen)
    assert shown.status_code == 200
    assert shown.context["form"]["guardian1_name"].value() == "Skyddad Vårdnadshavare"
    assert officer_client.post(reverse("sip:plan_create"), resend(shown)).status_code == 302
    assert Plan.objects.filter(child=hidden).count() == 2

    # A protected child of another unit cannot be chosen, even by a crafted request.
    crafted = new_plan_post(personal_number="", protected_child=str(elsewhere.pk))
    refused = officer_client.post(reverse("sip:plan_create"), crafted)
    assert refused.status_code == 200 and "protected_child" in refused.context["form"].errors
    assert not Plan.objects.filter(child=elsewhere, owner_unit__name__startswith="Social").exists()


def test_a_number_and_a_chosen_child_together_are_refused(officer_client):
    hidden = ChildFactory(personal_number="", protected_identity=True)
    PlanFactory(child=hidden)
    data = new_plan_post(protected_child=str(hidden.pk))
    response = officer_client.post(reverse("sip:plan_create"), data)
    assert response.status_code == 200
    assert "inte båda" in response.content.decode()


def test_an_edit_to_another_childs_number_is_refused_with_a_message(officer_client):
    plan = PlanFactory()
    other = ChildFactory()
    data = edit_payload(officer_client, plan, personal_number=other.personal_number)
    response = officer_client.post(reverse("sip:plan_edit", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 200
    assert "Ett annat barn i portalen har detta personnummer" in response.content.decode()
    plan.child.refresh_from_db()
    assert plan.child.personal_number != other.personal_number


def test_a_forum_case_for_a_recorded_child_uses_the_record(chief_client):
    alma = Child.objects.get(personal_number=FORUM_CHILD)
    cases = ForumCase.objects.filter(child=alma).count()
    shown = chief_client.post(
        reverse("sip:forum_create"), forum_post() | {"personal_number": FORUM_CHILD}
    )
    assert shown.status_code == 200 and "Barnet finns redan i portalen" in shown.content.decode()
    assert chief_client.post(reverse("sip:forum_create"), resend(shown)).status_code == 302
    assert ForumCase.objects.filter(child=alma).count() == cases + 1
    assert Child.objects.filter(personal_number=FORUM_CHILD).count() == 1


def test_the_database_keeps_one_child_per_number():
    number = Child.objects.get(personal_number=AGREED_CHILD).personal_number
    with pytest.raises(IntegrityError), transaction.atomic():
        Child.objects.create(first_name="Dubbel", last_name="Barn", personal_number=number)
    # Children with protected identity have no number; any number of them may exist.
    for _ in range(2):
        ChildFactory(personal_number="", protected_identity=True)


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_children_recorded_twice(demo_county):
    before, after = (
        ("sip", "0009_audit_rows_without_content"),
        ("sip", "0010_one_child_per_identity_number"),
    )
    executor = MigrationExecutor(connection)
    executor.migrate([before])
    old = executor.loader.project_state(before).apps
    OldChild, OldGuardian = old.get_model("sip", "Child"), old.get_model("sip", "Guardian")
    OldForumCase, OldAuditEvent = (
        old.get_model("sip", "ForumCase"),
        old.get_model("bus_portal", "AuditEvent"),
    )
    kept = OldChild.objects.get(personal_number=FORUM_CHILD)
    kept_guardians = set(OldGuardian.objects.filter(child=kept).values_list("position", "name"))
    twice = OldChild.objects.create(
        first_name="Alma", last_name="Dubblett", personal_number=FORUM_CHILD
    )
    OldGuardian.objects.create(child=twice, position=1, name="Dropped Guardian")
    OldGuardian.objects.create(child=twice, position=2, name="Kept Guardian")
    case = OldForumCase.objects.filter(child=kept).first()
    OldForumCase.objects.filter(pk=case.pk).update(child=twice)
    ContentType = old.get_model("contenttypes", "ContentType")
    OldAuditEvent.objects.create(
        action="view",
        content_type=ContentType.objects.get(app_label="sip", model="forumcase"),
        object_id=str(case.pk),
        object_repr=f"BIF-{case.pk}",
        subject=f"sip.child:{twice.pk}",
    )

    executor = MigrationExecutor(connection)
    executor.migrate([after])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Child.objects.filter(personal_number=FORUM_CHILD).count() == 1
    assert not Child.objects.filter(pk=twice.pk).exists()
    assert ForumCase.objects.get(pk=case.pk).child_id == kept.pk
    positions = set(Guardian.objects.filter(child_id=kept.pk).values_list("position", "name"))
    expected = kept_guardians | ({(2, "Kept Guardian")} if 2 not in dict(kept_guardians) else set())
    assert positions == expected
    assert not AuditEvent.objects.filter(subject=f"sip.child:{twice.pk}").exists()


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc", "1e5", "\x00", "9" * 5000])
def test_odd_values_in_the_childs_hidden_and_choice_fields_are_refused_not_a_500(
    officer_client, value
):
    hidden = ChildFactory(personal_number="", protected_identity=True)
    PlanFactory(child=hidden)
    plans = Plan.objects.count()
    data = new_plan_post(personal_number="", protected_child=value, confirmed_child=value)
    response = officer_client.post(reverse("sip:plan_create"), data)
    assert response.status_code == 200
    assert Plan.objects.count() == plans
