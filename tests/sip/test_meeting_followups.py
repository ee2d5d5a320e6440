"""What the SIP meetings work left open: a measure's responsible person in the portal set on the
plan form (and reminded by the daily job over real SMTP), the family's agreement document
downloaded, a stale meeting edit merged three ways, and the reply form's wording."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bus_portal.audit import events_for
from bus_portal.inbox import items_for
from sip import confirmation_services, services
from sip.audit import Purpose
from sip.demo import AGREED_CHILD, DRAFT_CHILD
from sip.models import MeetingInvitation, Plan, PlanParticipant, SignOff, SipMeeting, SipReminder
from tests.conftest import client_for, demo_user
from tests.sip.payloads import form_payload

pytestmark = pytest.mark.django_db


def _plan(number: str) -> Plan:
    return Plan.objects.get(child__personal_number=number)


def _edit(client, plan: Plan):
    return client.get(reverse("sip:plan_edit", kwargs={"pk": plan.pk}))


def _first_measure_changes(context, **values) -> dict:
    return {f"measures-0-{name}": value for name, value in values.items()}


# -- 1. a measure's responsible person in the portal ------------------------------------------


def test_the_responsible_person_set_on_the_form_is_reminded_once_and_sees_it_in_the_inbox(
    officer_client, smtp_server
):
    officer2 = demo_user("officer2")
    officer2.email_digest = False
    officer2.save(update_fields=["email_digest"])
    plan = _plan(AGREED_CHILD)
    services.start_revision(plan=plan, user=demo_user("officer"))
    context = _edit(officer_client, plan).context
    offered = dict(context["measures"].forms[0].fields["responsible_user"].choices)
    assert officer2.pk in {getattr(k, "value", k) for k in offered}
    ends = timezone.localdate() + datetime.timedelta(days=3)
    data = form_payload(
        context,
        **_first_measure_changes(context, responsible_user=officer2.pk, ends_on=str(ends)),
    )
    response = officer_client.post(reverse("sip:plan_edit", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    measure = plan.measures.order_by("position", "id").first()
    assert measure.responsible_user == officer2 and measure.ends_on == ends

    page = officer_client.get(reverse("sip:plan_edit", kwargs={"pk": plan.pk}))
    assert str(page.context["measures"].forms[0]["responsible_user"].value()) == str(officer2.pk)

    call_command("run_daily")
    call_command("run_daily")  # twice a day: still one reminder
    reminders = SipReminder.objects.filter(measure=measure, user=officer2)
    assert reminders.count() == 1
    mails = [
        m
        for m in smtp_server.to(officer2.email)
        if "avslutas" in m["Subject"] or "slutar" in m["Subject"]
    ]
    assert len(mails) == 1
    text = smtp_server.text(mails[0])
    assert plan.number in text and plan.child.last_name not in text
    detail = reverse("sip:plan_detail", kwargs={"pk": plan.pk})
    inbox = [i for i in items_for(officer2) if i.url == detail]
    assert len(inbox) == 1 and inbox[0].due == ends


def test_the_plan_page_names_the_responsible_person_in_the_portal(officer_client):
    plan = _plan(DRAFT_CHILD)
    officer2 = demo_user("officer2")
    context = _edit(officer_client, plan).context
    data = form_payload(context, **_first_measure_changes(context, responsible_user=officer2.pk))
    assert (
        officer_client.post(reverse("sip:plan_edit", kwargs={"pk": plan.pk}), data).status_code
        == 302
    )
    html = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert f"I portalen: {officer2}" in html


@pytest.mark.parametrize("crafted", ["outsider", str(2**70), "-1", "abc", "9" * 40])
def test_a_crafted_responsible_person_is_a_form_error(officer_client, crafted):
    plan = _plan(DRAFT_CHILD)
    value = demo_user("outsider").pk if crafted == "outsider" else crafted
    context = _edit(officer_client, plan).context
    data = form_payload(context, **_first_measure_changes(context, responsible_user=value))
    response = officer_client.post(reverse("sip:plan_edit", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 200
    assert "responsible_user" in response.context["measures"].forms[0].errors
    assert not plan.measures.filter(responsible_user__isnull=False).exists()


def test_someone_of_a_unit_not_taking_part_is_refused_for_that_measure(officer_client):
    """Offered staff of a unit the form then removes from the plan: a row error, not saved."""
    plan = _plan(DRAFT_CHILD)
    officer2 = demo_user("officer2")
    context = _edit(officer_client, plan).context
    data = form_payload(context, **_first_measure_changes(context, responsible_user=officer2.pk))
    officer2_units = set(officer2.unit_ids_with_role("case_officer", "unit_chief"))
    # Remove every participant of officer2's units and move the measure to the owner's unit.
    for index, form in enumerate(context["participants"].forms):
        if form["unit"].value() and int(form["unit"].value()) in officer2_units:
            data[f"participants-{index}-DELETE"] = "on"
    data["measures-0-unit"] = str(plan.owner_unit_id)
    data["measures-0-principal"] = str(plan.owner_unit.principal_id)
    if plan.owner_unit_id in officer2_units:
        pytest.skip("officer2 works in the drafting unit in this demo")
    response = officer_client.post(reverse("sip:plan_edit", kwargs={"pk": plan.pk}), data)
    assert response.status_code == 200
    assert "responsible_user" in response.context["measures"].forms[0].errors


def test_a_stale_plan_save_merges_the_responsible_person(officer_client, officer2_client):
    plan = _plan(DRAFT_CHILD)
    officer2 = demo_user("officer2")
    mine, theirs = _edit(officer_client, plan).context, _edit(officer2_client, plan).context
    first = form_payload(theirs, **_first_measure_changes(theirs, responsible_user=officer2.pk))
    url = reverse("sip:plan_edit", kwargs={"pk": plan.pk})
    assert officer2_client.post(url, first).status_code == 302
    refused = officer_client.post(url, form_payload(mine, question="Min nya fråga"))
    assert refused.status_code == 409
    body = refused.content.decode()
    assert f"i portalen: {officer2}" in body  # what the other person changed
    merged = refused.context["measures"].forms[0]["responsible_user"].value()
    assert str(merged) == str(officer2.pk)


# -- 2. the family's agreement document --------------------------------------------------------


def _record_document(plan: Plan) -> SignOff:
    family = plan.participants.get(kind=PlanParticipant.Kind.FAMILY)
    pdf = SimpleUploadedFile("mitt-namn.pdf", b"%PDF-1.4 avtal", content_type="text/html")
    return confirmation_services.record_family_agreement(
        plan=plan, user=demo_user("officer"), participant=family, method="document", document=pdf
    )


def test_the_family_agreement_document_is_downloaded_by_those_who_read_the_plan(
    officer_client,
):
    plan = _plan(AGREED_CHILD)
    signoff = _record_document(plan)
    url = reverse("sip:family_agreement_document", kwargs={"pk": plan.pk, "signoff": signoff.pk})
    html = officer_client.get(reverse("sip:plan_detail", kwargs={"pk": plan.pk})).content.decode()
    assert url in html
    for username in ("officer", "chief"):
        response = client_for(username).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"  # checked, not the browser's
        assert response["X-Content-Type-Options"] == "nosniff"
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment") and "mitt-namn" not in disposition
        assert b"".join(response.streaming_content) == b"%PDF-1.4 avtal"
    reads = events_for(plan).filter(purpose=Purpose.FAMILY_AGREEMENT_READ)
    assert reads.count() == 2 and reads.first().changes == {"signoff": signoff.pk}
    assert client_for("outsider").get(url).status_code == 404


def test_a_signoff_of_another_plan_or_without_a_document_is_404(officer_client):
    plan, other = _plan(AGREED_CHILD), _plan(DRAFT_CHILD)
    signoff = _record_document(plan)
    wrong_plan = reverse(
        "sip:family_agreement_document", kwargs={"pk": other.pk, "signoff": signoff.pk}
    )
    assert officer_client.get(wrong_plan).status_code == 404
    login = SignOff.objects.filter(version__plan=plan, method="login").first()
    url = reverse("sip:family_agreement_document", kwargs={"pk": plan.pk, "signoff": login.pk})
    assert officer_client.get(url).status_code == 404


# -- 3. a stale meeting edit ---------------------------------------------------------------------


def _meeting() -> SipMeeting:
    return SipMeeting.objects.filter(plan=_plan(DRAFT_CHILD)).order_by("id").first()


def _meeting_form(client, meeting: SipMeeting):
    url = reverse("sip:meeting_edit", kwargs={"pk": meeting.plan_id, "meeting": meeting.pk})
    context = client.get(url).context
    data = {}
    for bound in context["form"]:
        value = bound.value()
        if value not in (None, "", []):
            data[bound.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    for name in ("starts", "ends"):
        value = context["form"][name].value()
        data[name] = value.strftime("%H:%M") if hasattr(value, "strftime") else value
    return url, data


def test_a_stale_meeting_save_shows_their_change_and_keeps_both(
    officer_client, officer2_client, smtp_server
):
    meeting = _meeting()
    url, theirs = _meeting_form(officer2_client, meeting)
    _url, mine = _meeting_form(officer_client, meeting)
    school_user_count = MeetingInvitation.objects.filter(meeting=meeting).count()
    # officer2 moves it to another room; officer meanwhile moves it an hour later and invites
    # an external person.
    assert officer2_client.post(url, {**theirs, "place": "Rum 7"}).status_code == 302
    sent_before = len(smtp_server.messages)
    refused = officer_client.post(
        url, {**mine, "starts": "11:00", "ends": "12:00", "externals": "Ext Person, ext@example.se"}
    )
    assert refused.status_code == 409
    body = refused.content.decode()
    assert 'id="stale-warning"' in body and "Rum 7" in body
    # Nothing saved or sent for the stale form.
    assert MeetingInvitation.objects.filter(meeting=meeting).count() == school_user_count
    assert len(smtp_server.messages) == sent_before
    merged = refused.context["form"]
    assert merged["place"].value() == "Rum 7"  # theirs kept
    assert merged["starts"].value() == "11:00"  # mine on top
    assert "ext@example.se" in merged["externals"].value()
    your_rows = {row["label"] for row in refused.context["your_changes"]}
    assert {"Börjar", "Slutar"} <= your_rows
    # Saving the merged form keeps both.
    data = {}
    for bound in merged:
        value = bound.value()
        if value not in (None, "", []):
            data[bound.html_name] = value
    assert officer_client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Rum 7"
    assert timezone.localtime(meeting.starts_at).hour == 11
    assert meeting.invitations.filter(email="ext@example.se").exists()


def test_two_stale_meeting_forms_edited_the_same_field_show_a_conflict(
    officer_client, officer2_client
):
    meeting = _meeting()
    url, theirs = _meeting_form(officer2_client, meeting)
    _url, mine = _meeting_form(officer_client, meeting)
    assert officer2_client.post(url, {**theirs, "place": "Rum 7"}).status_code == 302
    refused = officer_client.post(url, {**mine, "place": "Rum 9"})
    assert refused.status_code == 409
    assert refused.context["conflicts"] == 1
    assert refused.context["form"]["place"].value() == "Rum 9"
    # The stale form sent again is still refused: it never overwrites unseen.
    assert officer_client.post(url, {**mine, "place": "Rum 9"}).status_code == 409
    # A tampered base shows every difference, no 500.
    response = officer_client.post(url, {**mine, "base": "x" * 500, "place": "Rum 9"})
    assert response.status_code == 409


# -- 4. the reply page ---------------------------------------------------------------------------


def test_the_reply_form_offers_what_one_answers_and_names_the_answer_once(officer2_client):
    invitation = MeetingInvitation.objects.get(
        meeting=_meeting(), kind="user", user=demo_user("officer2")
    )
    url = reverse(
        "sip:invitation_reply",
        kwargs={"pk": invitation.meeting.plan_id, "invitation": invitation.pk},
    )
    html = officer2_client.get(url).content.decode()
    assert "Tacka ja – jag kommer" in html and "Tacka nej – jag kan inte komma" in html
    assert html.count("Ditt svar") == 1
    officer2_client.post(url, {"answer": "accepted"})
    html = officer2_client.get(url).content.decode()
    assert "Tackat ja" in html  # the status afterwards stays in the past tense
