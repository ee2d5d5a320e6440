"""Measurement hooks for `make bench`, active only when BENCH_MODE is on.

ServerTimingMiddleware reports each response's server time and SQL query count in a
``Server-Timing`` header, so the benchmark measures the application, not the client or network.
"""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.db import connections
from django.http import HttpResponse
from django.shortcuts import render


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = _QueryCounter()
        start = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
            if (
                hasattr(response, "render")
                and callable(response.render)
                and not response.is_rendered
            ):
                response.render()
        elapsed_ms = (time.perf_counter() - start) * 1000
        response["Server-Timing"] = (
            f'app;dur={elapsed_ms:.2f}, sql;desc="{counter.count}";dur={counter.count}'
        )
        return response


@login_required
def bare(request):
    """An authenticated response and nothing else: session, user and middleware only."""
    return HttpResponse("<!doctype html><title>bare</title><p>ok</p>")


@login_required
def bare_layout(request):
    """The baseline of record: an empty page in the portal's layout.

    Every page of the portal pays for the layout (menu from each app's provider, CSP nonce, skip
    link, language switch); a page's own cost is what it adds on top of this.
    """
    return render(request, "bench/bare.html")
