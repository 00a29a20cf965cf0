"""The shared CSV/XLSX writer never lets a cell run as a formula."""

import io

import pytest
from openpyxl import load_workbook

from portal.spreadsheets import XlsxBook, csv_writer

RISKY = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("value", RISKY)
def test_csv_cells_that_start_like_a_formula_become_text(value):
    out = io.StringIO()
    csv_writer(out).writerow([value, "plain", 3])
    first = out.getvalue().split(",")[0].strip('"')
    assert first.startswith("'")


def test_csv_keeps_ordinary_values_as_they_are():
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerows([["Name", 1, None], ["a-b", 2.5, True]])
    assert out.getvalue() == "Name,1,\na-b,2.5,True\n"


@pytest.mark.parametrize("value", RISKY)
def test_xlsx_cells_that_start_like_a_formula_are_stored_as_text(value):
    book = XlsxBook()
    book.sheet("S").append([value, 7])
    sheet = load_workbook(io.BytesIO(book.to_bytes())).active
    assert sheet["A1"].data_type == "s"
    assert sheet["B1"].value == 7
