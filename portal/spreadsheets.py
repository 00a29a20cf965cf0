"""Every CSV and XLSX the portal writes goes through here, so a value that came
from a person or an imported file can never run as a formula in a spreadsheet.

A text cell that starts with = + - @ tab or carriage return is neutralised:
in a CSV it gets a leading apostrophe (the OWASP advice for CSV injection), so
a spreadsheet program shows it as text; in an XLSX it is stored as a typed text
cell, never as a formula, and keeps its exact text. Numbers, dates and booleans
are written as they are.

    writer = csv_writer(response)            # like csv.writer, same arguments
    writer.writerow(["Name", school.name])

    book = XlsxBook()                        # one write-only sheet per call
    sheet = book.sheet("Eligibility")
    sheet.append(["Name", school.name])
    data = book.to_bytes()
"""

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_risky(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value for a CSV cell: a text a spreadsheet would read as a formula made text."""
    return "'" + value if _is_risky(value) else value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


class _SafeCsvWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **kwargs) -> _SafeCsvWriter:
    """`csv.writer(file, **kwargs)` whose rows are neutralised cell by cell."""
    return _SafeCsvWriter(csv.writer(file, **kwargs))


class _SafeSheet:
    def __init__(self, sheet):
        self._sheet = sheet

    def append(self, row: Iterable):
        self._sheet.append([self._text_cell(v) if _is_risky(v) else v for v in row])

    def _text_cell(self, value: str):
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        return cell


class XlsxBook:
    """A write-only openpyxl workbook whose sheets neutralise every text cell."""

    def __init__(self):
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)

    def sheet(self, title: str) -> _SafeSheet:
        return _SafeSheet(self._book.create_sheet(title))

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def download(*, fmt: str, filename: str, header: list[str], rows):
    """A CSV or XLSX attachment of `header` and `rows` (iterables of cells)."""
    from django.http import HttpResponse

    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv_writer(response)
        writer.writerow(header)
        writer.writerows(rows)
        return response
    book = XlsxBook()
    sheet = book.sheet(filename[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    response = HttpResponse(
        book.to_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
