"""`make bench`: server time and query counts per key page against a bare page, a bounded load
test and PDF timings, on PostgreSQL at national scale (BENCH_SCALE=county for a quick run).

Writes bench-results/latest.json and the table in docs/performance.md. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
SCALE = os.environ.get("BENCH_SCALE", "national")
DB_NAME = os.environ.get("BENCH_DB", f"bus_bench_{SCALE}")
DB_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
RESULTS = ROOT / "bench-results"
DEMO_PASSWORD = "bus-demo-2026"

ENV = {
    **os.environ,
    "DATABASE_URL": DB_URL,
    "DEMO_MODE": "true",
    "DEBUG": "false",
    "BENCH_MODE": "true",
    "SECRET_KEY": "bench-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CONN_MAX_AGE": "600",
    # As deployed with more than one worker: a shared cache (and sessions read from it).
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5"),
}
TIMING = re.compile(r'app;dur=([\d.]+), sql;desc="(\d+)"')


def manage(*args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, text=True, capture_output=capture
    )
    return result.stdout if capture else ""


def ensure_database() -> None:
    conn = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()


def seeded() -> bool:
    out = manage(
        "shell",
        "--no-imports",
        "-v",
        "0",
        "-c",
        "from bus_portal.models import AuditEvent; from bus_portal.scale import SIZES; "
        f"print(AuditEvent.objects.count() >= SIZES['{SCALE}']['audit_rows'])",
        capture=True,
    )
    return out.strip().endswith("True")


def login(session: requests.Session, username: str) -> None:
    page = session.get(f"{BASE}/konto/logga-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{BASE}/konto/logga-in/",
        data={"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{BASE}/konto/logga-in/"},
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise SystemExit(f"login failed for {username}: {response.status_code}")


def measure(session: requests.Session, path: str, samples: int) -> dict:
    times, queries, statuses = [], set(), set()
    for i in range(samples + 3):
        response = session.get(f"{BASE}{path}", allow_redirects=False)
        match = TIMING.search(response.headers.get("Server-Timing", ""))
        statuses.add(response.status_code)
        if i < 3 or not match:  # warm-up
            continue
        times.append(float(match.group(1)))
        queries.add(int(match.group(2)))
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
        "queries": max(queries),
        "status": sorted(statuses),
    }


def load_test(targets_file: Path) -> dict:
    prefix = RESULTS / "load"
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "-u",
            "16",
            "-r",
            "16",
            "-t",
            f"{LOAD_SECONDS}s",
            "--host",
            BASE,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
        ],
        cwd=ROOT,
        env={**ENV, "BENCH_TARGETS": str(targets_file), "BENCH_PASSWORD": DEMO_PASSWORD},
        check=False,
        capture_output=True,
        timeout=LOAD_SECONDS + 60,
    )
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    agg = rows["Aggregated"]
    return {
        "users": 16,
        "seconds": LOAD_SECONDS,
        "requests": int(agg["Request Count"]),
        "failures": int(agg["Failure Count"]),
        "median_ms": float(agg["Median Response Time"]),
        "p95_ms": float(agg["95%"]),
        "rps": round(float(agg["Requests/s"]), 1),
    }


def write_markdown(result: dict) -> None:
    bare = result["bare"]["median_ms"]
    minimal = result["minimal"]["median_ms"]
    lines = [
        "| page | user | median ms | p95 ms | × bare | × minimal | SQL queries | target met |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in result["pages"]:
        ratio = row["median_ms"] / bare if bare else 0
        ok = ratio <= 3 and row["queries"] <= 10
        if row["kind"] == "pdf":
            ok = row["median_ms"] <= row.get("budget_ms", 3000)
        lines.append(
            f"| {row['label']} | {row['user']} | {row['median_ms']} | {row['p95_ms']} | {ratio:.1f} | "
            f"{row['median_ms'] / minimal if minimal else 0:.1f} | "
            f"{row['queries']} | {'yes' if ok else '**no**'} |"
        )
    load = result["load"]
    table = "\n".join(lines)
    doc = ROOT / "docs" / "performance.md"
    text = (
        doc.read_text()
        if doc.exists()
        else "# Performance\n\n<!-- bench:start -->\n<!-- bench:end -->\n"
    )
    block = (
        f"<!-- bench:start -->\nRun {result['when']} at **{result['scale']}** scale on PostgreSQL, gunicorn 2 workers, "
        f"{SAMPLES} samples per page (server time from `Server-Timing`).\n\n"
        f"Bare authenticated page (an empty page in the portal's layout, `/bench/layout/`): median {bare} ms, "
        f"p95 {result['bare']['p95_ms']} ms, {result['bare']['queries']} queries. "
        f"Minimal authenticated response (`/bench/bare/`, no template): median {minimal} ms, "
        f"{result['minimal']['queries']} queries.\n\n{table}\n\n"
        f"Load test: {load['users']} users for {load['seconds']} s, {load['requests']} requests, "
        f"{load['failures']} failures, median {load['median_ms']} ms, p95 {load['p95_ms']} ms, {load['rps']} req/s.\n"
        "<!-- bench:end -->"
    )
    text = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", block, text, flags=re.S)
    doc.write_text(text)


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    ensure_database()
    manage("migrate", "--noinput", "-v0")
    manage("seed_demo", "-v0")
    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()  # no cached pages or sessions from a past run
    if not seeded():
        started = time.monotonic()
        print(manage("seed_scale", "--scale", SCALE, capture=True))
        print(f"seed_scale took {time.monotonic() - started:.0f} s")
    manage("collectstatic", "--noinput", "-v0")
    targets = json.loads(  # the last line: Django may print notices before it
        manage(
            "shell",
            "--no-imports",
            "-c",
            "import json; from bench.targets import resolve; print(json.dumps(resolve()))",
            capture=True,
        )
        .strip()
        .splitlines()[-1]
    )
    targets_file = RESULTS / "targets.json"
    targets_file.write_text(json.dumps(targets, indent=2))

    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{PORT}",
            "bus_portal.wsgi",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
    )
    try:
        for _ in range(60):
            try:
                if requests.get(f"{BASE}/healthz", timeout=5).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        sessions: dict[str, requests.Session] = {}

        def session_for(user: str) -> requests.Session:
            if user not in sessions:
                sessions[user] = requests.Session()
                login(sessions[user], user)
            return sessions[user]

        result = {
            "when": datetime.datetime.now().isoformat(timespec="seconds"),
            "scale": SCALE,
            # The baseline of record is an empty page in the portal's layout; the minimal
            # authenticated response is kept beside it to show what the layout itself costs.
            "bare": measure(session_for("officer"), "/bench/layout/", SAMPLES),
            "minimal": measure(session_for("officer"), "/bench/bare/", SAMPLES),
            "pages": [],
        }
        for target in targets:
            samples = SAMPLES if target["kind"] == "page" else max(5, SAMPLES // 3)
            row = {**target, **measure(session_for(target["user"]), target["path"], samples)}
            print(
                f"{row['label']:<45} {row['median_ms']:>8} ms  p95 {row['p95_ms']:>8} ms  {row['queries']:>3} q  {row['status']}"
            )
            result["pages"].append(row)
        result["load"] = load_test(targets_file)
        print("load:", result["load"])
    finally:
        server.terminate()
        server.wait(timeout=10)
    (RESULTS / "latest.json").write_text(json.dumps(result, indent=2))
    write_markdown(result)
    print("wrote bench-results/latest.json and docs/performance.md")


if __name__ == "__main__":
    sys.exit(main())
