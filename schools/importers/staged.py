"""The PostgreSQL path of the GIAS establishments import: the server reads the file.

Parsing a 135-column file with Python's csv module alone takes longer than
PostgreSQL takes to COPY it, so on PostgreSQL the file's bytes go straight into
staging tables of text columns (COPY ... FORMAT csv, in the file's encoding).
One SQL pass then converts the columns the register keeps and marks
each row "clean" exactly when `EstablishmentsImporter.parse_clean_row` would take
it unchanged; one INSERT ... ON CONFLICT DO UPDATE ... WHERE IS DISTINCT FROM
writes the clean rows. Every other row (a bad URN or date, an unknown trust, a
duplicate URN, a Welsh establishment, ...) comes back to Python and goes through
the importer's own row checks, so its outcome and the error report are the same
as on any other database.

File-wide state is worked out in SQL the way the row-by-row importer builds it:
local authorities to add (the first row naming an unknown LA code with an LA name
and an English region), regions to add, and duplicate URNs (every row of a URN
that appears more than once is checked in Python, in file order).

The file is read in parts, one per database session the import may use
(settings.IMPORT_DATABASE_SESSIONS): outside a transaction each part is COPYed
and converted by its own session at the same time, so both steps use every core
of the server, as COPY alone cannot. The parts go into unlogged tables (other
sessions can read them; temporary tables they cannot), cut only between records,
and their rows are numbered in file order.

Whenever the file has something the SQL does not mirror exactly (PostgreSQL
cannot COPY it: a short or long row, a blank line, broken quoting, bytes the
encoding lacks; or it has unusual whitespace that Python would strip), `load`
returns False and the import runs wholly in Python, as on SQLite."""

import re
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

import psycopg
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction

from schools.importers import formats
from schools.importers.base import RowRejected
from schools.importers.db import (
    bulk_load,
    run_in_sessions,
    upsert,
    without_unique_key,
    writable_fields,
)
from schools.importers.establishments import _HEAD, _TEXT_FIELDS, STATUSES
from schools.importers.reader import MAX_FIELD_CHARS
from schools.importers.values import NOT_APPLICABLE, described
from schools.models import School

COPY_CHUNK = 4 * 1024 * 1024  # bytes per COPY statement (progress between them)
PART_MIN_BYTES = 1024 * 1024  # a smaller file is read in one part
ABANDONED_AFTER = 24 * 60 * 60  # seconds before another import drops a stray table
_BLOCK = MAX_FIELD_CHARS // 2
# Whitespace Python's str.strip() removes but btrim(' \t\r\n') would not.
_ODD_BYTES = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
_ODD_CP1252 = (b"\xa0",)
_ODD_UTF8 = re.compile(
    rb"\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
)
_ASCII = bytes(range(0x80))
# Where Python casefolds a value to compare it with a word (a status, a region, "not
# applicable"), the SQL lowers only its ASCII letters (_lower). The two agree unless
# the value holds a character beyond ASCII that casefolds to ASCII text ("\u017f",
# long s, to "s"; tests derive this list from Python) and that text is part of such
# a word: a file holding one is read by Python.
_FOLDS_TO_ASCII = "\u00df\u017f\u1e9e\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06"
_COMPARED_WORDS = (
    *NOT_APPLICABLE,
    *STATUSES,
    *(name.casefold() for _code, _letter, name in formats.REGIONS),
    *formats.OUT_OF_SCOPE_REGIONS,
)
_FOLDS_INTO_A_WORD = tuple(
    c for c in _FOLDS_TO_ASCII if any(c.casefold() in word for word in _COMPARED_WORDS)
)
_FOLDING_CP1252 = tuple(
    c.encode("cp1252")
    for c in _FOLDS_INTO_A_WORD
    if c in bytes(range(0x100)).decode("cp1252", errors="ignore")
)
_FOLDING_UTF8 = tuple(c.encode() for c in _FOLDS_INTO_A_WORD)
_MISSING = ("", "NULL", "null")
_DATE = "^[0-9]{1,2}[-/][0-9]{1,2}[-/][0-9]{4}$"


