"""Rendering print documents (PDF by WeasyPrint) and handing files to views.

Apps write renderer functions in ``<app>/documents.py`` that return a ``Document``; views check
access, audit the export, and return ``document_response(doc)``.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import re
from dataclasses import dataclass
from typing import Any

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
    """Render a print template (extending ``pdf/base.html``) to a tagged PDF (PDF/UA-1) in the
    given language; the template's ``title`` block is the document's title."""
    from weasyprint import HTML  # imported lazily: heavy, and only PDF views need it

    with override(language):
        html = render_to_string(template, context)
    # PDF/UA-1: tagged (headings, tables with their headers, reading order), with the document's
    # language and title, so screen readers and reflowing readers can use it.
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR / "static")).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return Document(
        filename=_safe_filename(filename, "pdf"), content_type="application/pdf", content=pdf
    )


@dataclass(frozen=True)
class Percent:
    """A share in an export: "17,5" in a Swedish CSV, the number 0.175 shown as 17,5 % in XLSX."""

    fraction: float


#: Text a spreadsheet would run as a formula (OWASP, "CSV injection"): = + - @ tab CR.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Control characters an XLSX file cannot hold (openpyxl refuses them).
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def inert_text(value: str) -> str:
    """Text a spreadsheet shows as it is: a leading formula character gets an apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Any) -> str:
    """A value for a Swedish CSV: numbers with a decimal comma, text never a formula."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return f"{value.fraction * 100:.1f}".replace(".", ",")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | decimal.Decimal):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return inert_text(str(value))


def render_csv(header: list[str], rows, *, filename: str) -> Document:
    """CSV for Swedish spreadsheets: UTF-8 with BOM so Excel opens å, ä and ö correctly;
    semicolons between cells and a decimal comma in numbers; no cell is read as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_cell(value) for value in header])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return Document(
        filename=_safe_filename(filename, "csv"),
        content_type="text/csv; charset=utf-8",
        content=content,
    )


def _xlsx_cell(sheet: Any, row: int, column: int, value: Any) -> None:
    """Numbers as numbers (shares with a percent format), text as text — never a formula."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Percent):
        cell.value = value.fraction
        cell.number_format = "0.0%"
    elif isinstance(value, bool) or value is None:
        cell.value = "" if value is None else str(value)
    elif isinstance(value, int | float | decimal.Decimal):
        cell.value = value
        if not isinstance(value, int):
            cell.number_format = "0.0#"
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    else:
        cell.value = _ILLEGAL_XLSX.sub("", str(value))
        cell.data_type = "s"  # openpyxl would store "=…" as a formula


def render_xlsx(sheets: dict[str, tuple[list[str], list[list]]], *, filename: str) -> Document:
    """One worksheet per entry: {title: (header, rows)}."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (header, rows) in sheets.items():
        sheet = workbook.create_sheet(title=title[:31])
        for column, value in enumerate(header, start=1):
            _xlsx_cell(sheet, 1, column, value)
            sheet.cell(row=1, column=column).font = Font(bold=True)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row, start=1):
                _xlsx_cell(sheet, number, column, value)
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
