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


def _pdf_routes():
    from tests.test_permission_matrix import ROUTES

    return [route for route in ROUTES if route.name.endswith("pdf") and route.method == "get"]


@pytest.mark.parametrize("route", _pdf_routes(), ids=str)
def test_every_pdf_of_the_portal_is_tagged_with_a_title(tmp_path, route):
    from django.urls import reverse

    from tests.conftest import client_for
    from tests.test_fuzz import PREFERENCE

    user = next(name for name in PREFERENCE if name in route.allowed)
    response = client_for(user).get(reverse(route.name, kwargs=route.kwargs()))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    info = _info(tmp_path, response.content)
    assert "Tagged:          yes" in info
    title = next(line for line in info.splitlines() if line.startswith("Title:"))
    assert title.removeprefix("Title:").strip()
    assert 'pdfuaid:part="1"' in _meta(tmp_path)
