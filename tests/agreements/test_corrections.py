"""Mistakes are corrected with a trail: who, when and what (by field codes), in the audit log and
on the agreement's page. What was shown to others as signed or published is not changed in place:
a signed revision gets a new revision, published minutes an addendum or a withdrawal."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from agreements import rules, services
from agreements.audit import Purpose
from agreements.models import (
    Agreement,
    Assignment,
    Attachment,
    Body,
    Meeting,
    MinutesAddendum,
    MinutesStatus,
    Party,
    PlanItem,
    Signatory,
    Term,
)
from agreements.services import assignment_notices
from bus_portal.models import AuditAction, AuditEvent
from tests.agreements.factories import (
    AssignmentFactory,
    BodyFactory,
    MeetingFactory,
    PartyFactory,
    PrincipalFactory,
    RevisionFactory,
    SignatoryFactory,
    region,
)
from tests.submissions import once

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def event(obj, purpose) -> AuditEvent:
    return AuditEvent.objects.get(
        object_id=str(obj.pk), content_type__model=obj._meta.model_name, purpose=purpose
    )


def taby() -> Agreement:
    return Agreement.objects.get(local_group__name="Täby")


def draft_revision_with_wrong_party(admin):
    """A new revision of Täby's agreement, with a party added by mistake."""
    revision = services.start_revision(agreement=taby(), user=admin)
    wrong = services.add_party(revision=revision, principal=PrincipalFactory(), user=admin)
    return revision, wrong


# Parties ------------------------------------------------------------------------------------


def test_a_party_added_by_mistake_is_removed_and_no_longer_blocks_signing(admin):
    revision, wrong = draft_revision_with_wrong_party(admin)
    assert not revision.__class__.objects.get(pk=revision.pk).can_sign()  # no signatory for it

    services.remove_party(party=wrong, user=admin)

    assert not Party.objects.filter(pk=wrong.pk).exists()
    fresh = revision.__class__.objects.get(pk=revision.pk)
    assert fresh.can_sign()
    row = event(wrong, Purpose.PARTY_REMOVED)
    assert (row.action, row.actor) == (AuditAction.DELETE, admin)
    assert row.changes["principal"] == [str(wrong.principal), ""]
    assert row.subject == services.agreement_subject(taby())
    for signatory in Signatory.objects.filter(party__revision=revision):
        services.sign(signatory=signatory, signed_on=TODAY, user=admin)
    assert Agreement.objects.with_details().get(pk=taby().pk).latest_revision.is_fully_signed


def test_a_party_is_not_removed_once_someone_has_signed(admin):
    revision, wrong = draft_revision_with_wrong_party(admin)
    SignatoryFactory(party=wrong)
    first = Signatory.objects.filter(party__revision=revision).exclude(party=wrong).first()
    services.sign(signatory=first, signed_on=TODAY, user=admin)
    with pytest.raises(services.RevisionLockedError):
        services.remove_party(party=wrong, user=admin)
    # Withdrawing the signature recorded meanwhile opens the way, with the reason kept.
    services.withdraw_signature(signatory=first, reason="Part fel tillagd", user=admin)
    services.remove_party(party=wrong, user=admin)
    withdrawn = event(first, Purpose.SIGNATURE_WITHDRAWN)
    assert withdrawn.changes == {
        "signed_on": [TODAY.isoformat(), ""],
        "reason": ["", "Part fel tillagd"],
    }


def test_a_signature_of_a_fully_signed_revision_is_not_withdrawn(admin):
    signatory = SignatoryFactory(signed_on=TODAY)
    with pytest.raises(services.SigningError):
        services.withdraw_signature(signatory=signatory, reason="Fel", user=admin)


def test_the_contact_person_is_corrected_even_on_a_signed_revision_and_audited(admin):
    party = taby().revisions.order_by("-number").first().parties.first()
    services.update_party(
        party=party,
        principal=None,
        contact_person="Ny Kontakt",
        contact_email="ny@example.se",
        expected_version=party.lock_version,
        user=admin,
    )
    party.refresh_from_db()
    assert party.contact_person == "Ny Kontakt"
    row = event(party, Purpose.PARTY_CORRECTED)
    assert set(row.changes) == {"contact_person", "contact_email"}
    assert row.changes["contact_person"][1] == "Ny Kontakt"


