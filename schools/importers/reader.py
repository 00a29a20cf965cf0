"""Bytes to rows: decoding, CSV parsing and the checks that apply to every file.

Fatal problems (empty, binary, not CSV, undecodable) raise `ImportRejected`
before anything is written. Row problems (too many fields, an oversized field)
are reported for that row only; short rows are padded with empty fields."""

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from schools.importers.result import ImportRejected, ImportResult

MAX_FIELD_CHARS = 10_000  # the longest real value is a few hundred characters
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

EMPTY_FILE = "The file is empty."
BINARY_FILE = "The file is not a CSV file: it contains binary data."
XLSX_FILE = "The file is an Excel workbook, not a CSV file. Save it as CSV and upload that."
NOT_CSV = "The file is not a CSV file: its first line has no comma-separated column names."
NO_ROWS = "The file has a header but no data rows."
UNDECODABLE = (
    "The file could not be read as UTF-8 or Windows-1252 text (byte 0x{byte:02X} at "
    "position {position}). Upload the file as published, or saved as CSV UTF-8."
)

_MAGIC = (
    (b"PK\x03\x04", XLSX_FILE),
    (b"\xd0\xcf\x11\xe0", XLSX_FILE.replace("an Excel workbook", "an old Excel workbook")),
    (b"%PDF", "The file is a PDF, not a CSV file."),
)


def read_bytes(path_or_file) -> tuple[bytes, str]:
    """The file's bytes and a name for messages."""
    if isinstance(path_or_file, bytes | bytearray):
        return bytes(path_or_file), "upload"
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        return path.read_bytes(), path.name
    name = getattr(path_or_file, "name", "") or "upload"
    if hasattr(path_or_file, "open") and getattr(path_or_file, "closed", True):
        path_or_file.open("rb")
    if hasattr(path_or_file, "seek"):
        path_or_file.seek(0)
    data = path_or_file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    return data, str(name).rsplit("/", 1)[-1]


_UTF8_PROBE = 64 * 1024  # bytes
CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def check_bytes(data: bytes) -> None:
    """The fatal problems visible in the bytes themselves."""
    if not data.strip():
        raise ImportRejected(EMPTY_FILE)
    for magic, message in _MAGIC:
        if data.startswith(magic):
            raise ImportRejected(message)
    if b"\x00" in data:
        raise ImportRejected(BINARY_FILE)


def detect_encoding(data: bytes) -> tuple[str, str]:
    """(encoding label, the text). UTF-8 (with or without BOM) first, else
    Windows-1252 (refused if it holds one of that encoding's five undefined bytes);
    never a silent guess."""
    check_bytes(data)
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return "UTF-8 with BOM", data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                UNDECODABLE.format(byte=data[3 + exc.start], position=3 + exc.start)
            ) from None
    try:
        # A Windows-1252 file usually fails within its first rows: try those first,
        # before decoding (and allocating) the whole file.
        codecs.getincrementaldecoder("utf-8")().decode(data[:_UTF8_PROBE], final=False)
        return "UTF-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    positions = [p for p in (data.find(b) for b in CP1252_UNDEFINED) if p >= 0]
    if positions:
        position = min(positions)
        raise ImportRejected(UNDECODABLE.format(byte=data[position], position=position))
    return "Windows-1252", data.decode("cp1252")


@dataclass
class Table:
    header: list[str]
    encoding: str
    line_ends: int  # "\n" characters in the whole file
    records: Iterator[list[str]]  # the csv records after the header

    @property
    def estimated_rows(self) -> int:
        return max(1, self.line_ends)

    def rows(self, result: ImportResult) -> Iterator[tuple[int, list[str]]]:
        """(row number, fields) for each data row, the header being row 1.

        Rows with more fields than the header, or an oversized field, are
        rejected here; rows with fewer are padded with empty fields."""
        width = len(self.header)
        number = 1
        try:
            for fields in self.records:
                number += 1
                if not fields or (len(fields) == 1 and not fields[0].strip()):
                    number -= 1  # a blank line is not a row
                    continue
                result.rows_read += 1
                count = len(fields)
                if count > width:
                    result.rows_rejected += 1
                    result.reject(
                        number,
                        "",
                        f"{count} fields",
                        f"The row has {count} fields but the header has {width} columns "
                        "(pasted from another release?); the values were not shifted.",
                    )
                    continue
                if count < width:
                    fields.extend([""] * (width - count))
                if max(map(len, fields)) > MAX_FIELD_CHARS:
                    long = next(i for i, v in enumerate(fields) if len(v) > MAX_FIELD_CHARS)
                    result.rows_rejected += 1
                    result.reject(
                        number,
                        self.header[long],
                        fields[long],
                        f"The value is {len(fields[long]):,} characters long; "
                        f"the longest allowed is {MAX_FIELD_CHARS:,}.",
                    )
                    continue
                yield number, fields
        except csv.Error as exc:
            raise ImportRejected(
                f"The file is not valid CSV near row {number + 1}: {exc}."
            ) from None


def open_table(data: bytes) -> Table:
    encoding, text = detect_encoding(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected(EMPTY_FILE) from None
    except csv.Error as exc:
        raise ImportRejected(f"The file is not valid CSV: {exc}.") from None
    header = [h.strip() for h in header]
    if len(header) < 2:
        raise ImportRejected(NOT_CSV)
    return Table(header, encoding, text.count("\n"), reader)
