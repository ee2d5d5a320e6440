import time

import pytest

from deviations import demo
from deviations.models import Deviation, Status

pytestmark = pytest.mark.django_db


def test_the_demo_seed_is_idempotent_fast_and_covers_every_stage():
    before = Deviation.objects.count()
    started = time.monotonic()
    demo.seed()
    assert time.monotonic() - started < 2
    assert Deviation.objects.count() == before
    assert before >= 40
    officer_statuses = set(
        Deviation.objects.filter(reporter__username="officer").values_list("status", flat=True)
    )
    assert officer_statuses == set(Status.values)
    years = set(Deviation.objects.values_list("event_date__year", flat=True))
    assert {2025, 2026} <= years
