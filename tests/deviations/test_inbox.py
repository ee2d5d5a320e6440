"""The deviation items in "Att göra": exactly the user's open actions, gone when done."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bus_portal.inbox import items_for
from deviations import inbox
from deviations.demo import COUNTERPART_REPORTS, OFFICER_REPORTS
from deviations.models import Deviation, Status
from tests.conftest import demo_user
from tests.deviations.factories import DeviationFactory, advance

pytestmark = pytest.mark.django_db


def titles(username: str) -> list[tuple[str, str]]:
    return [(item.title, item.url) for item in inbox.items(demo_user(username))]


def _url(description: str, suffix: str = "") -> str:
    pk = Deviation.objects.get(description=description).pk
    return reverse("deviations:detail", kwargs={"pk": pk}) + suffix


def test_each_demo_user_sees_exactly_their_deviation_items():
    draft = Deviation.objects.get(description=OFFICER_REPORTS[Status.DRAFT])
    assert sorted(titles("officer")) == [
        (
            "Gör klart och skicka ditt utkast till avvikelse",
            reverse("deviations:edit", kwargs={"pk": draft.pk}),
        ),
        ("Svara på frågan om din avvikelse", _url(OFFICER_REPORTS[Status.RETURNED], "#question")),
    ]
    chief = titles("chief")
    waiting = _url(COUNTERPART_REPORTS["waiting"], "#respond")
    # The response still to write; the one written is done.
    assert [u for t, u in chief if t.startswith("Skriv svaret")] == [waiting]
    assert ("Ta nästa steg för en avvikelse", _url(OFFICER_REPORTS[Status.WITH_MANAGER])) in chief
    assert titles("outsider") == [] and titles("bussam") == [] and titles("officer2") == []
    for item in inbox.items(demo_user("chief")):
        assert item.detail.startswith("AV-") and item.kind == "Avvikelse"
        assert item.due is not None


def test_an_item_is_gone_when_the_step_is_taken():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    url = reverse("deviations:detail", kwargs={"pk": deviation.pk})
    assert url in [u for _t, u in titles("chief")]
    advance(deviation, Status.WITH_LOCAL_GROUP)
    assert url not in [u for _t, u in titles("chief")]
    assert url in [u for _t, u in titles("chair")]


def test_the_inbox_page_lists_the_response_to_write(chief_client):
    page = chief_client.get(reverse("inbox"))
    assert page.status_code == 200
    assert "Skriv svaret från Täby kommun på en avvikelse" in page.content.decode()


def test_the_provider_makes_a_fixed_number_of_queries(django_assert_max_num_queries):
    chair = demo_user("chair")
    list(inbox.items(chair))
    with django_assert_max_num_queries(4) as small:
        list(inbox.items(demo_user("chair")))
    for _ in range(5):
        advance(DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(list(inbox.items(demo_user("chair")))) >= 5
    assert items_for(chair)
