"""The 2023/24 TSI offer's eligibility criteria (guidance section 3).

A: two or more consecutive "Requires improvement" judgements, the latest from an
   inspection that started inside the academic year;
B: an "Inadequate" judgement from an inspection that started inside the year.

Only graded inspections reach a rule set (ungraded ones neither break nor
extend a run, and inspections without an overall grade cannot satisfy A or B).
A Good or Outstanding judgement, or an Inadequate one, ends a run of RIs.
Criteria C and "by exception" are recorded decisions, not computed here."""

import datetime as dt
from collections.abc import Sequence

from deployments.eligibility import register
from deployments.eligibility.base import Finding, Inspection, RuleSet

REQUIRES_IMPROVEMENT = 3
INADEQUATE = 4


@register
class Tsi2023RuleSet(RuleSet):
    key = "tsi-2023-24"
    label = "TSI 2023/24: A (2+ consecutive RI), B (Inadequate), C (RD), by exception"
    computed_criteria = ("A", "B")

    def evaluate(
        self, *, starts_on: dt.date, ends_on: dt.date, inspections: Sequence[Inspection]
    ) -> list[Finding]:
        run: list[Inspection] = []
        best_run: tuple[Inspection, ...] = ()
        latest_inadequate: Inspection | None = None
        for inspection in inspections:
            if inspection.start_date > ends_on:
                break
            in_year = inspection.start_date >= starts_on
            if inspection.grade == REQUIRES_IMPROVEMENT:
                run.append(inspection)
                if in_year and len(run) >= 2:
                    best_run = tuple(run)  # the latest qualifying run wins
            else:
                run = []
                if inspection.grade == INADEQUATE and in_year:
                    latest_inadequate = inspection
        findings = []
        if best_run:
            findings.append(Finding("A", best_run, run_length=len(best_run)))
        if latest_inadequate is not None:
            findings.append(Finding("B", (latest_inadequate,)))
        return findings
