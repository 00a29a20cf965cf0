"""CSV and XLSX downloads that a spreadsheet will not run as formulas.

(portal/spreadsheets.py is not on this branch; the integrator may fold this
into it.) A text cell starting with = + - @, a tab or a carriage return is
prefixed with an apostrophe, as OWASP's CSV-injection advice says."""

import csv
import io

from django.http import HttpResponse

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def download(*, fmt: str, filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV or XLSX attachment of `header` and `rows` (iterables of cells)."""
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        writer = csv.writer(response)
        writer.writerow([safe_cell(c) for c in header])
        for row in rows:
            writer.writerow([safe_cell(c) for c in row])
        return response
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(filename[:31])
    sheet.append([safe_cell(c) for c in header])
    for row in rows:
        sheet.append([safe_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
