import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bus_portal.models import AuditEvent
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import Consent, Plan
from tests.conftest import client_for
from tests.sip.factories import ConsentFactory, GuardianFactory, ParticipantFactory, PlanFactory
from tests.sip.payloads import management, new_plan_post

pytestmark = pytest.mark.django_db


def demo_plan(number=DRAFT_CHILD) -> Plan:
    return Plan.objects.get(child__personal_number=number)


def test_officer_drafts_a_plan_with_rows(officer_client):
    response = officer_client.post(reverse("sip:plan_create"), new_plan_post())
    assert response.status_code == 302
    plan = Plan.objects.get(child__first_name="Mira")
    assert plan.local_group.name == "Täby"
    assert plan.child.personal_number == "201502287632"
    measure = plan.measures.get()
    assert measure.principal.name == "Region Stockholm"  # taken from the unit
    assert AuditEvent.objects.filter(subject=plan.child.audit_subject, action="create").exists()


def test_a_failed_save_keeps_input_and_shows_the_summary(officer_client):
    response = officer_client.post(
        reverse("sip:plan_create"),
        new_plan_post(question="", personal_number="121212-1213"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="error-summary"' in body
    assert 'href="#id_question"' in body
    assert 'href="#id_personal_number"' in body
    assert "Eva Provsson" in body and "Samtal" in body


def test_a_draft_is_saved_without_the_principal_with_overall_responsibility(officer_client):
    response = officer_client.post(reverse("sip:plan_create"), new_plan_post(overall_principal=""))
    assert response.status_code == 302
    plan = Plan.objects.get(child__first_name="Mira")
    assert plan.overall_principal is None
    # Still required to agree the plan.
    assert "id_overall_principal" in [anchor for anchor, _text in plan.missing_for_agreement()]


def test_add_row_without_javascript_keeps_input_and_adds_a_row(officer_client):
    response = officer_client.post(reverse("sip:plan_create"), new_plan_post(add_row="measures"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="measures-TOTAL_FORMS" value="2"' in body
    assert "Samtal" in body and 'id="error-summary"' not in body
    assert not Plan.objects.filter(child__first_name="Mira").exists()


def test_stale_edit_is_refused_via_the_form_and_input_stays(officer_client):
    plan = demo_plan()
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    form = officer_client.get(url).context["form"]
    participants = officer_client.get(url).context["participants"]
    measures = officer_client.get(url).context["measures"]

    def payload(question):
        data = {}
        for f in (form,):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if value is None:
                    continue
                if hasattr(value, "pk"):
                    value = value.pk
                data[name] = value
        for key, value in form.instance.__dict__.items():
            if key in form.fields and key not in data and value is not None:
                data[key] = value
        data["overall_principal"] = plan.overall_principal_id
        for fs in (participants, measures):
            data.update(management(fs.prefix, len(fs.initial), len(fs.initial)))
            for i, row in enumerate(fs.initial):
                for key, value in row.items():
                    if value is not None:
                        data[f"{fs.prefix}-{i}-{key}"] = value
        data["question"] = question
        data["no_measures_by_others"] = ""
        return {k: v for k, v in data.items() if v != "" and v is not False}

    first = officer_client.post(url, payload("Saras version"))
    assert first.status_code == 302, first.context["form"].errors
    second = client_for("officer2").post(url, payload("Jonas version"))
    assert second.status_code == 409
    body = second.content.decode()
    assert "Saras version" in body  # what the other save contains
    assert "Jonas version" in body  # the user's own input stays in the form
    plan.refresh_from_db()
    assert plan.question == "Saras version"


def test_participating_unit_without_consent_sees_no_content(officer2):
    plan = PlanFactory()
    GuardianFactory(child=plan.child)
    ParticipantFactory(plan=plan)
    client = client_for("officer2")
    url = reverse("sip:plan_detail", kwargs={"pk": plan.pk})
    response = client.get(url)
    assert response.status_code == 403
    assert plan.question not in response.content.decode()
    assert plan.child.first_name not in response.content.decode()
    ConsentFactory(plan=plan)
    assert client.get(url).status_code == 200


def test_withdrawal_takes_effect_at_once(officer_client):
    plan = demo_plan()
    url = reverse("sip:plan_detail", kwargs={"pk": plan.pk})
    officer2 = client_for("officer2")
    assert officer2.get(url).status_code == 200
    consent = plan.consents.filter(person=Consent.Person.GUARDIAN_2).get()
    response = officer_client.post(
        reverse("sip:consent_withdraw", kwargs={"pk": consent.pk}), {"withdrawn_by": "Johan"}
    )
    assert response.status_code == 302
    assert officer2.get(url).status_code == 403
    assert officer2.get(reverse("sip:plan_pdf", kwargs={"pk": plan.pk})).status_code == 403
    assert officer_client.get(url).status_code == 200


def test_outsider_gets_404_on_taby_plans(outsider_client):
    plan = demo_plan(AGREED_CHILD)
    for name in ("sip:plan_detail", "sip:plan_pdf", "sip:plan_fhir", "sip:my_plan"):
        assert outsider_client.get(reverse(name, kwargs={"pk": plan.pk})).status_code == 404


def test_reads_and_exports_are_audited_for_the_chiefs_log(officer_client, chief_client):
    plan = demo_plan(AGREED_CHILD)
    before = AuditEvent.objects.filter(subject=plan.child.audit_subject).count()
    officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk}))
    officer_client.get(reverse("sip:plan_pdf", kwargs={"pk": plan.pk}))
    officer_client.get(reverse("sip:plan_fhir", kwargs={"pk": plan.pk}))
    actions = list(
        AuditEvent.objects.filter(subject=plan.child.audit_subject)
        .order_by("-id")
        .values_list("action", flat=True)[:3]
    )
    assert actions == ["export", "print", "view"]
    assert AuditEvent.objects.filter(subject=plan.child.audit_subject).count() == before + 3
    log = chief_client.get(reverse("access_log"))
    assert str(plan) in log.content.decode()
    detail = chief_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk}))
    assert 'id="history-title"' in detail.content.decode()


