"""Dates lie in sensible windows (stated in the help texts), numbers in their fields' ranges, and
no input of any size or kind gives a 500 on any agreements form or list."""

from __future__ import annotations

import datetime
import uuid
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import plausibility, services
from agreements.models import (
    Agreement,
    Assignment,
    Attachment,
    Body,
    LocalGroup,
    Meeting,
    MinutesStatus,
    PlanItem,
    Principal,
    Revision,
)
from bus_portal.submissions import TOKEN_FIELD
from tests.agreements.factories import MeetingFactory, SignatoryFactory, signed_agreement

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
D = datetime.date


# The windows ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "ok"),
    [
        (D(1900, 1, 1), False),
        (D(1999, 12, 31), False),
        (D(2000, 1, 1), True),
        (TODAY, True),
        (plausibility.add_years(TODAY, 2), True),
        (plausibility.add_years(TODAY, 2) + datetime.timedelta(days=1), False),
        (D(9999, 12, 31), False),
    ],
)
def test_a_meeting_date_lies_from_2000_to_two_years_ahead(chair, held_on, ok):
    body = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    data = services.MeetingInput(
        held_on=held_on, place="X", host_principal=Principal.objects.get(name="Täby kommun")
    )
    if ok:
        services.create_meeting(body=body, data=data, user=chair)
    else:
        with pytest.raises(services.AgreementsError):
            services.create_meeting(body=body, data=data, user=chair)


def test_the_meeting_form_states_the_window_and_refuses_1900(chair_client):
    body = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    url = reverse("agreements:meeting_create", args=[body.pk])
    assert "Från 2000-01-01 till två år fram i tiden." in chair_client.get(url).content.decode()
    response = chair_client.post(
        url,
        {
            TOKEN_FIELD: str(uuid.uuid4()),
            "held_on": "1900-01-01",
            "place": "Test",
            "host_principal": Principal.objects.get(name="Täby kommun").pk,
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Datumet kan inte vara före 2000-01-01." in response.content.decode()
    assert not Meeting.objects.filter(held_on=D(1900, 1, 1)).exists()


@pytest.mark.parametrize(
    ("reviewed_on", "next_review"),
    [
        (D(1800, 1, 1), TODAY),
        (TODAY, D(9999, 12, 31)),
        (TODAY, TODAY),
        (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=400)),
        (plausibility.add_years(TODAY, -11), TODAY),
    ],
)
def test_implausible_reviews_are_refused(chair, reviewed_on, next_review):
    agreement = signed_agreement()
    with pytest.raises(services.AgreementsError):
        services.record_review(
            agreement=agreement, reviewed_on=reviewed_on, next_review=next_review, user=chair
        )


def test_a_review_within_the_window_is_recorded(chair):
    agreement = signed_agreement()
    services.record_review(
        agreement=agreement,
        reviewed_on=plausibility.add_years(TODAY, -9),
        next_review=plausibility.add_years(TODAY, 10),
        user=chair,
    )


@pytest.mark.parametrize(
    ("signed_on", "adopted_on", "ok"),
    [
        (D(1900, 1, 1), None, False),
        (TODAY + datetime.timedelta(days=1), None, False),
        (D(2024, 5, 1), D(2024, 6, 1), False),  # before the revision was adopted
        (D(2024, 6, 1), D(2024, 6, 1), True),
        (TODAY, None, True),
    ],
)
def test_a_signature_is_not_before_the_adoption_nor_in_the_future(chair, signed_on, adopted_on, ok):
    signatory = SignatoryFactory()
    Revision.objects.filter(pk=signatory.party.revision_id).update(adopted_on=adopted_on)
    if ok:
        services.sign(signatory=signatory, signed_on=signed_on, user=chair)
    else:
        with pytest.raises(services.SigningError):
            services.sign(signatory=signatory, signed_on=signed_on, user=chair)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("review_date", D(1800, 1, 1)),
        ("review_date", D(9999, 12, 31)),
        ("valid_from", D(1900, 1, 1)),
        ("adopted_on", D(9999, 12, 31)),
        ("originals_count", 99999),
    ],
)
def test_the_revision_service_refuses_implausible_terms(admin, field, value):
    revision = services.start_revision(
        agreement=Agreement.objects.get(local_group__name="Täby"), user=admin
    )
    with pytest.raises(services.AgreementsError):
        services.update_revision(revision=revision, fields={field: value}, sections=[], user=admin)


