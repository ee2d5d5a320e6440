"""Shared fixtures: the demo county is seeded once per test session, and named users.

Named users follow the demo logins: ``officer`` (Täby social services), ``officer2`` (BUP Täby),
``outsider`` (Nynäshamn), ``chief``, ``chair``, ``secretariat``, ``bussam``, ``admin``.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

# Browser fixtures, registered once for the whole suite (see tests/browser/support.py).
from tests.browser.support import browser, demo_county, page  # noqa: F401

# A real SMTP server (aiosmtpd) for the tests that read the e-mails the portal sends.
from tests.smtp import smtp_server  # noqa: F401

DEMO_USERNAMES = [
    "officer",
    "officer2",
    "outsider",
    "chief",
    "chair",
    "secretariat",
    "bussam",
    "admin",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture(autouse=True)
def _clear_axes_cache():
    from django.core.cache import cache

    cache.clear()


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(demo_user(username))
    return client


def _make_user_fixture(username: str):
    @pytest.fixture
    def _fixture(db):
        return demo_user(username)

    _fixture.__name__ = username
    return _fixture


def _make_client_fixture(username: str):
    @pytest.fixture
    def _fixture(db):
        return client_for(username)

    _fixture.__name__ = f"{username}_client"
    return _fixture


for _name in DEMO_USERNAMES:
    globals()[_name] = _make_user_fixture(_name)
    globals()[f"{_name}_client"] = _make_client_fixture(_name)
