"""Writing files the way GIAS and Ofsted publish them: Windows-1252, CRLF, text
quoted, integers bare, often no final newline. Used by the exporter, the test
fixtures and the benchmark."""

from pathlib import Path


def _field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return '"Yes"' if value else '"No"'
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace('"', '""') + '"'


def format_rows(header, rows, *, drop_trailing: int = 0) -> str:
    """The file's text. `drop_trailing` leaves that many trailing fields off each
    data row (the group-links quirk: 16 fields under a 17-column header)."""
    lines = [",".join(_field(h) for h in header)]
    for row in rows:
        values = list(row)
        if drop_trailing:
            values = values[:-drop_trailing]
        lines.append(",".join(_field(v) for v in values))
    return "\r\n".join(lines)


def write_published(
    path: Path,
    header,
    rows,
    *,
    encoding: str = "cp1252",
    final_newline: bool = False,
    drop_trailing: int = 0,
) -> Path:
    text = format_rows(header, rows, drop_trailing=drop_trailing)
    if final_newline:
        text += "\r\n"
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path
