"""Exports open safely in a spreadsheet: no cell runs as a formula, numbers are numbers.

OWASP's CSV-injection guidance: a cell that begins with =, +, -, @, tab or CR is neutralised.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from bus_portal.documents import Percent, inert_text, render_csv, render_xlsx

DANGEROUS = [
    '=HYPERLINK("http://example.org","Klicka")',
    "+46 8 123 45",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_that_would_run_as_a_formula_is_made_inert(text):
    assert inert_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Vanlig text", "1+1=2", "a=b", "", "€ 100", "17,5 %"])
def test_ordinary_text_is_left_as_it_is(text):
    assert inert_text(text) == text


def _csv(rows) -> list[list[str]]:
    document = render_csv(["Text", "Tal"], rows, filename="test")
    text = document.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_csv_cells_never_start_a_formula_and_numbers_use_a_decimal_comma():
    rows = _csv([[text, 1] for text in DANGEROUS] + [["Andel", Percent(0.175)], ["Medel", 2.5]])
    for (cell, _number), text in zip(rows[1:], DANGEROUS, strict=False):
        assert cell == "'" + text
    assert rows[-2] == ["Andel", "17,5"]
    assert rows[-1] == ["Medel", "2,5"]
    assert rows[1][1] == "1"


def test_xlsx_text_is_text_and_numbers_and_shares_are_numeric_cells():
    document = render_xlsx(
        {
            "Blad": (
                ["Text", "Antal", "Andel", "Datum"],
                [[text, 3, Percent(0.175), datetime.date(2026, 1, 2)] for text in DANGEROUS]
                + [["Styrtecken \x00\x07 borta", 1.25, "", None]],
            )
        },
        filename="test",
    )
    sheet = load_workbook(io.BytesIO(document.content))["Blad"]
    for row, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=row, column=1)
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")  # XML keeps no CR
        assert sheet.cell(row=row, column=2).value == 3
        share = sheet.cell(row=row, column=3)
        assert share.value == pytest.approx(0.175) and share.number_format == "0.0%"
    last = len(DANGEROUS) + 2
    assert sheet.cell(row=last, column=1).value == "Styrtecken  borta"
    assert sheet.cell(row=last, column=2).value == pytest.approx(1.25)
    # No formula anywhere in the file.
    with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
