"""Every print document is a tagged PDF (PDF/UA-1) with its language and title (WCAG, EN 301 549)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib

import pytest

from sip import documents
from sip.demo import AGREED_CHILD
from sip.models import Plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils"),
]


def _info(tmp_path, content: bytes) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout


def test_the_sip_pdf_is_tagged_with_language_and_title(tmp_path):
    plan = Plan.objects.get(child__personal_number=AGREED_CHILD)
    info = _info(tmp_path, documents.plan_pdf(plan).content)
    assert "Tagged:          yes" in info
    assert f"Title:           {plan.number}" in info
    assert 'pdfuaid:part="1"' in _meta(tmp_path)
    assert re.search(rb"/Lang\s*\(sv\)", _uncompressed(documents.plan_pdf(plan).content))


def _meta(tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    return subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True).stdout


def _uncompressed(pdf: bytes) -> bytes:
    """The PDF's objects with every compressed stream inflated (the catalog may sit in one)."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
