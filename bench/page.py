"""Measure one page in-process against the database in DATABASE_URL: time, SQL count, slowest SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bus_bench_national \\
        .venv/bin/python bench/page.py officer /sip/ [--samples 10] [--sql]

A tool for finding what makes a page slow while fixing it; `make bench` (bench/run.py) is the
measurement of record. The user is logged in with force_login; the cache is not cleared between
samples, as on a running server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bus_portal.settings")
os.environ.setdefault("DEMO_MODE", "true")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-page-tool-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--sql", action="store_true", help="print every query with its time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.username))
    client.get(args.path)  # warm-up
    times = []
    for _ in range(args.samples):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(args.path)
            times.append((time.perf_counter() - start) * 1000)
    queries = captured.captured_queries
    print(
        f"{args.path} as {args.username}: status {response.status_code}, "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, {len(queries)} queries, "
        f"SQL {sum(float(q['time']) for q in queries) * 1000:.1f} ms"
    )
    ranked = sorted(queries, key=lambda q: -float(q["time"]))
    for query in queries if args.sql else ranked[:5]:
        print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:600]}")


if __name__ == "__main__":
    main()