def applicable(table) -> bool:
    """Whether the server can read this file exactly as Python would."""
    if connection.vendor != "postgresql" or table.body_start is None:
        return False
    data = table.data
    if any(b in data for b in _ODD_BYTES):
        return False
    if table.encoding == "Windows-1252":
        if any(b in data for b in (*_ODD_CP1252, *_FOLDING_CP1252)):
            return False
    else:
        # Searching only the non-ASCII bytes is ten times faster, and exact: in
        # UTF-8 every byte of a multi-byte character is >= 0x80, and a character
        # always starts with a lead byte, which no pattern has after its first.
        beyond_ascii = data.translate(None, _ASCII)
        if _ODD_UTF8.search(beyond_ascii) or any(b in beyond_ascii for b in _FOLDING_UTF8):
            return False
    return not _has_end_marker(data, table.body_start)


def _has_end_marker(data: bytes, start: int) -> bool:
    """A line that is just backslash-period ends a COPY's data early."""
    position = start - 1
    while True:
        # A one-byte search (memchr) is several times faster than finding "\\.".
        position = data.find(b"\\", position + 1)
        if position < 0:
            return False
        if data[position + 1 : position + 2] != b".":
            continue
        at_line_start = position == start or data[position - 1 : position] == b"\n"
        after = data[position + 2 : position + 4]
        if at_line_start and (after in (b"", b"\r", b"\r\n") or after[:1] == b"\n"):
            return True


def _record_end(data: bytes, start: int, at: int, stop: int) -> int:
    """The end of the first line at or after `at` that is not inside a quoted
    field, counting quotes from `start` (where a record starts); `stop` if none.
    A doubled quote inside a field counts twice, so an odd count means "inside"."""
    quotes = data.count(b'"', start, at)
    while at < stop:
        newline = data.find(b"\n", at, stop)
        if newline < 0:
            return stop
        quotes += data.count(b'"', at, newline)
        if quotes % 2 == 0:
            return newline + 1
        at = newline + 1
    return stop


def drop_abandoned_tables() -> None:
    """Drop the staging tables of an import whose process died: unlogged tables
    outlive their session. Their names carry the time they were made."""
    cutoff = time.time() - ABANDONED_AFTER
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relpersistence = 'u' "
            "AND relname ~ '^gias_(stage|conv)_[0-9]+_'"
        )
        for (name,) in cursor.fetchall():
            if int(name.split("_")[2]) < cutoff:
                cursor.execute(f"DROP TABLE IF EXISTS {_q(name)}")


@dataclass
class _Part:
    """One part of the file body (bytes start:end) in its own staging table."""

    table: str
    start: int
    end: int
    offset: int = 0  # records in the parts before this one
    records: int = 0


_PART_TABLE = "__part_table__"
_PART_OFFSET = "__part_offset__"


def _for_part(template: str, part: _Part) -> str:
    return template.replace(_PART_TABLE, part.table).replace(_PART_OFFSET, str(int(part.offset)))


