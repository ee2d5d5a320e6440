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