def test_plan_list_has_a_constant_query_count(officer_client, django_assert_max_num_queries):
    url = reverse("sip:plan_list")
    officer_client.get(url)
    with django_assert_max_num_queries(20) as small:
        officer_client.get(url)
    for _ in range(5):
        plan = PlanFactory()
        ParticipantFactory(plan=plan)
        ConsentFactory(plan=plan)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = officer_client.get(url)
    assert response.status_code == 200


def test_agree_page_lists_what_is_missing_with_links(officer_client):
    plan = PlanFactory()
    response = officer_client.get(reverse("sip:plan_agree", kwargs={"pk": plan.pk}))
    body = response.content.decode()
    assert f"/sip/{plan.pk}/redigera/#id_overall_principal" in body
    assert f"/sip/{plan.pk}/samtycke/" in body


def test_the_officer_sees_the_clocks_and_the_chief_the_countdown(officer_client, chief_client):
    plan = PlanFactory(need_noticed_on=timezone.localdate() - datetime.timedelta(days=25))
    body = officer_client.get(reverse("home")).content.decode()
    assert plan.number in body
    assert demo_plan(AGREED_CHILD).number in body  # follow-up due within 14 days
    chief_body = chief_client.get(reverse("home")).content.decode()
    assert "BIF-" in chief_body


def test_the_first_meeting_limit_is_configurable_per_local_group(officer_client):
    from sip.models import LocalRules
    from tests.sip.factories import taby_group

    plan = PlanFactory(need_noticed_on=timezone.localdate() - datetime.timedelta(days=25))
    assert "försenad" in officer_client.get(reverse("home")).content.decode()
    LocalRules.objects.create(local_group=taby_group(), first_meeting_days=30)
    body = officer_client.get(reverse("home")).content.decode()
    assert "25 / 30" in body
    assert plan.first_meeting_deadline() == plan.need_noticed_on + datetime.timedelta(days=30)


def test_the_list_audits_each_child_it_names(officer_client):
    plan = demo_plan(AGREED_CHILD)
    before = AuditEvent.objects.filter(subject=plan.child.audit_subject).count()
    officer_client.get(reverse("sip:plan_list"))
    assert AuditEvent.objects.filter(subject=plan.child.audit_subject).count() == before + 1