def _in_list(values) -> str:
    """A constant list for SQL IN; the values are this module's own constants."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _number_code(expr: str) -> str:  # values.number_code
    return (
        f"CASE WHEN {expr} ~ '^[0-9]+$' THEN coalesce(nullif(ltrim({expr}, '0'), ''), '0') "
        f"ELSE {expr} END"
    )


def _bind(params: dict, prefix: str, value) -> str:
    """Add `value` to the named query parameters; the placeholder that names it."""
    name = f"{prefix}{len(params)}"
    params[name] = value
    return f"%({name})s"


def _lower(expr: str) -> str:
    """Lower-cases ASCII letters only, as the "C" collation does: the same for every
    word it is compared with as Python's casefold() (see _FOLDS_TO_ASCII), and
    cheaper than lower() under a language collation."""
    return f'lower(({expr}) COLLATE "C")'


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _trim(column: str) -> str:
    return f"btrim(coalesce({column}, ''), E' \\t\\r\\n')"


class StagedLoad:
    """One establishments file in a staging table; see the module docstring."""

    def __init__(self, importer):
        self.importer = importer
        self.table = importer.table
        self.width = len(self.table.header)
        self.stamp = f"{int(time.time())}_{uuid.uuid4().hex[:12]}"
        self.conv = _q(f"gias_conv_{self.stamp}")
        self.parts: list[_Part] = []
        self.records = 0
        self.clean = 0
        self.new_clean = 0
        self.params: dict = {}
        # Set by the importer: leave the rebuild of dropped indexes to after commit.
        self.build_indexes_later = False

    # ---------------------------------------------------------------- load
    def load(self) -> bool:
        """COPY the file's parts into their staging tables. False (and nothing
        kept) when PostgreSQL cannot read it as it stands."""
        drop_abandoned_tables()
        self.parts = [
            _Part(_q(f"gias_stage_{self.stamp}_{k}"), start, end)
            for k, (start, end) in enumerate(self._part_bounds())
        ]
        progress = self.importer.progress
        try:
            run_in_sessions(
                [
                    partial(self._copy, part, progress if k == 0 else None)
                    for k, part in enumerate(self.parts)
                ]
            )
        except (psycopg.Error, DatabaseError):
            self.drop()
            return False
        for part in self.parts:
            part.offset = self.records
            self.records += part.records
        return True

    def _part_bounds(self) -> list[tuple[int, int]]:
        data, start = self.table.data, self.table.body_start
        size = len(data) - start
        count = max(1, settings.IMPORT_DATABASE_SESSIONS) if size >= PART_MIN_BYTES else 1
        cuts = [start]
        for k in range(1, count):
            at = max(cuts[-1], start + size * k // count)
            cuts.append(_record_end(data, cuts[-1], at, len(data)))
        cuts.append(len(data))
        return [(a, b) for a, b in pairwise(cuts) if b > a]

    def _copy(self, part: _Part, progress) -> None:
        columns = ", ".join(f"c{i} text" for i in range(self.width))
        names = ", ".join(f"c{i}" for i in range(self.width))
        copy_sql = (
            f"COPY {part.table} ({names}) FROM STDIN "
            f"WITH (FORMAT csv, ENCODING '{self.table.pg_encoding}')"
        )
        data = self.table.data
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE UNLOGGED TABLE {part.table} "
                f"(rn integer GENERATED ALWAYS AS IDENTITY, {columns})"
            )
            start = part.start
            while start < part.end:
                # Cut between records: a cut inside a quoted field would leave that
                # COPY with an unterminated quote, which PostgreSQL refuses.
                end = _record_end(data, start, min(start + COPY_CHUNK, part.end), part.end)
                with transaction.atomic(), cursor.copy(copy_sql) as copy:
                    copy.write(data[start:end])
                part.records += cursor.rowcount
                start = end
                if progress is not None:
                    # Only this thread reports, but for every part (the others
                    # count their rows as they go).
                    done = sum(other.records for other in self.parts)
                    progress.advance(done, f"Checked {done:,} rows", force=True)

    def _stage_rows(self, condition: str) -> str:
        """Every staged column of the rows meeting `condition`, in which `rn` is
        the row's number in file order."""
        names = ", ".join(f"c{i}" for i in range(self.width))
        return " UNION ALL ".join(
            f"SELECT * FROM (SELECT rn + {part.offset} AS rn, {names} FROM {part.table}) AS s "
            f"WHERE {condition}"
            for part in self.parts
        )

    def drop(self) -> None:
        tables = ", ".join([*(part.table for part in self.parts), self.conv])
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {tables}")
        except DatabaseError:
            pass  # the transaction failed already; its tables go with it

    # --------------------------------------------------------------- check
    def check(self) -> None:
        """Classify every row; run the rows that are not clean through Python."""
        importer = self.importer
        result = importer.result
        result.rows_read = self.records
        if not self.records:
            return
        oversized = self._oversized()
        template = self._convert_sql()
        params = {"oversized": list(oversized), **self.params}
        with connection.cursor() as cursor:
            select = _for_part(template, self.parts[0])
            cursor.execute(f"CREATE UNLOGGED TABLE {self.conv} AS {select} WITH NO DATA", params)
        run_in_sessions(
            [partial(self._convert, _for_part(template, part), params) for part in self.parts]
        )
        run_in_sessions([self._find_new_authorities, self._mark_duplicates])
        with connection.cursor() as cursor:
            # The rows Python must check, and how many clean rows are new (which
            # decides whether the write rebuilds the indexes), in one pass.
            clean = self._clean_condition()
            cursor.execute(
                f"SELECT coalesce(array_agg(c.rn ORDER BY c.rn) FILTER (WHERE NOT ({clean})), "
                f"'{{}}'), count(*) FILTER (WHERE ({clean}) AND s.id IS NULL) "
                f"FROM {self.conv} c {self._new_la_join()} "
                "LEFT JOIN schools_school s ON s.urn = c.urn",
                self._new_la_params(),
            )
            unclean, self.new_clean = cursor.fetchone()
            self.clean = self.records - len(oversized) - len(unclean)
            rows = self._raw_rows(cursor, unclean) if unclean else {}
        for rn in sorted([*oversized, *rows]):
            if rn in oversized:
                column, value = oversized[rn]
                result.rows_rejected += 1
                result.reject(
                    rn + 1,
                    self.table.header[column],
                    value,
                    f"The value is {len(value):,} characters long; "
                    f"the longest allowed is {MAX_FIELD_CHARS:,}.",
                )
                continue
            row = importer.make_row(rn + 1, rows[rn])
            try:
                importer.parse_row(row)
            except RowRejected:
                pass

    def _mark_duplicates(self) -> None:
        """Every row of a URN that appears more than once goes through Python, in
        file order: the first good one is kept, the others reported."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.conv} SET ok = false WHERE ok AND urn IN "
                f"(SELECT urn FROM {self.conv} GROUP BY urn HAVING count(*) > 1)"
            )

    def _find_new_authorities(self) -> None:
        """The local authorities the file adds (each from the first row naming it)
        and the regions they need."""
        importer = self.importer
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT ON (la_key) la_key, rn, la_name, region FROM {self.conv} "
                "WHERE NOT skip AND la_key IS NOT NULL AND la_id IS NULL "
                "AND la_name <> '' AND english ORDER BY la_key, rn"
            )
            for code, rn, name, region in cursor.fetchall():
                importer.new_las[code] = (name, region)
                importer.new_la_rows[code] = rn + 1
            cursor.execute(
                f"SELECT DISTINCT region FROM {self.conv} "
                "WHERE NOT skip AND la_id IS NULL AND english AND region_id IS NULL"
            )
            importer.missing_regions.update(name for (name,) in cursor.fetchall())

    def _oversized(self) -> dict[int, tuple[int, str]]:
        """rn -> (column, value) for rows with a field over MAX_FIELD_CHARS, which
        the reader rejects before any other check."""
        data, start = self.table.data, self.table.body_start
        # The header is the first line: every other line end is in the body.
        body_lines = self.table.line_ends - 1 + (0 if data.endswith(b"\n") else 1)
        if body_lines == self.records and all(
            data.find(b"\n", block, block + _BLOCK) >= 0
            for block in range(start, len(data) - _BLOCK, _BLOCK)
        ):
            # One record per line and a line end in every half-limit block: no
            # line, so no field, is as long as the limit.
            return {}
        condition = " OR ".join(
            f"octet_length(c{i}) > {int(MAX_FIELD_CHARS)}" for i in range(self.width)
        )
        found = {}
        with connection.cursor() as cursor:
            cursor.execute(self._stage_rows(condition))
            for rn, *values in cursor.fetchall():
                for column, value in enumerate(values):
                    if value is not None and len(value) > MAX_FIELD_CHARS:
                        found[rn] = (column, value)
                        break
        return found

    def _raw_rows(self, cursor, rns: list[int]) -> dict[int, list[str]]:
        cursor.execute(self._stage_rows("rn = ANY(%(rns)s::integer[])"), {"rns": rns})
        return {rn: ["" if v is None else v for v in values] for rn, *values in cursor.fetchall()}

    def _convert(self, select: str, params: dict) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {self.conv} {select}", params)

    # ----------------------------------------------------------------- SQL
    def _convert_sql(self) -> str:
        """A part's staging table -> rows of the converted table (a template: see
        _for_part): one per row read (oversized ones left out), numbered in file
        order, the register's values converted, and `ok` when every check of
        `parse_clean_row` passes (whether the URN is the file's only one is checked
        afterwards, over all parts). Sets self.params; takes %(oversized)s too."""
        importer = self.importer
        cols = importer.columns
        params: dict = {}
        param = partial(_bind, params, "p")
        fields = list(formats.ESTABLISHMENT_COLUMNS.aliases)
        trimmed = ", ".join(
            f"{_trim(f'c{cols[f]}')} AS r_{f}" if f in cols else f"''::text AS r_{f}"
            for f in fields
        )
        rn = f"rn + {_PART_OFFSET}"
        level1 = (
            f"SELECT {rn} AS rn, {trimmed} FROM {_PART_TABLE} "
            f"WHERE NOT ({rn} = ANY(%(oversized)s::integer[])) OFFSET 0"
        )
        dates = [f for f in ("opened_on", "closed_on") if f in cols]
        la = "r_la_code"
        region = "CASE WHEN r_region IN ('NULL', 'null') THEN '' ELSE r_region END"
        trust = "CASE WHEN r_trust_uid IN ('NULL', 'null') THEN '' ELSE r_trust_uid END"
        level2 = (
            f"SELECT l1.*, {region} AS region, {_lower(region)} AS region_l, "
            f"{trust} AS trust_text, {_number_code(trust)} AS trust_key, "
            f"CASE WHEN {la} ~ '^[0-9]+$' AND length(ltrim({la}, '0')) <= 3 THEN "
            f"lpad(ltrim({la}, '0'), 3, '0') END AS la_key"
            + "".join(
                f", CASE WHEN r_{f} ~ '{_DATE}' THEN "
                f"string_to_array(translate(r_{f}, '/', '-'), '-')::integer[] END AS p_{f}"
                for f in dates
            )
            + f" FROM ({level1}) AS l1 OFFSET 0"
        )

        missing = _in_list(_MISSING)
        not_applicable = _in_list(sorted(NOT_APPLICABLE))

        def text(f: str) -> str:  # values.text
            return f"CASE WHEN t.r_{f} IN ('NULL', 'null') THEN '' ELSE t.r_{f} END"

        def clean_text(f: str) -> str:  # parse_clean_row: only "NULL" is missing
            return f"CASE WHEN t.r_{f} = 'NULL' THEN '' ELSE t.r_{f} END"

        def person(f: str) -> str:  # one part of values.person_name
            return (
                f"CASE WHEN t.r_{f} IN {missing} OR {_lower(f't.r_{f}')} IN {not_applicable} "
                f"THEN NULL ELSE t.r_{f} END"
            )

        def date(f: str) -> str:  # values.parse_date, dd-mm-yyyy or dd/mm/yyyy
            day, month, year = f"t.p_{f}[1]", f"t.p_{f}[2]", f"t.p_{f}[3]"
            leap = f"(mod({year}, 4) = 0 AND (mod({year}, 100) <> 0 OR mod({year}, 400) = 0))"
            return (
                f"CASE WHEN {month} BETWEEN 1 AND 12 AND {year} >= 1 AND {day} BETWEEN 1 AND "
                f"CASE WHEN {month} = 2 THEN CASE WHEN {leap} THEN 29 ELSE 28 END "
                f"WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END "
                f"THEN make_date({year}, {month}, {day}) END"
            )

        def integer(f: str, highest: int) -> str:  # values.parse_int
            return (
                f"CASE WHEN t.r_{f} ~ '^[0-9]{{1,9}}$' THEN CASE WHEN t.r_{f}::bigint <= "
                f"{highest} THEN t.r_{f}::integer END END"
            )

        english = _in_list(name.casefold() for _code, _letter, name in formats.REGIONS)
        select = [
            "t.rn",
            "t.r_urn AS urn",
            f"t.region_l IN {_in_list(formats.OUT_OF_SCOPE_REGIONS)} AS skip",
            f"t.region_l IN {english} AS english",
            f"{self._region_case(param)} AS region_id",
            "la.id AS la_id",
            f"left({text('la_name')}, 128) AS la_name",
        ]
        out = ["rn", "urn", "region", "skip", "english", "region_id", "la_key", "la_id", "la_name"]
        checks = ["v.urn ~ '^[0-9]{6}$'", "v.la_key IS NOT NULL", "NOT v.skip"]
        checks.append("(v.region = '' OR v.english)")
        self.text_fields = []
        for f, attname, clean in _TEXT_FIELDS:
            if f not in cols:
                continue
            value = clean_text(f)
            if clean is described:
                value = f"CASE WHEN {_lower(value)} IN {not_applicable} THEN '' ELSE {value} END"
            select.append(f"{value} AS {attname}")
            checks.append(f"length(v.{attname}) <= {School._meta.get_field(attname).max_length}")
            checks.append(f"v.r_{f} <> 'null'")
            self.text_fields.append(attname)
        checks.append("v.name <> ''")
        statuses = " ".join(
            f"WHEN {param(name)} THEN {param(str(value))}" for name, value in STATUSES.items()
        )
        select.append(f"CASE {_lower('t.r_status')} {statuses} END AS status")
        checks.append("v.status IS NOT NULL")
        self.typed = ["status"]
        if "type_code" in cols:
            select.append(f"left({_number_code(text('type_code'))}, 4) AS type_code")
            checks.append("octet_length(v.r_type_code) = length(v.r_type_code)")
            self.typed.append("type_code")
        for f in dates:
            select.append(f"{date(f)} AS {f}")
            checks.append(f"(v.{f} IS NOT NULL OR v.r_{f} IN {missing})")
            self.typed.append(f)
        for f, highest in (
            ("statutory_low_age", 99),
            ("statutory_high_age", 99),
            ("number_of_pupils", 2_000_000),
        ):
            if f in cols:
                select.append(f"{integer(f, highest)} AS {f}")
                checks.append(f"(v.{f} IS NOT NULL OR v.r_{f} IN {missing})")
                self.typed.append(f)
        checks.append(
            "(v.statutory_low_age IS NULL OR v.statutory_high_age IS NULL "
            "OR v.statutory_low_age <= v.statutory_high_age)"
            if "statutory_low_age" in cols and "statutory_high_age" in cols
            else "true"
        )
        if "percentage_fsm" in cols:
            select.append(
                "CASE WHEN t.r_percentage_fsm ~ '^[0-9]{1,3}(\\.[0-9]{1,2})?$' THEN "
                "CASE WHEN t.r_percentage_fsm::numeric <= 100 THEN "
                "t.r_percentage_fsm::numeric(5, 2) END END AS percentage_fsm"
            )
            checks.append(f"(v.percentage_fsm IS NOT NULL OR v.r_percentage_fsm IN {missing})")
            self.typed.append("percentage_fsm")
        if importer.with_head:
            head = ", ".join(person(f) for f in _HEAD)
            limit = School._meta.get_field("headteacher").max_length
            select.append(f"left(concat_ws(' ', {head}), {limit}) AS headteacher")
            self.typed.append("headteacher")
        if "establishment_number" in cols:
            n = "t.r_establishment_number"
            select.append(
                f"CASE WHEN {n} IN {missing} THEN '' WHEN {n} ~ '^[0-9]+$' "
                f"AND length(ltrim({n}, '0')) <= 4 THEN t.la_key || "
                f"lpad(ltrim({n}, '0'), 4, '0') END AS laestab"
            )
            checks.append("v.laestab IS NOT NULL")
            self.typed.append("laestab")
        trust_join = ""
        if importer.with_trust:
            select.append("tr.id AS trust_id")
            checks.append("(v.trust_text = '' OR v.trust_id IS NOT NULL)")
            checks.append("octet_length(v.r_trust_uid) = length(v.r_trust_uid)")
            trust_join = "LEFT JOIN schools_trust tr ON tr.uid = t.trust_key"
            self.typed.append("trust_id")
        out += self.text_fields + self.typed
        level3 = (
            f"SELECT t.*, {', '.join(select[1:])} FROM ({level2}) AS t "
            "LEFT JOIN schools_localauthority la ON la.code = t.la_key "
            f"{trust_join} "
            "OFFSET 0"
        )
        self.params = params
        return (
            "SELECT "
            + ", ".join(f"v.{c}" for c in dict.fromkeys(out))
            + f", {' AND '.join(checks)} AS ok "
            f"FROM ({level3}) AS v"
        )

    def _region_case(self, param, name: str = "t.region_l") -> str:
        """The region's id by its lower-cased name, as a CASE over the importer's
        few regions rather than a join: the planner, with no statistics on a fresh
        staging table, would sort every row for a merge join."""
        regions = self.importer.regions  # casefolded name -> id
        if not regions:
            return "NULL::bigint"
        branches = " ".join(f"WHEN {param(key)} THEN {int(pk)}" for key, pk in regions.items())
        return f"CASE {name} {branches} END"

    def _new_la_join(self) -> str:
        return (
            "LEFT JOIN unnest(%(new_la_codes)s::text[], %(new_la_rns)s::integer[]) "
            "AS f(code, first) ON f.code = c.la_key"
        )

    def _new_la_params(self) -> dict:
        rows = self.importer.new_la_rows
        return {"new_la_codes": list(rows), "new_la_rns": [n - 1 for n in rows.values()]}

    @staticmethod
    def _clean_condition() -> str:
        return "c.ok AND (c.la_id IS NOT NULL OR c.rn >= f.first)"

    # --------------------------------------------------------------- write
    def write(self, records: dict) -> tuple[int, int, int]:
        """Merge the clean rows and the rows Python accepted; (created, updated,
        unchanged). Inside the import's transaction."""
        key = ("urn",)
        fields = writable_fields(School, key)
        provided = [*self.text_fields, *self.typed, "local_authority_id", "region_id"]
        values = {f: f"c.{f}" for f in provided}
        values["local_authority_id"] = "la.id"
        params = self._new_la_params()
        param = partial(_bind, params, "w")
        if self.importer.missing_regions:
            # A region added by this import (the importer's map holds it now): a new
            # LA's school takes it by name.
            by_name = self._region_case(param, _lower("c.region"))
            values["region_id"] = (
                "CASE WHEN c.la_id IS NOT NULL THEN coalesce(c.region_id, la.region_id) "
                f"ELSE coalesce({by_name}, la.region_id) END"
            )
        else:
            # Every region named existed when the rows were converted, so c.region_id
            # is already what the name would find.
            values["region_id"] = "coalesce(c.region_id, la.region_id)"
        select = ["c.urn"]
        for f in fields:
            if f in values:
                select.append(values[f])
            else:
                params[f"default_{f}"] = School._meta.get_field(f).get_default()
                select.append(f"%(default_{f})s")
        table = _q(School._meta.db_table)
        column = {f: _q(School._meta.get_field(f).column) for f in fields}
        target = ", ".join([_q("urn"), *(column[f] for f in fields)])
        updates = ", ".join(f"{column[f]} = EXCLUDED.{column[f]}" for f in provided)
        mine = ", ".join(f"{table}.{column[f]}" for f in provided)
        theirs = ", ".join(f"EXCLUDED.{column[f]}" for f in provided)
        rows = (
            f"SELECT {', '.join(select)} FROM {self.conv} c {self._new_la_join()} "
            "JOIN schools_localauthority la ON la.code = c.la_key "
            f"WHERE {self._clean_condition()}"
        )
        created = updated = 0
        with connection.cursor() as cursor:
            with bulk_load(
                cursor,
                School._meta.db_table,
                self.new_clean + len(records),
                build_indexes_later=self.build_indexes_later,
            ) as locked:
                merge = (
                    f"WITH ins AS (INSERT INTO {table} ({target}) {rows} "
                    f"ON CONFLICT (urn) DO UPDATE SET {updates} "
                    f"WHERE ({mine}) IS DISTINCT FROM ({theirs}) "
                    "RETURNING xmax = 0 AS created) "
                    "SELECT count(*) FILTER (WHERE created), "
                    "count(*) FILTER (WHERE NOT created) FROM ins"
                )
                first_load = bool(self.clean) and self.new_clean == self.clean
                if first_load:
                    # Every clean row is new (a first load): a plain INSERT, without
                    # the speculative insertion ON CONFLICT costs each row, and in a
                    # bulk load without the URN index too. If someone added one of
                    # these schools since the check, the savepoint undoes the INSERT
                    # and the merge below writes the rows instead.
                    unique = (
                        without_unique_key(cursor, School._meta.db_table, "urn")
                        if locked
                        else nullcontext()
                    )
                    try:
                        with transaction.atomic(), unique:
                            cursor.execute(f"INSERT INTO {table} ({target}) {rows}", params)
                            created = cursor.rowcount
                    except IntegrityError:
                        first_load = False
                if self.clean and not first_load:
                    cursor.execute(merge, params)
                    created, updated = cursor.fetchone()
                outcome = upsert(School, key=key, rows=records)
        unchanged = self.clean - created - updated + outcome.unchanged
        return created + len(outcome.created), updated + len(outcome.updated), unchanged
