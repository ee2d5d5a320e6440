"""A section's key is its own: a key another section of the revision uses is refused with a clear
message, never taken over (the old form replaced the other section's text without a word)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from agreements import services
from agreements.models import Agreement, RevisionSection
from tests.agreements.factories import RevisionFactory, SectionFactory
from tests.agreements.payloads import form_payload

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision(admin):
    return services.start_revision(
        agreement=Agreement.objects.get(local_group__name="Täby"), user=admin
    )


def edit_page(client, revision):
    return client.get(reverse("agreements:revision_edit", args=[revision.pk])).context


def post(client, revision, data):
    return client.post(reverse("agreements:revision_edit", args=[revision.pk]), data)


def test_a_new_section_with_a_key_in_use_is_refused_and_the_other_kept(chair_client, revision):
    purpose = revision.sections.get(key="purpose")
    context = edit_page(chair_client, revision)
    extra = context["formset"].forms[-1].prefix  # the empty row for a new section
    data = form_payload(
        context,
        formsets=["formset"],
        **{f"{extra}-key": "purpose", f"{extra}-heading": "Nytt", f"{extra}-text": "Ersätter?"},
    )
    response = post(chair_client, revision, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nyckeln ”purpose” används redan av avsnittet ”Syfte”" in body
    assert 'id="error-summary"' in body or "Kontrollera avsnitten" in body
    purpose.refresh_from_db()
    assert purpose.heading == "Syfte" and purpose.text != "Ersätter?"
    assert revision.sections.filter(key="purpose").count() == 1


def test_renaming_a_section_to_a_key_in_use_is_refused(chair_client, revision):
    context = edit_page(chair_client, revision)
    target = next(f for f in context["formset"].forms if f.initial.get("key") == "target_group")
    data = form_payload(context, formsets=["formset"], **{f"{target.prefix}-key": "purpose"})
    response = post(chair_client, revision, data)
    assert response.status_code == 200
    assert set(revision.sections.values_list("key", flat=True)) >= {"purpose", "target_group"}


def test_renaming_a_section_changes_that_section_only(chair_client, revision):
    before = revision.sections.count()
    context = edit_page(chair_client, revision)
    target = next(f for f in context["formset"].forms if f.initial.get("key") == "target_group")
    data = form_payload(context, formsets=["formset"], **{f"{target.prefix}-key": "malgrupp"})
    assert post(chair_client, revision, data).status_code == 302
    keys = list(revision.sections.values_list("key", flat=True))
    assert "malgrupp" in keys and "target_group" not in keys and len(keys) == before


def test_two_sections_may_swap_keys(admin, revision):
    a, b = revision.ordered_sections()[:2]
    services.update_revision(
        revision=revision,
        fields={},
        sections=[
            {"id": a.pk, "key": b.key, "heading": a.heading, "text": a.text},
            {"id": b.pk, "key": a.key, "heading": b.heading, "text": b.text},
        ],
        user=admin,
    )
    assert RevisionSection.objects.get(pk=a.pk).key == b.key
    assert RevisionSection.objects.get(pk=b.pk).key == a.key


def test_the_service_refuses_a_key_in_use_whatever_the_form_sent(admin, revision):
    purpose = revision.sections.get(key="purpose")
    with pytest.raises(services.AgreementsError, match="purpose"):
        services.update_revision(
            revision=revision,
            fields={},
            sections=[{"key": "purpose", "heading": "Nytt", "text": "Ersätter?"}],
            user=admin,
        )
    assert RevisionSection.objects.get(pk=purpose.pk).text == purpose.text


def test_the_database_refuses_two_sections_with_one_key():
    revision = RevisionFactory()
    SectionFactory(revision=revision, key="purpose")
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(revision=revision, key="purpose")
