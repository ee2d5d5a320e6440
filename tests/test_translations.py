"""The Swedish catalogues are complete: every msgid has a Swedish msgstr, none fuzzy."""

import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(Path(settings.BASE_DIR).glob("*/locale/sv/LC_MESSAGES/django.po")) + sorted(
    Path(settings.BASE_DIR).glob("locale/sv/LC_MESSAGES/django.po")
)


def test_there_is_a_swedish_catalogue():
    assert CATALOGUES


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_the_swedish_catalogue_is_complete(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, f"{po}: {stats.strip()}"
