"""What a rule set sees and returns: plain data, no database access."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

GRADE_LABELS = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}


@dataclass(frozen=True, slots=True)
class Inspection:
    """One graded inspection in a school's history, as the engine hands it over.

    `via` says how it reached the school's history: "" for its own inspections,
    "urn_at_time" for an inspection recorded against it under a predecessor's
    URN, "link" for an inspection of a predecessor school found through a GIAS
    predecessor link."""

    id: int
    number: str
    urn: str
    start_date: dt.date
    grade: int
    via: str = ""

    def as_evidence(self) -> dict:
        return {
            "number": self.number,
            "urn": self.urn,
            "start_date": self.start_date.isoformat(),
            "grade": self.grade,
            "via": self.via,
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One criterion a school meets, with the inspections that prove it."""

    criterion: str
    inspections: tuple[Inspection, ...]
    run_length: int | None = None

    @property
    def latest(self) -> Inspection:
        return self.inspections[-1]

    @property
    def predecessor_used(self) -> bool:
        return any(i.via for i in self.inspections)

    def evidence(self, rule_set_key: str) -> dict:
        return {
            "rule_set": rule_set_key,
            "inspections": [i.as_evidence() for i in self.inspections],
            "predecessor_urns": sorted({i.urn for i in self.inspections if i.via}),
            "predecessor_via": sorted({i.via for i in self.inspections if i.via}),
        }


class RuleSet:
    """Decides which computed criteria one school meets for one offer year.

    `evaluate` gets the school's graded inspections (own and inherited from
    predecessors) in start-date order, each with an overall-effectiveness
    grade; it returns the criteria met."""

    key: str = ""
    label: str = ""
    computed_criteria: tuple[str, ...] = ()

    def evaluate(
        self, *, starts_on: dt.date, ends_on: dt.date, inspections: Sequence[Inspection]
    ) -> list[Finding]:
        raise NotImplementedError
