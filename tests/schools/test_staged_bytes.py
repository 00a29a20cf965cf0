"""The byte-level checks of the server-read import (schools/importers/staged.py):
where a file may be cut into parts, and what COPY would misread. No database."""

import csv
import io

import pytest

from schools.importers import staged
from schools.importers.csvout import format_rows
from tests.schools.import_helpers import ESTABLISHMENTS


def template() -> tuple[list[str], list[str]]:
    text = ESTABLISHMENTS.read_bytes().decode("cp1252")
    header, first, *_rest = csv.reader(io.StringIO(text, newline=""))
    return header, first


def test_a_file_is_cut_into_parts_between_records_never_inside_a_quoted_field():
    header, first = template()
    rows = [first[:]] * 40
    rows[7] = rows[7][:]
    rows[7][header.index("Street")] = "Line one\r\nLine two\r\nLine three"
    rows[19] = rows[19][:]
    rows[19][header.index("EstablishmentName")] = 'The "Quoted" School'
    data = format_rows(header, rows).encode("cp1252")
    start = data.index(b"\n") + 1

    for at in range(start, len(data) + 1):
        end = staged._record_end(data, start, at, len(data))
        assert end >= at
        assert end == len(data) or data[end - 1 : end] == b"\n"
        assert data.count(b'"', start, end) % 2 == 0, f"cut inside a quoted field at {end}"


@pytest.mark.parametrize(
    ("body", "ends_early"),
    [
        (b"a,b\r\n\\.\r\nc,d\r\n", True),
        (b"a,b\n\\.\n", True),
        (b"a,b\n\\.", True),
        (b"a,b\r\n\\.x,d\r\n", False),
        (b'a,"C:\\.\\dir"\r\n', False),
        (b"a\\b,c\\\r\n\\,.\r\n", False),
        (b"a,b\r\nc,d\r\n", False),
    ],
)
def test_a_line_that_is_only_backslash_period_is_found(body, ends_early):
    data = b"h1,h2\r\n" + body

    assert staged._has_end_marker(data, data.index(b"\n") + 1) is ends_early


# Every character Python's str.strip() removes that PostgreSQL's btrim(' \t\r\n') keeps.
STRIPPED_BY_PYTHON_ONLY = [
    chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in " \t\r\n"
]


def _table(text: str, encoding: str):
    from schools.importers.reader import open_table

    header, first = template()
    row = first[:]
    row[header.index("Town")] = text
    return open_table(format_rows(header, [first, row]).encode(encoding))


@pytest.fixture
def on_postgresql(monkeypatch):
    """applicable() answers only on PostgreSQL; these checks read bytes alone."""
    monkeypatch.setattr(staged.connection, "vendor", "postgresql")


@pytest.mark.parametrize("space", STRIPPED_BY_PYTHON_ONLY, ids=lambda c: f"U+{ord(c):04X}")
def test_a_utf8_file_with_whitespace_only_python_strips_is_read_by_python(space, on_postgresql):
    assert not staged.applicable(_table(f"{space}Padded Town{space}", "utf-8"))


@pytest.mark.parametrize("text", ["O’Hara’s “Green” – Brontë Lane…", "Zürich £5 °C", "日本"])
def test_a_utf8_file_with_ordinary_non_ascii_text_is_read_by_the_server(text, on_postgresql):
    assert staged.applicable(_table(text, "utf-8"))


@pytest.mark.parametrize(
    "space",
    [c for c in STRIPPED_BY_PYTHON_ONLY if c.encode("cp1252", "ignore")],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_a_windows_1252_file_with_whitespace_only_python_strips_is_read_by_python(
    space, on_postgresql
):
    assert not staged.applicable(_table(f"{space}Padded Town", "cp1252"))
    assert staged.applicable(_table("O’Hara’s “Green” – Brontë", "cp1252"))


# Every character beyond ASCII that Python's str.casefold() turns into ASCII text.
FOLDS_TO_ASCII = [chr(c) for c in range(0x80, 0x110000) if chr(c).casefold().isascii()]


def test_every_character_python_casefolds_to_ascii_is_listed():
    assert sorted(staged._FOLDS_TO_ASCII) == FOLDS_TO_ASCII


@pytest.mark.parametrize("char", staged._FOLDS_INTO_A_WORD, ids=lambda c: f"U+{ord(c):04X}")
def test_a_file_with_a_character_that_casefolds_into_a_compared_word_is_read_by_python(
    char, on_postgresql
):
    """ "Cloſed" casefolds to "closed"; the SQL, lowering ASCII letters only, would
    not see the status."""
    assert not staged.applicable(_table(f"Clo{char}ed {char}", "utf-8"))


def test_characters_that_casefold_into_no_compared_word_stay_on_the_server(on_postgresql):
    # "ß" casefolds to "ss", in no status, region or "not applicable" word.
    assert "\u00df" not in staged._FOLDS_INTO_A_WORD
    assert "\u212a" in staged._FOLDS_INTO_A_WORD  # Kelvin sign: "k", as in "unknown"
    assert staged.applicable(_table("Straße", "utf-8"))
    assert staged.applicable(_table("Straße", "cp1252"))
