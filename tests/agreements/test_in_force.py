"""An agreement is "in force" (Gäller) only when every party has signed and its validity has
started; before that it is "Signerad, gäller från <datum>". The yearly review is kept as a row:
who reviewed, when, and the next date."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import overview, services
from agreements.audit import Purpose
from agreements.models import Agreement, AgreementStatus, Review
from bus_portal import audit
from tests.agreements.factories import (
    LocalGroupFactory,
    PartyFactory,
    RevisionFactory,
    SignatoryFactory,
    region,
    signed_agreement,
)
from tests.submissions import once

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NEXT_MONTH = TODAY + datetime.timedelta(days=31)


def signed_from(agreement: Agreement, number: int, valid_from: datetime.date):
    revision = RevisionFactory(agreement=agreement, number=number, valid_from=valid_from)
    for principal in [region()]:
        SignatoryFactory(
            party=PartyFactory(revision=revision, principal=principal), signed_on=TODAY
        )
    return revision


def fresh(agreement: Agreement) -> Agreement:
    return Agreement.objects.with_details().get(pk=agreement.pk)


def annotated(agreement: Agreement) -> Agreement:
    return Agreement.objects.with_status().get(pk=agreement.pk)


def test_a_first_revision_signed_today_but_valid_next_month_is_not_in_force():
    agreement = signed_agreement(signed=False)
    agreement.revisions.update(valid_from=NEXT_MONTH)
    for signatory in agreement.revisions.get().all_signatories():
        signatory.signed_on = TODAY
        signatory.save()
    for row in (fresh(agreement), annotated(agreement)):
        assert row.status() == AgreementStatus.SIGNED
        assert row.get_status_display() == f"Signerad, gäller från {NEXT_MONTH.isoformat()}"
        assert row.status_badge != "success"
    assert fresh(agreement).current_revision is None
    # From the start date on, it is in force.
    assert fresh(agreement).status(NEXT_MONTH) == AgreementStatus.IN_FORCE
    agreement.revisions.update(valid_from=TODAY)
    assert fresh(agreement).status() == AgreementStatus.IN_FORCE
    assert annotated(agreement).status() == AgreementStatus.IN_FORCE


def test_a_new_revision_signed_for_next_month_leaves_the_old_one_in_force(chair_client):
    agreement = signed_agreement(group=LocalGroupFactory())
    new = signed_from(agreement, 2, NEXT_MONTH)
    row = fresh(agreement)
    assert row.current_revision.number == 1
    assert row.upcoming_revision == new
    assert row.status() == AgreementStatus.IN_FORCE == annotated(agreement).status()
    page = chair_client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    text = page.content.decode()
    assert f"signerad, gäller från {NEXT_MONTH.isoformat()}" in text
    assert "Gällande revision: Revision 1" in text
    assert "Gällande revision: Revision 2" not in text


def test_the_page_and_the_overview_never_say_in_force_before_the_start(bussam_client):
    group = LocalGroupFactory()
    agreement = signed_agreement(group=group, signed=False)
    agreement.revisions.update(valid_from=NEXT_MONTH)
    for signatory in agreement.revisions.get().all_signatories():
        signatory.signed_on = TODAY
        signatory.save()
    text = bussam_client.get(
        reverse("agreements:agreement_detail", args=[agreement.pk])
    ).content.decode()
    assert f"Signerad, gäller från {NEXT_MONTH.isoformat()}" in text
    assert "Gällande revision" not in text
    row = next(r for r in overview.county_rows() if r.group == group)
    assert row.status == AgreementStatus.SIGNED
    assert row.status_label == f"Signerad, gäller från {NEXT_MONTH.isoformat()}"
    filtered = bussam_client.get(reverse("agreements:overview"), {"status": "signed"})
    assert [r.group for r in filtered.context["rows"]] == [group]


def test_signing_the_last_signature_of_a_future_revision_does_not_say_in_force(chair):
    agreement = signed_agreement(signed=False)
    agreement.revisions.update(valid_from=NEXT_MONTH)
    for signatory in agreement.revisions.get().all_signatories():
        services.sign(signatory=signatory, signed_on=TODAY, user=chair)
    assert fresh(agreement).status() == AgreementStatus.SIGNED


# The yearly review ----------------------------------------------------------------------------


def test_the_yearly_review_records_who_reviewed_and_when(chair_client, chair):
    agreement = Agreement.objects.get(local_group__name="Täby")
    url = reverse("agreements:review_record", args=[agreement.pk])
    next_year = TODAY.replace(year=TODAY.year + 1)
    response = chair_client.post(
        url,
        once(
            {
                "reviewed_on": TODAY.isoformat(),
                "next_review": next_year.isoformat(),
                "note": "Inga ändringar behövs.",
            }
        ),
    )
    assert response.status_code == 302
    review = Review.objects.get(agreement=agreement)
    assert (review.reviewed_on, review.reviewed_by, review.note) == (
        TODAY,
        chair,
        "Inga ändringar behövs.",
    )
    assert review.revision == fresh(agreement).current_revision
    assert review.revision.review_date == next_year
    row = audit.events_for(review).get()
    assert (row.purpose, row.actor) == (Purpose.REVIEW_RECORDED, chair)
    page = chair_client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    text = page.content.decode()
    assert "Årliga översyner" in text and "Inga ändringar behövs." in text and str(chair) in text


def test_a_second_review_keeps_the_first(chair):
    agreement = signed_agreement(review_date=TODAY)
    services.record_review(
        agreement=agreement,
        reviewed_on=TODAY - datetime.timedelta(days=365),
        next_review=TODAY,
        user=chair,
    )
    services.record_review(
        agreement=agreement, reviewed_on=TODAY, next_review=NEXT_MONTH, user=chair
    )
    assert list(
        Review.objects.filter(agreement=agreement).values_list("next_review", flat=True)
    ) == [NEXT_MONTH, TODAY]


def test_a_wrong_review_shows_the_form_again_with_the_error(chair_client):
    agreement = Agreement.objects.get(local_group__name="Täby")
    response = chair_client.post(
        reverse("agreements:review_record", args=[agreement.pk]),
        once({"reviewed_on": "1800-01-01", "next_review": "9999-12-31"}),
    )
    assert response.status_code == 200
    assert 'id="error-summary"' in response.content.decode()
    assert not Review.objects.filter(agreement=agreement).exists()


def test_reviews_recorded_before_the_review_rows_are_recovered_from_the_audit(chair):
    """Migration 0009: a review audited on its revision (the old way) becomes a review row, with
    who recorded it; a row without both dates stays only in the audit log."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from bus_portal.models import AuditAction, AuditEvent

    agreement = signed_agreement()
    revision = agreement.revisions.get()
    content_type = ContentType.objects.get_for_model(revision)
    for changes in (
        {"review_date": ["", "2025-03-01"], "reviewed_on": ["", "2024-03-01"]},
        {"reviewed_on": ["", "2023-03-01"]},
    ):
        AuditEvent.objects.create(
            actor=chair,
            action=AuditAction.CHANGE,
            content_type=content_type,
            object_id=str(revision.pk),
            object_repr=str(revision),
            purpose=Purpose.REVIEW_RECORDED,
            changes=changes,
        )
    migration = importlib.import_module("agreements.migrations.0009_reviews_from_audit")
    migration.recover_reviews(apps, None)
    migration.recover_reviews(apps, None)  # run twice: still one row
    (review,) = Review.objects.filter(revision=revision)
    assert (review.reviewed_on, review.next_review, review.reviewed_by) == (
        datetime.date(2024, 3, 1),
        datetime.date(2025, 3, 1),
        chair,
    )