def test_which_principal_a_party_is_changes_only_before_signing(admin):
    signed_party = taby().revisions.order_by("-number").first().parties.first()
    with pytest.raises(services.RevisionLockedError):
        services.update_party(
            party=signed_party,
            principal=PrincipalFactory(),
            contact_person="",
            contact_email="",
            expected_version=signed_party.lock_version,
            user=admin,
        )
    revision, wrong = draft_revision_with_wrong_party(admin)
    right = PrincipalFactory(name="Rätt kommun")
    services.update_party(
        party=wrong, principal=right, contact_person="", contact_email="", user=admin
    )
    assert Party.objects.get(pk=wrong.pk).principal == right


def test_the_chair_removes_a_party_through_the_portal(chair_client, chair, admin):
    revision, wrong = draft_revision_with_wrong_party(admin)
    page = chair_client.get(reverse("agreements:agreement_detail", args=[taby().pk]))
    remove_url = reverse("agreements:party_remove", args=[wrong.pk])
    assert remove_url in page.content.decode()
    confirm = chair_client.get(remove_url)
    assert confirm.status_code == 200 and "Ta bort part" in confirm.content.decode()
    response = chair_client.post(remove_url)
    assert response.status_code == 302
    assert not Party.objects.filter(pk=wrong.pk).exists()
    trail = chair_client.get(reverse("agreements:agreement_detail", args=[taby().pk]))
    assert "Part borttagen" in trail.content.decode()


def test_an_outsider_cannot_remove_a_party(outsider_client, admin):
    _revision, wrong = draft_revision_with_wrong_party(admin)
    assert (
        outsider_client.post(reverse("agreements:party_remove", args=[wrong.pk])).status_code == 403
    )
    assert Party.objects.filter(pk=wrong.pk).exists()


# Signatories --------------------------------------------------------------------------------


def test_a_signatory_is_corrected_or_removed_until_they_have_signed(admin):
    signatory = SignatoryFactory(name="Fel Namn")
    services.update_signatory(signatory=signatory, name="Rätt Namn", title="Socialchef", user=admin)
    assert Signatory.objects.get(pk=signatory.pk).name == "Rätt Namn"
    assert event(signatory, Purpose.SIGNATORY_CORRECTED).changes["name"] == [
        "Fel Namn",
        "Rätt Namn",
    ]
    services.remove_signatory(signatory=signatory, user=admin)
    assert not Signatory.objects.filter(pk=signatory.pk).exists()
    signed = SignatoryFactory(signed_on=TODAY)
    with pytest.raises(services.SigningError):
        services.remove_signatory(signatory=signed, user=admin)
    with pytest.raises(services.SigningError):
        services.update_signatory(signatory=signed, name="X", title="", user=admin)


# The plan and attachments ---------------------------------------------------------------------


def test_a_plan_item_is_corrected_and_removed_with_a_trail(chair_client):
    item = PlanItem.objects.filter(agreement=taby(), meeting=None, kind="goal").first()
    url = reverse("agreements:plan_item_edit", args=[item.pk])
    context = chair_client.get(url).context
    data = {
        "year": item.year,
        "kind": "activity",
        "text": "Rättad aktivitet",
        "lock_version": context["form"]["lock_version"].value(),
        "base": context["form"]["base"].value(),
    }
    assert chair_client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.text) == ("activity", "Rättad aktivitet")
    assert set(event(item, Purpose.PLAN_ITEM_CORRECTED).changes) >= {"kind", "text"}
    assert (
        chair_client.post(reverse("agreements:plan_item_remove", args=[item.pk])).status_code == 302
    )
    assert not PlanItem.objects.filter(pk=item.pk).exists()
    assert event(item, Purpose.PLAN_ITEM_REMOVED).changes["text"] == ["Rättad aktivitet", ""]


def test_a_focus_area_from_a_meeting_is_corrected_through_the_meeting(admin):
    meeting = MeetingFactory()
    item = PlanItem.objects.create(
        agreement=meeting.body.agreement, year=2026, kind="focus_area", text="X", meeting=meeting
    )
    with pytest.raises(services.AgreementsError):
        services.remove_plan_item(item=item, user=admin)


