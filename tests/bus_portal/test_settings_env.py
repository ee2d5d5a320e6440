import pytest
from django.core.exceptions import ImproperlyConfigured

from bus_portal.env import env_bool, env_int, env_list


def test_it_reads_booleans_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "true")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False


def test_it_refuses_a_boolean_it_cannot_read(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_it_refuses_a_non_integer(monkeypatch):
    monkeypatch.setenv("PORT", "twenty")
    with pytest.raises(ImproperlyConfigured, match="PORT"):
        env_int("PORT", 25)


def test_it_splits_lists_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_production_settings_require_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DEMO_MODE"}}
    env["DJANGO_SETTINGS_MODULE"] = "bus_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("django.conf").conf.settings.BASE_DIR),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_redis_url_shares_the_cache_and_caches_sessions():
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bus_portal.settings", "DEBUG": "true"}
    env["REDIS_URL"] = "redis://127.0.0.1:6379/9"
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND'], s.CACHES['sessions']['LOCATION'], "
        "s.SESSION_ENGINE, s.SESSION_CACHE_ALIAS)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://127.0.0.1:6379/9",
        "django.contrib.sessions.backends.cached_db",
        "sessions",
    ]
    env.pop("REDIS_URL")
    out = subprocess.run(
        [sys.executable, "-c", script.replace("s.CACHES['sessions']['LOCATION'], ", "")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out[0] == "django.core.cache.backends.locmem.LocMemCache"
    assert out[1] == "django.contrib.sessions.backends.db"


def test_the_deploy_check_asks_for_an_https_site_url(settings):
    from bus_portal.checks import site_url_is_set

    settings.SITE_URL = ""
    assert [w.id for w in site_url_is_set(None)] == ["bus_portal.W001"]
    settings.SITE_URL = "http://bus-portalen.example"
    assert [w.id for w in site_url_is_set(None)] == ["bus_portal.W001"]
    settings.SITE_URL = "https://bus-portalen.example"
    assert site_url_is_set(None) == []