def test_the_revision_form_states_the_windows(admin_client, admin):
    revision = services.start_revision(
        agreement=Agreement.objects.get(local_group__name="Täby"), user=admin
    )
    text = admin_client.get(reverse("agreements:revision_edit", args=[revision.pk])).content
    text = text.decode()
    assert "Inom tio år före eller efter i dag." in text
    assert "Från 1990-01-01 till ett år fram i tiden." in text


# No input gives a 500 ------------------------------------------------------------------------

HOSTILE = [
    "99999999999999999999",
    "-99999999999999999999",
    "1e309",
    "x" * 10_000,
    "\x00",
    "\u202e\u200d😀\U0010ffff",
    "<script>alert(1)</script>",
    "9999-12-31",
    "0001-01-01",
    "",
]


class _Names(HTMLParser):
    """The names of the fields in a page's forms."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        name = dict(attrs).get("name")
        if tag in {"input", "select", "textarea"} and name:
            self.names.add(name)


def field_names(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code in (200, 302), (url, response.status_code)
    parser = _Names()
    parser.feed(response.content.decode())
    return parser.names - {"csrfmiddlewaretoken", "language", "next"}


def _draft_revision(admin) -> Revision:
    agreement = Agreement.objects.get(local_group__name="Täby")
    return agreement.draft_revision or services.start_revision(agreement=agreement, user=admin)


def _meeting(status: str) -> Meeting:
    return Meeting.objects.filter(
        body__agreement__local_group__name="Täby", minutes_status=status
    ).first()


def form_urls(admin) -> dict[str, str]:
    """Every agreements page with a form, by a readable name."""
    taby = Agreement.objects.get(local_group__name="Täby")
    revision = _draft_revision(admin)
    party = revision.parties.order_by("id").first()
    signatory = party.signatories.order_by("id").first()
    steering = Body.objects.get(agreement=taby, name="Lokal styrgrupp")
    member = steering.members.order_by("id").first()
    item = PlanItem.objects.filter(agreement=taby, meeting=None).first()
    attachment = Attachment.objects.filter(agreement__local_group__name="Norrtälje").first()
    draft, published = _meeting(MinutesStatus.DRAFT), _meeting(MinutesStatus.PUBLISHED)
    u = reverse
    return {
        "agreement_create": u(
            "agreements:agreement_create", args=[LocalGroup.objects.get(name="Skärholmen").pk]
        ),
        "revision_edit": u("agreements:revision_edit", args=[revision.pk]),
        "party_create": u("agreements:party_create", args=[revision.pk]),
        "party_edit": u("agreements:party_edit", args=[party.pk]),
        "party_remove": u("agreements:party_remove", args=[party.pk]),
        "signatory_create": u("agreements:signatory_create", args=[party.pk]),
        "signatory_edit": u("agreements:signatory_edit", args=[signatory.pk]),
        "signatory_remove": u("agreements:signatory_remove", args=[signatory.pk]),
        "signature_withdraw": u("agreements:signature_withdraw", args=[signatory.pk]),
        "attachment_create": u("agreements:attachment_create", args=[taby.pk]),
        "attachment_edit": u("agreements:attachment_edit", args=[attachment.pk]),
        "attachment_remove": u("agreements:attachment_remove", args=[attachment.pk]),
        "plan_item_create": u("agreements:plan_item_create", args=[taby.pk]),
        "plan_item_edit": u("agreements:plan_item_edit", args=[item.pk]),
        "plan_item_remove": u("agreements:plan_item_remove", args=[item.pk]),
        "review_record": u("agreements:review_record", args=[taby.pk]),
        "body_create": u("agreements:body_create", args=[taby.pk]),
        "body_edit": u("agreements:body_edit", args=[steering.pk]),
        "member_create": u("agreements:member_create", args=[steering.pk]),
        "member_edit": u("agreements:member_edit", args=[member.pk]),
        "meeting_create": u("agreements:meeting_create", args=[steering.pk]),
        "meeting_edit": u("agreements:meeting_edit", args=[draft.pk]),
        "meeting_delete": u("agreements:meeting_delete", args=[draft.pk]),
        "meeting_publish": u("agreements:meeting_publish", args=[draft.pk]),
        "meeting_withdraw": u("agreements:meeting_withdraw", args=[published.pk]),
        "meeting_addendum": u("agreements:meeting_addendum", args=[published.pk]),
    }


# Actions without a page of their own, and the fields they take.
def action_posts(admin) -> dict[str, tuple[str, list[str]]]:
    taby = Agreement.objects.get(local_group__name="Täby")
    revision = _draft_revision(admin)
    signatory = revision.parties.order_by("id").first().signatories.order_by("id").first()
    county = Agreement.objects.get(kind=Agreement.Kind.COUNTY)
    assignment = Assignment.objects.open().filter(body__agreement=taby).first()
    draft = _meeting(MinutesStatus.DRAFT)
    u = reverse
    return {
        "sign": (u("agreements:sign", args=[signatory.pk]), ["signed_on"]),
        "originals_step": (
            u("agreements:originals_step", args=[county.pk]),
            ["principal", "step", "done_on", "note"],
        ),
        "assignment_update": (
            u("agreements:assignment_update", args=[assignment.pk]),
            ["status", "outcome", "next"],
        ),
        "revision_create": (u("agreements:revision_create", args=[taby.pk]), []),
        "meeting_refresh_agenda": (u("agreements:meeting_refresh_agenda", args=[draft.pk]), []),
    }


FORM_NAMES = [
    "agreement_create",
    "revision_edit",
    "party_create",
    "party_edit",
    "party_remove",
    "signatory_create",
    "signatory_edit",
    "signatory_remove",
    "signature_withdraw",
    "attachment_create",
    "attachment_edit",
    "attachment_remove",
    "plan_item_create",
    "plan_item_edit",
    "plan_item_remove",
    "review_record",
    "body_create",
    "body_edit",
    "member_create",
    "member_edit",
    "meeting_create",
    "meeting_edit",
    "meeting_delete",
    "meeting_publish",
    "meeting_withdraw",
    "meeting_addendum",
]


@pytest.mark.parametrize("name", FORM_NAMES)
def test_no_value_of_any_size_or_kind_breaks_a_form(admin_client, admin, name):
    url = form_urls(admin)[name]
    names = field_names(admin_client, url)
    for value in HOSTILE:
        for token in (str(uuid.uuid4()), value):
            data = dict.fromkeys(names, value)
            if TOKEN_FIELD in names:
                data[TOKEN_FIELD] = token
            response = admin_client.post(url, data)
            assert response.status_code < 500, (name, value[:40], response.status_code)


@pytest.mark.parametrize(
    "name",
    ["sign", "originals_step", "assignment_update", "revision_create", "meeting_refresh_agenda"],
)
def test_no_value_breaks_an_action(admin_client, admin, name):
    url, fields = action_posts(admin)[name]
    for value in HOSTILE:
        response = admin_client.post(url, dict.fromkeys(fields, value))
        assert response.status_code < 500, (name, value[:40], response.status_code)


def test_a_huge_file_name_and_odd_upload_fields_do_not_break_the_upload(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse(
        "agreements:attachment_create",
        args=[Agreement.objects.get(local_group__name="Täby").pk],
    )
    for name in ["x" * 5000 + ".pdf", "\u202e.pdf", "../../etc/passwd", "a\x00b.pdf"]:
        upload = SimpleUploadedFile(name, b"%PDF-1.4 x", content_type="application/pdf")
        response = admin_client.post(
            url,
            {TOKEN_FIELD: str(uuid.uuid4()), "kind": "appendix", "title": "Namn", "file": upload},
        )
        assert response.status_code in (200, 302), (name[:40], response.status_code)
    for attachment in Attachment.objects.filter(title="Namn"):
        assert "/" not in attachment.file.name.removeprefix("agreements/").split("/", 1)[-1]


LIST_QUERIES = [
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"page": "x" * 10_000},
    {"page": "0"},
    {"area": "99999999999999999999"},
    {"area": "\x00"},
    {"status": "x" * 10_000},
    {"term": "VT99999999999999999999"},
    {"term": "HT\u0661\u0662\u0663\u0664"},
    {"from": "99999999999999999999", "to": "\x00"},
]


def list_urls() -> list[str]:
    group = LocalGroup.objects.get(name="Täby")
    taby = Agreement.objects.get(local_group=group)
    body = Body.objects.get(agreement=taby, name="Lokal styrgrupp")
    return [
        reverse("agreements:overview"),
        reverse("agreements:group_detail", args=[group.pk]),
        reverse("agreements:group_meetings_csv", args=[group.pk]),
        reverse("agreements:body_detail", args=[body.pk]),
        reverse("agreements:revision_compare", args=[taby.pk]),
        reverse("agreements:agreement_detail", args=[taby.pk]),
    ]


@pytest.mark.parametrize("query", LIST_QUERIES, ids=lambda q: ",".join(q)[:30])
def test_no_query_breaks_a_list(admin_client, query):
    for url in list_urls():
        response = admin_client.get(url, query)
        assert response.status_code in (200, 404), (url, query, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/katalog/grupper/99999999999999999999/",
        "/katalog/overenskommelser/99999999999999999999/",
        "/katalog/overenskommelser/99999999999999999999/pdf/",
        "/katalog/revisioner/99999999999999999999/andra/",
        "/katalog/moten/99999999999999999999/",
        "/katalog/organ/99999999999999999999/",
        "/katalog/parter/99999999999999999999/ta-bort/",
        "/katalog/undertecknare/99999999999999999999/aterkalla/",
        "/katalog/plan/99999999999999999999/andra/",
        "/katalog/bilagor/99999999999999999999/",
    ],
)
def test_a_huge_id_in_a_url_is_a_404(admin_client, path):
    assert admin_client.get(path).status_code == 404
    assert admin_client.post(path).status_code in (404, 405)


def test_a_meeting_with_every_field_at_its_limit_is_saved(chair_client):
    body = Body.objects.get(agreement__local_group__name="Täby", name="Arbetsgrupp")
    response = chair_client.post(
        reverse("agreements:meeting_create", args=[body.pk]),
        {
            TOKEN_FIELD: str(uuid.uuid4()),
            "held_on": TODAY.isoformat(),
            "place": "p" * 200,
            "host_principal": Principal.objects.get(name="Täby kommun").pk,
            "guests": ("g" * 400 + ", " + "o" * 400 + "\n") * 3,
            "agenda": ("a" * 1000 + "\n") * 5,
            "minutes": "m" * 10_000,
            "decisions": "d" * 5000,
            "assignments-TOTAL_FORMS": "1",
            "assignments-INITIAL_FORMS": "0",
            "assignments-0-title": "t" * 300,
            "assignments-0-body": body.pk,
            "assignments-0-owner": "o" * 150,
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.filter(body=body, place="p" * 200).get()
    assert len(meeting.minutes) == 10_000


def test_a_meeting_factory_date_in_1900_is_withdrawn_and_stops_counting(chair):
    """The reported test meeting dated 1900-01-01, left from before the check."""
    meeting = MeetingFactory(
        held_on=D(1900, 1, 1),
        minutes_status=MinutesStatus.PUBLISHED,
        checked_on=D(1900, 1, 2),
        checker_name="Test",
        published_at=timezone.now(),
    )
    services.withdraw_meeting(meeting=meeting, reason="Testmöte", user=chair)
    assert not Meeting.objects.counted().filter(pk=meeting.pk).exists()
