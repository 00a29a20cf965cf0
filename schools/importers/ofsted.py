"""Ofsted management information (state-funded schools, latest inspections) ->
OfstedInspection, in all three header generations.

Each row carries up to three inspections, each kept as its own record keyed by
inspection number, so successive monthly releases build up the history. An
inspection of a predecessor establishment ("relate to the URN of the current
school?" = No) belongs to the current school with `urn_at_time` set.

Inspection types carry history too: "Requires Improvement S5 Reinspection Visit N"
means the N graded judgements before it were Requires improvement. Where the
register has no real record of those, inferred records (source INFERRED, key
"INF-<evidencing inspection number>-<k>", which cannot collide with a published
number) stand in for them; they are recomputed on every import, so a later file
that supplies the real inspection replaces the inferred one."""

import datetime as dt
import re

from django.db import transaction

from schools.importers import formats
from schools.importers.base import Importer, Row
from schools.importers.db import upsert
from schools.importers.values import MISSING, ValueProblem, parse_date, parse_urn, text
from schools.models import OfstedInspection, School
from schools.signals import inspections_changed

Kind = OfstedInspection.Kind
Grade = OfstedInspection.Grade
RC = OfstedInspection.ReportCardGrade
Source = OfstedInspection.Source

GRADES = {
    "1": Grade.OUTSTANDING,
    "2": Grade.GOOD,
    "3": Grade.REQUIRES_IMPROVEMENT,
    "4": Grade.INADEQUATE,
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "inadequate": Grade.INADEQUATE,
}
NO_GRADE = frozenset(
    {"", "null", "not judged", "9", "0", "not applicable", "n/a", "na", "not graded", "none"}
)
REPORT_CARD_GRADES = {
    "exceptional": RC.EXCEPTIONAL,
    "strong standard": RC.STRONG,
    "strong": RC.STRONG,
    "expected standard": RC.EXPECTED,
    "expected": RC.EXPECTED,
    "needs attention": RC.NEEDS_ATTENTION,
    "urgent improvement": RC.URGENT,
}
CONCERNS = {
    "sm": OfstedInspection.Concern.SPECIAL_MEASURES,
    "special measures": OfstedInspection.Concern.SPECIAL_MEASURES,
    "swk": OfstedInspection.Concern.SERIOUS_WEAKNESSES,
    "serious weaknesses": OfstedInspection.Concern.SERIOUS_WEAKNESSES,
}
YES_NO = {"yes": True, "no": False, "met": True, "not met": False, "y": True, "n": False}

SUBJUDGEMENT_FIELDS = (
    ("quality", "quality_of_education"),
    ("behaviour", "behaviour_and_attitudes"),
    ("personal", "personal_development"),
    ("leadership", "leadership_and_management"),
    ("early_years", "early_years"),
    ("sixth_form", "sixth_form"),
)
REPORT_CARD_FIELDS = (
    ("inclusion", "rc_inclusion"),
    ("curriculum", "rc_curriculum_and_teaching"),
    ("achievement", "rc_achievement"),
    ("attendance", "rc_attendance_and_behaviour"),
    ("personal", "rc_personal_development"),
    ("early_years", "rc_early_years"),
    ("post_16", "rc_post_16"),
    ("leadership", "rc_leadership_and_governance"),
)

RI_REINSPECTION = re.compile(r"requires improvement.*reinspection visit\s*(\d+)", re.I)
INADEQUATE_FOLLOW_UP = (
    (re.compile(r"serious weaknesses s5 reinspection", re.I), "SWK"),
    (re.compile(r"schools with serious weaknesses visit", re.I), "SWK"),
    (re.compile(r"special measures s5 reinspection", re.I), "SM"),
)
INFERRED_PREFIX = "INF-"


def parse_grade(value: str):
    value = value.strip().casefold()
    if value in NO_GRADE:
        return None
    try:
        return GRADES[value]
    except KeyError:
        raise ValueProblem("Not a grade: expected 1-4, a grade name or Not judged.") from None


def parse_report_card_grade(value: str) -> str:
    value = value.strip().casefold()
    if value in NO_GRADE:
        return ""
    try:
        return REPORT_CARD_GRADES[value]
    except KeyError:
        raise ValueProblem("Not a report-card grade on the five-point scale.") from None


def parse_concern(value: str) -> str:
    value = value.strip().casefold()
    if value in NO_GRADE or value == "no":
        return ""
    try:
        return CONCERNS[value]
    except KeyError:
        raise ValueProblem("Not a category of concern (SM, SWK or empty).") from None


