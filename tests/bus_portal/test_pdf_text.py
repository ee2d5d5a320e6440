"""Print documents show users' text as written: the running header is not HTML-escaped twice,
and a very long word wraps inside the page."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.template import engines

from bus_portal.templatetags.pdf import css_string

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

PAGE = """{% extends "pdf/base.html" %}
{% block running_title %}{{ title }}{% endblock %}
{% block content %}<h1>Rubrik</h1><p>{{ word }}</p>{% endblock %}"""


def _pdf(tmp_path, **context) -> tuple[str, str]:
    from weasyprint import HTML

    html = engines["django"].from_string(PAGE).render(context)
    path = tmp_path / "doc.pdf"
    HTML(string=html).write_pdf(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    return text.stdout, info.stdout


def test_the_running_header_shows_ampersands_and_quotes_as_written(tmp_path):
    text, _info = _pdf(tmp_path, title='BUP & Elevhälsa "Norr" </style>', word="kort")
    assert 'BUP & Elevhälsa "Norr" </style>' in text
    assert "&amp;" not in text and "&quot;" not in text


def test_a_ten_thousand_letter_word_wraps_within_a4(tmp_path):
    text, info = _pdf(tmp_path, title="Titel", word="a" * 10_000)
    assert "595.276 x 841.89 pts (A4)" in info
    longest = max(len(line.strip()) for line in text.splitlines())
    assert longest < 200, longest


def test_css_string_cannot_end_the_string_or_the_style_element():
    assert css_string('a"b\\c</style>') == "a\\22 b\\5c c\\3c /style\\3e "
    assert css_string("BUP &amp; Elevhälsa") == "BUP & Elevhälsa"
