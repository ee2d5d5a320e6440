"""Who sees which report: reporter, managers, local group, counterpart's representative, county."""

import pytest
from django.urls import reverse

from agreements.models import Membership, Principal, Unit
from bus_portal.roles import Role
from deviations.access import get_deviation_for_user
from deviations.models import Deviation, Status
from tests.conftest import client_for, demo_user
from tests.deviations.factories import DeviationFactory, advance

pytestmark = pytest.mark.django_db


def _sees(username: str, deviation: Deviation) -> bool:
    user = demo_user(username)
    return Deviation.objects.visible_to(user).filter(pk=deviation.pk).exists()


def test_a_draft_is_seen_only_by_its_reporter():
    draft = DeviationFactory()
    assert _sees("officer", draft)
    for username in ("chief", "chair", "secretariat", "bussam", "officer2", "outsider", "admin"):
        assert not _sees(username, draft), username


def test_the_nearest_manager_sees_submitted_reports_of_the_unit():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER)
    assert _sees("chief", deviation)
    assert not _sees("chair", deviation)  # not yet at the local group
    assert not _sees("secretariat", deviation)  # not escalated
    assert not _sees("outsider", deviation)


def test_the_local_group_sees_reports_that_reached_it():
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
    assert _sees("chair", deviation)
    assert not _sees("secretariat", deviation)


def test_the_county_sees_reports_sent_to_bussam():
    deviation = advance(
        DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
    )
    assert _sees("secretariat", deviation)
    assert _sees("bussam", deviation)
    assert not _sees("outsider", deviation)


def _bup_chief():
    """A unit chief at BUP Täby (Region Stockholm): the counterpart's local representative."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(
        username="bupchef", first_name="Bo", last_name="Test", is_demo=True
    )
    unit = Unit.objects.get(principal__name="Region Stockholm", name="BUP Täby öppenvård")
    Membership.objects.create(user=user, unit=unit, role=Role.UNIT_CHIEF)
    return get_user_model().objects.get(pk=user.pk)


def test_the_counterparts_local_representative_sees_reports_naming_it():
    representative = _bup_chief()
    named = advance(DeviationFactory(), Status.WITH_MANAGER)
    not_named = advance(
        DeviationFactory(counterparts=[Principal.objects.get(name="Täby kommun")]),
        Status.WITH_MANAGER,
    )
    visible = Deviation.objects.visible_to(representative)
    assert visible.filter(pk=named.pk).exists()
    assert not visible.filter(pk=not_named.pk).exists()
    # Not a draft, and not in another area.
    assert not visible.filter(pk=DeviationFactory().pk).exists()
    from agreements.models import Area

    nacka = advance(DeviationFactory(), Status.WITH_MANAGER)
    Deviation.objects.filter(pk=nacka.pk).update(
        area=Area.objects.get(name="Nacka", valid_from=None)
    )
    assert not visible.filter(pk=nacka.pk).exists()
    # A case officer of the counterpart is not its representative.
    assert not _sees("officer2", named)
    # The representative reads but does not act on the ladder.
    client = client_for("bupchef")
    assert client.get(reverse("deviations:detail", kwargs={"pk": named.pk})).status_code == 200
    url = reverse("deviations:transition", kwargs={"pk": named.pk, "to": Status.WITH_LOCAL_GROUP})
    assert client.get(url).status_code == 403


def test_another_organisation_gets_404_and_a_viewer_without_the_right_403(rf):
    deviation = advance(DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP)
    url = reverse(
        "deviations:transition", kwargs={"pk": deviation.pk, "to": Status.RESOLVED_IN_GROUP}
    )
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("chief").get(url).status_code == 403  # sees it, but the group acts now
    assert client_for("chair").get(url).status_code == 200
    request = rf.get("/")
    request.user = demo_user("chair")
    assert get_deviation_for_user(request, deviation.pk, write=True) == deviation


def test_the_list_page_has_a_constant_number_of_queries(
    officer_client, django_assert_max_num_queries
):
    url = reverse("deviations:list")
    officer_client.get(url)
    with django_assert_max_num_queries(14) as small:
        officer_client.get(url)
    for _ in range(10):
        advance(DeviationFactory(), Status.WITH_MANAGER)
    with django_assert_max_num_queries(len(small.captured_queries)):
        officer_client.get(url)


def test_the_queue_has_a_constant_number_of_queries(
    secretariat_client, django_assert_max_num_queries
):
    url = reverse("deviations:queue")
    secretariat_client.get(url)
    with django_assert_max_num_queries(20) as small:
        secretariat_client.get(url)
    for _ in range(5):
        advance(
            DeviationFactory(), Status.WITH_MANAGER, Status.WITH_LOCAL_GROUP, Status.WITH_BUSSAM
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        secretariat_client.get(url)