def parse_yes_no(value: str):
    value = value.strip().casefold()
    if value in NO_GRADE:
        return None
    try:
        return YES_NO[value]
    except KeyError:
        raise ValueProblem("Expected Yes or No.") from None


def inspection_number(value: str) -> str:
    value = value.strip()
    if value in MISSING:
        return ""
    if len(value) > 20 or value.upper().startswith(INFERRED_PREFIX):
        raise ValueProblem("Not an inspection number.")
    return value


class OfstedImporter(Importer):
    kind = formats.OFSTED
    record_label = "inspections"
    record_label_one = "inspection"

    def prepare(self):
        super().prepare()
        self.schools = dict(School.objects.values_list("urn", "pk"))
        self.records: dict[str, dict] = {}
        self.first_row: dict[str, int] = {}
        self.seen_urns: dict[str, int] = {}
        self.school_ids: set[int] = set()
        self.slots = ("r", "g", "u") if self.generation.code == "A" else ("g", "p", "u")

    # ----------------------------------------------------------------- parse
    def parse_row(self, row: Row) -> None:
        urn = row.get("urn", parse_urn)
        school_id = self.schools.get(urn) if urn else None
        if urn and school_id is None:
            row.problem("urn", "School not in the register: import the establishments file first.")
        if urn in self.seen_urns:
            row.problem("urn", f"Duplicate URN: already on row {self.seen_urns[urn]}.")
        found = []
        for slot in self.slots:
            number = row.get(f"{slot}_number", inspection_number)
            if number:
                found.append((number, slot, self._inspection(row, slot)))
        self.check(row)
        self.seen_urns[urn] = row.number
        self.school_ids.add(school_id)
        for number, slot, record in found:
            if number in self.first_row:
                self.result.warn(
                    row.number,
                    self.column_name(f"{slot}_number"),
                    number,
                    f"Inspection {number} is also on row {self.first_row[number]}; "
                    "the first was kept.",
                )
                continue
            self.first_row[number] = row.number
            record["school_id"] = school_id
            self.records[number] = record

    def _inspection(self, row: Row, slot: str) -> dict:
        record = {"source": Source.JUDGEMENT}
        start = row.get(f"{slot}_start", parse_date)
        if start is None and not any(
            p[0] == self.column_name(f"{slot}_start") for p in row.problems
        ):
            row.problem(f"{slot}_start", "The inspection has a number but no start date.")
        record["start_date"] = start
        if row.has(f"{slot}_end"):
            end = row.get(f"{slot}_end", parse_date)
            if end and start and end < start:
                row.problem(f"{slot}_end", "The inspection ends before it starts.")
            record["end_date"] = end
        if row.has(f"{slot}_publication"):
            record["publication_date"] = row.get(f"{slot}_publication", parse_date)
        if row.has(f"{slot}_type"):
            record["inspection_type"] = text(row.raw(f"{slot}_type"))[:128]
        relates = text(row.raw(f"{slot}_relates")).casefold()
        if relates == "no":
            record["urn_at_time"] = row.get(f"{slot}_urn_at_time", parse_urn) or ""
        elif row.has(f"{slot}_relates"):
            record["urn_at_time"] = ""
        if slot in ("g", "p"):
            record["kind"] = Kind.GRADED
            record["overall_effectiveness"] = row.get(f"{slot}_overall", parse_grade)
            if row.has(f"{slot}_concern"):
                record["category_of_concern"] = row.get(f"{slot}_concern", parse_concern) or ""
            for key, attname in SUBJUDGEMENT_FIELDS:
                if row.has(f"{slot}_{key}"):
                    record[attname] = row.get(f"{slot}_{key}", parse_grade)
            if row.has(f"{slot}_safeguarding"):
                record["safeguarding_effective"] = row.get(f"{slot}_safeguarding", parse_yes_no)
        elif slot == "u":
            outcome = text(row.raw("u_outcome"))[:128]
            record["kind"] = (
                Kind.MONITORING if "monitoring" in outcome.casefold() else Kind.UNGRADED
            )
            record["ungraded_outcome"] = outcome
            record["overall_effectiveness"] = None
        else:  # report card
            record["kind"] = Kind.REPORT_CARD
            record["overall_effectiveness"] = None
            if row.has("r_concern"):
                record["category_of_concern"] = row.get("r_concern", parse_concern) or ""
            for key, attname in REPORT_CARD_FIELDS:
                if row.has(f"r_{key}"):
                    record[attname] = row.get(f"r_{key}", parse_report_card_grade) or ""
            if row.has("r_safeguarding"):
                record["rc_safeguarding_met"] = row.get("r_safeguarding", parse_yes_no)
        return record

    # ----------------------------------------------------------------- write
    def write(self) -> None:
        outcome = upsert(OfstedInspection, key=("inspection_number",), rows=self.records)
        self.result.created = len(outcome.created)
        self.result.updated = len(outcome.updated)
        self.result.unchanged = outcome.unchanged
        changed = {outcome.value(v, "school_id") for v in outcome.created.values()}
        changed |= {outcome.value(v, "school_id") for v in outcome.updated.values()}
        changed |= {outcome.value(v, "school_id") for v in outcome.previous.values()}
        changed |= self._recompute_inferred(self.school_ids - {None})
        self.finish_notes()
        if changed:
            school_ids = sorted(changed)
            transaction.on_commit(
                lambda: inspections_changed.send(sender=OfstedInspection, school_ids=school_ids)
            )
        self.result.extra["schools_changed"] = len(changed)

    def _recompute_inferred(self, school_ids: set[int]) -> set[int]:
        history: dict[int, list[tuple]] = {}
        current: dict[str, tuple] = {}
        fields = (
            "inspection_number",
            "school_id",
            "kind",
            "inspection_type",
            "start_date",
            "overall_effectiveness",
            "source",
            "urn_at_time",
            "category_of_concern",
        )
        ids = sorted(school_ids)
        for start in range(0, len(ids), 2000):
            qs = OfstedInspection.objects.filter(school_id__in=ids[start : start + 2000])
            for values in qs.values_list(*fields):
                if values[6] == Source.INFERRED:
                    current[values[0]] = values
                else:
                    history.setdefault(values[1], []).append(values)
        wanted: dict[str, dict] = {}
        for school_id, inspections in history.items():
            wanted.update(infer_history(school_id, inspections))
        stale = [n for n in current if n not in wanted]
        outcome = upsert(OfstedInspection, key=("inspection_number",), rows=wanted)
        if stale:
            OfstedInspection.objects.filter(inspection_number__in=stale).delete()
        created, updated = len(outcome.created), len(outcome.updated)
        self.result.extra.update(
            inferred_created=created, inferred_updated=updated, inferred_removed=len(stale)
        )
        self.result.extra["inferred_changed"] = bool(created or updated or stale)
        if created or updated or stale:
            self.result.notes.append(
                f"Inferred earlier judgements from inspection types: {created:,} added, "
                f"{updated:,} updated, {len(stale):,} removed (replaced by published records)."
            )
        touched = {v[1] for n, v in current.items() if n in stale}
        touched |= {outcome.value(v, "school_id") for v in outcome.created.values()}
        touched |= {outcome.value(v, "school_id") for v in outcome.updated.values()}
        return touched


