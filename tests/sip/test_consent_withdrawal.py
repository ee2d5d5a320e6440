"""Withdrawing a consent tells the units taking part that sharing has stopped: a notice on the page
and an e-mail with the number and a link only, never the child's data."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from agreements.models import Membership, Principal
from bus_portal.links import absolute_url
from bus_portal.models import OutboundMessage
from bus_portal.roles import Role
from sip import consent_services
from sip.demo import DRAFT_CHILD, FORUM_CHILD
from sip.models import Consent, ForumCase, Plan
from sip.models.consent import withdrawal_notices
from sip.tasks import send_consent_withdrawn_email
from tests.sip.factories import (
    ConsentFactory,
    GuardianFactory,
    PlanFactory,
    taby_bup,
    taby_social,
)

pytestmark = pytest.mark.django_db

BOTH = "Region Stockholm, Täby kommun"


def _user(username, unit, role, **membership):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="x"
    )
    Membership.objects.create(user=user, unit=unit, role=role, **membership)
    return user


@pytest.fixture
def plan():
    return Plan.objects.get(child__personal_number=DRAFT_CHILD)


@pytest.fixture
def colleague():
    """A second case officer in the drafting unit (the one withdrawing knows already)."""
    return _user("colleague", taby_social(), Role.CASE_OFFICER)


def _withdraw(client, consent, who="Maria Lindqvist"):
    return client.post(
        reverse("sip:consent_withdraw", kwargs={"pk": consent.pk}), {"withdrawn_by": who}
    )


def _personal_data(child) -> list[str]:
    return [
        child.first_name,
        child.last_name,
        child.personal_number,
        child.formatted_number,
        *(g.name for g in child.guardians.all()),
    ]


def test_withdrawal_emails_the_case_officers_of_every_unit_taking_part(
    officer_client, officer2, colleague, plan
):
    # Not told: a chief (plans are the case officers'), an officer whose membership has ended,
    # and an officer of a unit that does not take part.
    _user("chief2", taby_bup(), Role.UNIT_CHIEF)
    _user(
        "former",
        taby_bup(),
        Role.CASE_OFFICER,
        valid_to=timezone.localdate() - datetime.timedelta(1),
    )
    _user("elsewhere", Membership.objects.get(user__username="outsider").unit, Role.CASE_OFFICER)
    consent = plan.consents.get(person="guardian_1")

    response = _withdraw(officer_client, consent)

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer2.email, colleague.email])
    # Through the outbox, at once whatever the recipients chose: sharing has stopped now.
    stored = OutboundMessage.objects.filter(source=f"sip.consent:{consent.pk}")
    assert stored.count() == 2 and not stored.filter(sent_at=None).exists()
    assert not stored.filter(digest=True).exists()
    for message in mail.outbox:
        assert plan.number in message.subject
        assert "delningen har upphört" in message.subject
        today = timezone.localdate().isoformat()
        assert f"Ett samtycke för {plan.number} återkallades {today}." in message.body
        assert f"Uppgifter får inte längre delas med: {BOTH}." in message.body
        assert absolute_url("sip:plan_detail", pk=plan.pk) in message.body
        text = message.subject + message.body
        for personal in _personal_data(plan.child):
            assert personal not in text, personal


def test_the_participating_unit_sees_why_it_no_longer_sees_the_plan(officer_client, plan):
    from tests.conftest import client_for

    officer2 = client_for("officer2")
    assert officer2.get(plan.get_absolute_url()).status_code == 200
    _withdraw(officer_client, plan.consents.get(person="guardian_2"), who="Johan Lindqvist")

    refused = officer2.get(plan.get_absolute_url())

    assert refused.status_code == 403
    page = refused.content.decode()
    today = timezone.localdate().isoformat()
    assert f"Samtycket återkallades {today}: uppgifter får inte längre delas med {BOTH}." in page
    assert plan.child.first_name not in page


def test_the_notice_is_an_include_for_the_plan_and_case_pages(officer, plan):
    template = Template("{% load sip_consent %}{% consent_withdrawn_notice obj %}")
    assert template.render(Context({"obj": plan})).strip() == ""
    consent_services.withdraw_consent(
        consent=plan.consents.get(person="guardian_1"), user=officer, withdrawn_by="Maria"
    )
    html = template.render(Context({"obj": Plan.objects.get(pk=plan.pk)}))
    assert 'class="alert alert-warning consent-withdrawn"' in html
    assert "uppgifter får inte längre delas med Region Stockholm, Täby kommun." in html


def test_no_notice_or_email_when_another_consent_still_covers_the_principals(officer):
    plan = PlanFactory()
    GuardianFactory(child=plan.child, position=1)
    ConsentFactory(plan=plan, person=Consent.Person.CHILD, child_is_mature=True)
    guardian = ConsentFactory(plan=plan, person=Consent.Person.GUARDIAN_1)
    plan.participants.create(kind="unit", unit=taby_bup(), name="Jonas Vikander")

    consent_services.withdraw_consent(consent=guardian, user=officer, withdrawn_by="Vera")

    assert mail.outbox == []
    assert withdrawal_notices(Plan.objects.get(pk=plan.pk)) == []


def test_a_new_consent_ends_the_notice(officer, plan):
    principals = list(Principal.objects.filter(name__in=["Täby kommun", "Region Stockholm"]))
    consent_services.withdraw_consent(
        consent=plan.consents.get(person="guardian_1"), user=officer, withdrawn_by="Maria"
    )
    assert [n.principals for n in withdrawal_notices(plan)] == [sorted(p.name for p in principals)]
    consent_services.record_consent(
        user=officer,
        purpose=plan,
        person="guardian_1",
        person_name="Maria Lindqvist",
        principals=principals,
        given_on=timezone.localdate(),
        form="recorded",
    )
    assert withdrawal_notices(Plan.objects.get(pk=plan.pk)) == []


def test_forum_case_withdrawal_tells_the_raising_and_invited_units(chief_client, officer, officer2):
    case = ForumCase.objects.get(child__personal_number=FORUM_CHILD)
    consent = case.consents.get()

    assert _withdraw(chief_client, consent, who="Vårdnadshavare Holm").status_code == 302

    # The chief who withdrew knows; forum cases are run by chiefs, so chiefs are told as well.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, officer2.email])
    body = mail.outbox[0].body
    assert case.number in body and absolute_url("sip:forum_detail", pk=case.pk) in body
    for personal in _personal_data(case.child):
        assert personal not in body


def test_the_task_sends_nothing_once_sharing_is_covered_again(officer, officer2, plan):
    consent = plan.consents.get(person="guardian_1")
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=timezone.localdate())
    assert send_consent_withdrawn_email.call(consent.pk, officer2.pk) is True
    Consent.objects.filter(pk=consent.pk).update(withdrawn_on=None)
    assert send_consent_withdrawn_email.call(consent.pk, officer2.pk) is False
    assert send_consent_withdrawn_email.call(0, officer2.pk) is False
    assert len(mail.outbox) == 1
