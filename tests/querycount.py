"""Query budgets: a key page's SQL count stays constant as the data grows (no N+1).

Usage::

    def test_sip_list_queries_do_not_grow(officer_client, officer):
        assert_query_budget(
            officer_client,
            reverse("sip:plan_list"),
            grow=lambda: PlanFactory.create_batch(25, owner_unit=officer.units.first()),
        )

The page is requested once on the data as it is ("small"), then ``grow()`` adds rows the page
shows or counts, then the page is requested again ("large"). Both counts must be equal; there is
no fixed ceiling (a page may need a few more honest queries), only a generous guard against a page
that reads row by row even on small data. The small data should already hold one row of each kind
``grow()`` adds: a page may read a kind of related rows only when it shows one (one query for all
of them), and that query is not a query per row.

Each measurement follows a warm-up request (so session writes are not counted) and clears the
cache, so cached fragments cannot hide a query in one measurement and not the other.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

# Not a target: a page that needs more than this on small data reads row by row somewhere.
QUERY_BUDGET = 25


def count_queries(client, url: str, expected_status: int = 200) -> tuple[int, list[str]]:
    # A first request settles the session (login time and last activity are written once a minute).
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == expected_status, (url, response.status_code)
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def assert_query_budget(
    client,
    url: str,
    grow: Callable[[], object],
    budget: int = QUERY_BUDGET,
    expected_status: int = 200,
) -> int:
    small, small_sql = count_queries(client, url, expected_status)
    grow()
    large, large_sql = count_queries(client, url, expected_status)
    assert large == small, (
        f"{url}: {small} queries on small data, {large} on large data (N+1?)\n"
        + "\n".join(large_sql)
    )
    assert large <= budget, f"{url}: {large} queries, budget {budget}\n" + "\n".join(large_sql)
    return large