def test_an_attachment_is_corrected_and_removed_with_its_file(
    chair_client, chair, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(
        agreement=taby(),
        kind="appendix",
        title="Fel bilaga",
        file=ContentFile(b"%PDF-1.4 fel", name="fel.pdf"),
        user=chair,
    )
    name, storage = attachment.file.name, attachment.file.storage
    services.update_attachment(
        attachment=attachment, kind="signed_scan", title="Rätt titel", revision=None, user=chair
    )
    assert Attachment.objects.get(pk=attachment.pk).title == "Rätt titel"
    assert set(event(attachment, Purpose.ATTACHMENT_CORRECTED).changes) == {"kind", "title"}
    with django_capture_on_commit_callbacks(execute=True):
        response = chair_client.post(reverse("agreements:attachment_remove", args=[attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(name)
    removed = event(attachment, Purpose.ATTACHMENT_REMOVED)
    assert removed.changes["title"] == ["Rätt titel", ""] and removed.actor == chair


# Meetings -----------------------------------------------------------------------------------


def test_a_draft_test_meeting_is_deleted_and_no_longer_counts_toward_the_term_rule(chief_client):
    body = Body.objects.get(agreement=taby(), name="Arbetsgrupp")
    term = Term.of(TODAY)
    test_meeting = MeetingFactory(body=body, held_on=TODAY, minutes="Test")
    held = Meeting.objects.counted().filter(body=body).in_term(term).count()
    url = reverse("agreements:meeting_delete", args=[test_meeting.pk])
    assert chief_client.get(url).status_code == 200
    response = chief_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:body_detail", args=[body.pk])
    assert not Meeting.objects.filter(pk=test_meeting.pk).exists()
    assert Meeting.objects.counted().filter(body=body).in_term(term).count() == held - 1
    row = event(test_meeting, Purpose.MEETING_DELETED)
    assert row.action == AuditAction.DELETE and row.changes["minutes"] == ["Test", ""]


def test_a_meeting_whose_assignment_has_been_acted_on_is_not_deleted(chair):
    meeting = MeetingFactory()
    AssignmentFactory(meeting=meeting, status="in_progress")
    with pytest.raises(services.MinutesError):
        services.delete_meeting(meeting=meeting, user=chair)


def test_published_minutes_are_withdrawn_not_deleted_and_stop_counting(chair, chair_client):
    body = BodyFactory(min_meetings_per_term=1)
    test_meeting = MeetingFactory(
        body=body,
        held_on=TODAY,
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=TODAY,
        checker_name="Test",
        published_at=timezone.now(),
    )
    assert rules.term_compliance(body, [test_meeting], Term.of(TODAY)).met
    with pytest.raises(services.MinutesError):
        services.delete_meeting(meeting=test_meeting, user=chair)
    services.withdraw_meeting(meeting=test_meeting, reason="Testmöte", user=chair)
    test_meeting.refresh_from_db()
    assert test_meeting.is_withdrawn and test_meeting.withdrawn_by == chair
    assert not rules.term_compliance(body, [test_meeting], Term.of(TODAY)).met
    assert not Meeting.objects.counted().filter(pk=test_meeting.pk).exists()
    assert event(test_meeting, Purpose.MEETING_WITHDRAWN).changes["withdrawal_reason"] == [
        "",
        "Testmöte",
    ]
    with pytest.raises(services.MinutesError):
        services.withdraw_meeting(meeting=test_meeting, reason="Igen", user=chair)


def test_the_chair_withdraws_a_published_test_meeting_through_the_portal(chair_client):
    body = Body.objects.get(agreement=taby(), name="Lokal styrgrupp")
    meeting = MeetingFactory(
        body=body,
        held_on=datetime.date(2026, 1, 10),
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=datetime.date(2026, 1, 11),
        checker_name="Test",
        published_at=timezone.now(),
    )
    url = reverse("agreements:meeting_withdraw", args=[meeting.pk])
    assert chair_client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert chair_client.post(url, {"reason": "Registrerat som test"}).status_code == 302
    page = chair_client.get(reverse("agreements:meeting_detail", args=[meeting.pk]))
    text = page.content.decode()
    assert 'id="withdrawn"' in text and "Registrerat som test" in text
    pdf = chair_client.get(reverse("agreements:meeting_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200


def test_checked_minutes_get_an_addendum_with_who_and_when_under_the_minutes(chair_client, chair):
    body = Body.objects.get(agreement=taby(), name="Lokal styrgrupp")
    meeting = MeetingFactory(
        body=body,
        held_on=TODAY,
        minutes_status=MinutesStatus.CHECKED,
        checked_on=TODAY,
        checker_name="Justerare",
    )
    response = chair_client.post(
        reverse("agreements:meeting_addendum", args=[meeting.pk]),
        once({"text": "Rättelse: fel datum i punkt 3."}),
    )
    assert response.status_code == 302
    addendum = MinutesAddendum.objects.get(meeting=meeting)
    assert addendum.created_by == chair
    page = chair_client.get(
        reverse("agreements:meeting_detail", args=[meeting.pk])
    ).content.decode()
    minutes_at, addendum_at = page.index('id="minutes-title"'), page.index("Rättelse: fel datum")
    assert minutes_at < addendum_at < page.index('id="decisions-title"')
    assert str(chair) in page
    assert event(addendum, Purpose.ADDENDUM_ADDED).actor == chair


def test_the_minutes_pdf_context_holds_the_addenda_with_who_added_them(chair):
    from agreements import documents

    meeting = MeetingFactory(
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=TODAY,
        checker_name="J",
        published_at=timezone.now(),
    )
    services.add_addendum(meeting=meeting, text="Tillägg om närvaro.", user=chair)
    captured = {}

    def render(template, context, filename):
        from django.template.loader import render_to_string

        captured["html"] = render_to_string(template, context)
        return None

    import agreements.documents as module

    original = module.render_pdf
    module.render_pdf = render
    try:
        documents.minutes_pdf(meeting)
    finally:
        module.render_pdf = original
    assert "Tillägg om närvaro." in captured["html"]
    assert str(chair) in captured["html"]


def test_a_draft_gets_no_addendum_it_is_edited(chair):
    with pytest.raises(services.MinutesError):
        services.add_addendum(meeting=MeetingFactory(), text="X", user=chair)


# The trail on the agreement's page -----------------------------------------------------------


def test_the_agreement_page_lists_corrections_for_its_editors_only(
    chair_client, outsider_client, admin
):
    revision = RevisionFactory(agreement=taby(), number=99)
    party = PartyFactory(revision=revision, principal=region())
    services.update_party(
        party=party, principal=None, contact_person="Anna", contact_email="", user=admin
    )
    url = reverse("agreements:agreement_detail", args=[taby().pk])
    text = chair_client.get(url).content.decode()
    assert "Ändringar och rättelser" in text and "Part rättad" in text and "Anna" in text
    assert "Ändringar och rättelser" not in outsider_client.get(url).content.decode()


def test_a_withdrawn_meetings_assignments_are_no_longer_followed_up(chair, chair_client):
    body = Body.objects.get(agreement=taby(), name="Lokal styrgrupp")
    given_at = MeetingFactory(
        body=body,
        held_on=TODAY - datetime.timedelta(days=30),
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=TODAY - datetime.timedelta(days=29),
        checker_name="Test",
        published_at=timezone.now(),
    )
    overdue = AssignmentFactory(
        meeting=given_at,
        body=body,
        title="Kartlägg remissvägarna (testmöte)",
        due_on=TODAY - datetime.timedelta(days=1),
        owner_user=chair,
    )
    soon = AssignmentFactory(
        meeting=given_at, body=body, due_on=TODAY + datetime.timedelta(days=3), owner_user=chair
    )
    assert {overdue, soon} <= set(Assignment.objects.open())
    page = chair_client.get(reverse("agreements:meeting_withdraw", args=[given_at.pk]))
    assert page.context["open_assignments"] == 2
    assert "2 uppdrag som inte är klara" in page.content.decode()

    services.withdraw_meeting(meeting=given_at, reason="Loggat som test", user=chair)

    assert not Assignment.objects.open().filter(pk__in=[overdue.pk, soon.pk]).exists()
    # Not carried into the next agenda, not reminded of, not in the owner's list of things to do.
    next_meeting = MeetingFactory(body=body, held_on=TODAY + datetime.timedelta(days=7))
    services.carry_in(next_meeting)
    assert not next_meeting.agenda_items.filter(title__contains="Kartlägg").exists()
    assert assignment_notices.remind_assignment_owners() == 0
    todo = chair_client.get(reverse("inbox")).content.decode()
    assert "Kartlägg remissvägarna" not in todo
