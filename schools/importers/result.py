"""What an import reports: counts, the recognised generation and per-row problems."""

import io
from dataclasses import asdict, dataclass, field

from portal.spreadsheets import csv_writer
from portal.text import counted

ERROR_REPORT_HEADER = ("row", "column", "value", "problem", "outcome")
PREVIEW_ERRORS = 100


class ImportRejected(Exception):
    """A fatal problem with the whole file: nothing is written."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowProblem:
    """One problem on one row. `rejected` is False for a warning that did not stop
    the row (for example a trust not yet in the register)."""

    row: int
    column: str
    value: str
    problem: str
    rejected: bool = True

    @property
    def outcome(self) -> str:
        return "row rejected" if self.rejected else "row imported"


@dataclass
class ImportResult:
    kind: str
    kind_label: str
    generation: str = ""
    generation_label: str = ""
    encoding: str = ""
    record_label: str = "records"
    record_label_one: str = "record"
    rows_read: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def rejected(self) -> int:
        return self.rows_rejected

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.extra.get("inferred_changed"))

    def reject(self, row: int, column: str, value: str, problem: str) -> None:
        self.problems.append(RowProblem(row, column, _short(value), problem))

    def warn(self, row: int, column: str, value: str, problem: str) -> None:
        self.problems.append(RowProblem(row, column, _short(value), problem, rejected=False))

    def summary(self) -> str:
        return (
            f"{counted(self.rows_read, 'row', 'rows')} read: "
            f"{counted(self.created, self.record_label_one, self.record_label)} created, "
            f"{self.updated:,} updated, {self.unchanged:,} unchanged; "
            f"{counted(self.rows_rejected, 'row', 'rows')} rejected, {self.rows_skipped:,} skipped."
        )

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("problems")
        data["rejected"] = self.rows_rejected
        data["problem_count"] = len(self.problems)
        data["problems_preview"] = [
            asdict(p) | {"outcome": p.outcome} for p in self.problems[:PREVIEW_ERRORS]
        ]
        return data

    def error_report_csv(self) -> bytes:
        """The per-row error report: row number, column, value, problem."""
        out = io.StringIO()
        writer = csv_writer(out, lineterminator="\r\n")
        writer.writerow(ERROR_REPORT_HEADER)
        for p in sorted(self.problems, key=lambda p: p.row):
            writer.writerow((p.row, p.column, p.value, p.problem, p.outcome))
        return out.getvalue().encode("utf-8-sig")


def _short(value: str, limit: int = 200) -> str:
    value = "" if value is None else str(value)
    if len(value) > limit:
        return f"{value[:limit]}… ({len(value):,} characters)"
    return value
