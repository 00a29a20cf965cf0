"""Payment files and claim exports as bytes: money stays a number, every other
cell is text through `portal.spreadsheets.safe_cell` (formula injection), so
sort codes and account numbers keep their leading zeros."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook

from portal.spreadsheets import safe_cell


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def csv_bytes(header: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(_text(v)) for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header: list[str], rows, *, title: str = "Sheet") -> bytes:
    """Money stays a number (2 places shown); everything else is text, so sort
    codes and account numbers keep their leading zeros."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, Decimal):
                cells.append(float(value))
            else:
                cells.append(safe_cell(_text(value)))
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
