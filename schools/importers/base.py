"""The shape every importer shares: parse and validate all rows first (reporting
progress, outside any transaction), then write everything in one atomic step."""

from django.db import transaction

from schools.importers.formats import KIND_LABELS, Generation
from schools.importers.reader import NO_ROWS, Table
from schools.importers.result import ImportRejected, ImportResult
from schools.importers.values import ValueProblem

PROGRESS_EVERY = 1000


class RowRejected(Exception):
    """Raised while parsing a row once its problems are recorded."""


class Row:
    """One data row: values by field name, with problems collected as they are found."""

    __slots__ = ("number", "values", "columns", "names", "problems")

    def __init__(self, number: int, values: list[str], columns: dict[str, int], names):
        self.number = number
        self.values = values
        self.columns = columns
        self.names = names
        self.problems: list[tuple[str, str, str]] = []

    def has(self, name: str) -> bool:
        return name in self.columns

    def raw(self, name: str) -> str:
        index = self.columns.get(name)
        return self.values[index] if index is not None else ""

    def get(self, name: str, parse, *args, **kwargs):
        value = self.raw(name)
        try:
            return parse(value, *args, **kwargs)
        except ValueProblem as exc:
            self.problems.append((self.names(name), value, str(exc)))
            return None

    def problem(self, name: str, problem: str, value: str | None = None) -> None:
        self.problems.append(
            (self.names(name) if name else "", self.raw(name) if value is None else value, problem)
        )


class Importer:
    kind: str = ""
    record_label = "records"
    record_label_one = "record"

    def __init__(self, *, table: Table, generation: Generation, result: ImportResult, progress):
        self.table = table
        self.generation = generation
        self.result = result
        self.progress = progress
        self.columns = generation.columns.resolve(table.header)
        self.result.record_label = self.record_label
        self.result.record_label_one = self.record_label_one

    def column_name(self, name: str) -> str:
        index = self.columns.get(name)
        if index is None:
            return self.generation.columns.column_name(name)
        return self.table.header[index]

    # ------------------------------------------------------------- phases
    def run(self) -> ImportResult:
        self.prepare()
        if self.progress is not None:
            self.progress.total(self.table.estimated_rows, "Reading and checking rows")
        count = 0
        for number, values in self.table.rows(self.result):
            row = Row(number, values, self.columns, self.column_name)
            try:
                self.parse_row(row)
            except RowRejected:
                pass
            count += 1
            if self.progress is not None and count % PROGRESS_EVERY == 0:
                self.progress.advance(count, f"Checked {count:,} rows")
        if self.progress is not None:
            self.progress.advance(count, "Writing to the register", force=True)
        if self.result.rows_read == 0:
            raise ImportRejected(NO_ROWS)
        with transaction.atomic():
            self.write()
        return self.result

    def reject(self, row: Row) -> None:
        """Record the row's problems and reject it."""
        self.result.rows_rejected += 1
        for column, value, problem in row.problems:
            self.result.reject(row.number, column, value, problem)
        raise RowRejected

    def check(self, row: Row) -> None:
        if row.problems:
            self.reject(row)

    def skip(self, row: Row, reason: str) -> None:
        self.result.rows_skipped += 1
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + 1
        raise RowRejected

    def prepare(self) -> None:
        self.skipped_reasons: dict[str, int] = {}

    def parse_row(self, row: Row) -> None:
        raise NotImplementedError

    def write(self) -> None:
        raise NotImplementedError

    def finish_notes(self) -> None:
        for reason, count in self.skipped_reasons.items():
            rows = "row" if count == 1 else "rows"
            self.result.notes.append(f"{count} {rows} skipped: {reason}.")


def new_result(kind: str) -> ImportResult:
    return ImportResult(kind=kind, kind_label=KIND_LABELS[kind])
