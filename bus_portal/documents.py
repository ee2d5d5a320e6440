"""Rendering print documents (PDF by WeasyPrint) and handing files to views.

Apps write renderer functions in ``<app>/documents.py`` that return a ``Document``; views check
access, audit the export, and return ``document_response(doc)``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import override


@dataclass(frozen=True)
class Document:
    filename: str
    content_type: str
    content: bytes


def render_pdf(template: str, context: dict, *, filename: str, language: str = "sv") -> Document:
    """Render a print template (extending ``pdf/base.html``) to PDF in the given language."""
    from weasyprint import HTML  # imported lazily: heavy, and only PDF views need it

    with override(language):
        html = render_to_string(template, context)
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf()
    return Document(
        filename=_safe_filename(filename, "pdf"), content_type="application/pdf", content=pdf
    )


def render_csv(header: list[str], rows, *, filename: str) -> Document:
    """CSV for spreadsheets: UTF-8 with BOM so Excel opens å, ä and ö correctly; semicolons."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return Document(
        filename=_safe_filename(filename, "csv"),
        content_type="text/csv; charset=utf-8",
        content=content,
    )


def render_xlsx(sheets: dict[str, tuple[list[str], list[list]]], *, filename: str) -> Document:
    """One worksheet per entry: {title: (header, rows)}."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return Document(
        filename=_safe_filename(filename, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        content=buffer.getvalue(),
    )


def document_response(document: Document, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(document.content, content_type=document.content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def _safe_filename(name: str, extension: str) -> str:
    stem = slugify(name.removesuffix(f".{extension}")) or "dokument"
    return f"{stem}.{extension}"