def test_local_group_is_a_required_choice_when_the_unit_has_no_area():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from agreements.models import Membership, Unit
    from bus_portal.roles import Role

    unit = Unit.objects.get(name="Habilitering Nordost")
    assert unit.area_id is None and unit.principal.area_id is None
    user = get_user_model().objects.create_user("habofficer", password="x" * 16, is_demo=True)
    Membership.objects.create(user=user, unit=unit, role=Role.CASE_OFFICER)
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("sip:plan_create"),
        new_plan_post(
            **{"participants-0-unit": "", "participants-0-kind": "family", "measures-0-unit": ""}
        ),
    )
    assert 'href="#id_local_group"' in response.content.decode()
    form_body = client.get(reverse("sip:plan_create")).content.decode()
    assert 'name="local_group"' in form_body
    # Taby officers never see the choice: their unit's area decides it.
    assert (
        'name="local_group"'
        not in client_for("officer").get(reverse("sip:plan_create")).content.decode()
    )


def test_an_evaluated_measure_is_not_offered_for_removal_and_removing_it_is_refused(
    officer_client, officer
):
    from sip import services
    from tests.sip.test_revision import edit_payload

    plan = demo_plan(AGREED_CHILD)  # its measures were evaluated at the follow-up
    services.start_revision(plan=plan, user=officer)
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    body = officer_client.get(url).content.decode()
    assert 'name="measures-0-DELETE"' not in body
    assert "Utvärderad vid en uppföljning: finns kvar i planen." in body
    evaluated = plan.measures.first()

    # A tick posted anyway is not a field of the row: the measure stays.
    data = edit_payload(officer_client, plan, **{"measures-0-DELETE": "on"})
    assert officer_client.post(url, data).status_code == 302
    assert plan.measures.filter(pk=evaluated.pk).exists()

    # A request leaving the row out is refused with a message, not silently ignored.
    data = edit_payload(officer_client, plan)
    total = int(data["measures-TOTAL_FORMS"])
    rows = [
        {k.split("-", 2)[2]: v for k, v in data.items() if k.startswith(f"measures-{i}-")}
        for i in range(1, total)
    ]
    data = {k: v for k, v in data.items() if not k.startswith("measures-")}
    data.update(management("measures", len(rows), len(rows)))
    for i, row in enumerate(rows):
        data.update({f"measures-{i}-{k}": v for k, v in row.items()})
    response = officer_client.post(url, data)
    assert response.status_code == 200
    assert "har utvärderats och kan inte tas bort" in response.content.decode()
    assert plan.measures.filter(pk=evaluated.pk).exists()


def test_a_draft_measure_can_still_be_removed(officer_client):
    from tests.sip.test_revision import edit_payload

    plan = demo_plan()
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    assert 'name="measures-0-DELETE"' in officer_client.get(url).content.decode()
    first = plan.measures.first()
    response = officer_client.post(
        url, edit_payload(officer_client, plan, **{"measures-0-DELETE": "on"})
    )
    assert response.status_code == 302
    assert not plan.measures.filter(pk=first.pk).exists()


def test_the_closing_reason_is_in_the_plan_pdf(officer_client):
    from django.template.loader import render_to_string
    from django.utils import translation

    from sip import documents

    plan = demo_plan(AGREED_CHILD)
    response = officer_client.post(
        reverse("sip:plan_close", kwargs={"pk": plan.pk}), {"reason": "Målen är nådda i skolan."}
    )
    assert response.status_code == 302
    plan = Plan.objects.get(pk=plan.pk)
    with translation.override("sv"):
        html = render_to_string("sip/pdf/plan.html", documents.plan_context(plan))
    assert "Skäl till avslut" in html and "Målen är nådda i skolan." in html


def test_plan_numbers_never_wrap_in_lists(officer_client):
    """At 320 px a squeezed column wrapped "SIP-3" as "SIP-" / "3"."""
    for url in (reverse("sip:plan_list"), reverse("home")):
        body = officer_client.get(url).content.decode()
        assert re.search(r'<td class="text-nowrap"><a href="[^"]+">SIP-\d+</a>', body), url