def infer_history(school_id: int, inspections: list[tuple]) -> dict[str, dict]:
    """Inferred graded judgements implied by inspection types, keyed by their synthetic
    number. `inspections` are (number, school_id, kind, type, start, overall, source,
    urn_at_time, concern) of published records."""
    graded = sorted(
        (i for i in inspections if i[2] == Kind.GRADED), key=lambda i: (i[4], i[0]), reverse=True
    )
    wanted = {}
    for evidence in inspections:
        number, _school, _kind, itype, start = evidence[:5]
        if not itype:
            continue
        match = RI_REINSPECTION.search(itype)
        if match:
            implied = [(Grade.REQUIRES_IMPROVEMENT, "")] * min(int(match.group(1)), 10)
        else:
            concern = next(
                (c for pattern, c in INADEQUATE_FOLLOW_UP if pattern.search(itype)), None
            )
            if concern is None:
                continue
            implied = [(Grade.INADEQUATE, concern)]
        before = [g for g in graded if (g[4], g[0]) < (start, number)]
        known = 0
        while (
            known < len(implied) and known < len(before) and before[known][5] == implied[known][0]
        ):
            known += 1
        anchor = before[known - 1][4] if known else start
        for k in range(known, len(implied)):
            grade, concern = implied[k]
            key = f"{INFERRED_PREFIX}{number}-{k + 1}"[:20]
            wanted[key] = {
                "school_id": school_id,
                "kind": Kind.GRADED,
                "inspection_type": f"Inferred from {itype} ({number}); date unknown"[:128],
                "start_date": anchor - dt.timedelta(days=k - known + 1),
                "end_date": None,
                "publication_date": None,
                "overall_effectiveness": grade,
                "category_of_concern": concern,
                "urn_at_time": before[known - 1][7] if known else evidence[7],
                "source": Source.INFERRED,
            }
    return wanted
