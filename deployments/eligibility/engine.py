"""The set-based eligibility engine: reads only, never writes.

A constant number of queries whatever the number of schools: the schools, the
predecessor links and the graded inspections (one query ordered by start
date), then one ordered pass hands each school its own inspections and those
of its predecessors, and the offer's rule set evaluates each history.
`deployments.services.eligibility_recompute` turns the result into rows."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from deployments.eligibility import Finding, Inspection, rule_set_for


@dataclass(frozen=True, slots=True)
class SchoolFacts:
    id: int
    urn: str
    region_id: int | None
    trust_id: int | None
    in_multi_academy_trust: bool
    listed: bool


@dataclass
class EngineResult:
    rule_set_key: str
    computed_criteria: tuple[str, ...]
    schools: dict[int, SchoolFacts]
    scope: set[int]  # the schools whose computed rows this result decides
    findings: dict[int, list[Finding]] = field(default_factory=dict)
    inspections_read: int = 0


def in_multi_academy_trust(trust_kind: str | None) -> bool:
    """The multi-academy-trust flag (stored as `through_trust_ceo`): support for a
    school in a multi-academy trust goes through the Trust CEO. The one place that
    decides it, from the kind of the school's trust (None: the school has none)."""
    from schools.models import Trust

    return trust_kind == Trust.Kind.MULTI_ACADEMY


def school_in_multi_academy_trust(school) -> bool:
    """`in_multi_academy_trust` for a School (its trust is read if not loaded)."""
    return school.trust_id is not None and in_multi_academy_trust(school.trust.kind)


def is_listed(status: str, closed_on: dt.date | None, starts_on: dt.date) -> bool:
    """A school closed before the year starts is not listed for that year's offer."""
    from schools.models import School

    if status != School.Status.CLOSED:
        return True
    return closed_on is not None and closed_on >= starts_on


def predecessor_map(links: Iterable[tuple[str, str, str]]) -> dict[str, set[str]]:
    """URN -> URNs of its direct predecessors, from GIAS links in either direction."""
    from schools.models import SchoolLink

    preds: dict[str, set[str]] = defaultdict(set)
    for urn, linked_urn, kind in links:
        if urn == linked_urn:
            continue
        if kind == SchoolLink.Kind.PREDECESSOR:
            preds[urn].add(linked_urn)
        elif kind == SchoolLink.Kind.SUCCESSOR:
            preds[linked_urn].add(urn)
    return preds


def ancestors(urn: str, preds: dict[str, set[str]]) -> set[str]:
    """Every transitive predecessor of a URN (cycles in bad data are ignored)."""
    seen: set[str] = set()
    stack = list(preds.get(urn, ()))
    while stack:
        current = stack.pop()
        if current in seen or current == urn:
            continue
        seen.add(current)
        stack.extend(preds.get(current, ()))
    return seen


def compute(*, offer, school_ids: Iterable[int] | None = None) -> EngineResult:
    """Evaluate the offer's rule set for every listed school, or for the given
    schools and their successors (whose histories include them)."""
    from schools.models import OfstedInspection, School, SchoolLink

    rule_set = rule_set_for(offer.rule_set)
    schools = {
        row[0]: SchoolFacts(
            id=row[0],
            urn=row[1],
            region_id=row[2],
            trust_id=row[3],
            in_multi_academy_trust=in_multi_academy_trust(row[4]),
            listed=is_listed(row[5], row[6], offer.starts_on),
        )
        for row in School.objects.values_list(
            "id", "urn", "region_id", "trust_id", "trust__kind", "status", "closed_on"
        )
    }
    id_by_urn = {facts.urn: facts.id for facts in schools.values()}
    preds = predecessor_map(
        SchoolLink.objects.filter(
            kind__in=[SchoolLink.Kind.PREDECESSOR, SchoolLink.Kind.SUCCESSOR]
        ).values_list("urn", "linked_urn", "kind")
    )

    if school_ids is None:
        scope = set(schools)
    else:
        changed_urns = {schools[i].urn for i in school_ids if i in schools}
        scope = {
            facts.id
            for facts in schools.values()
            if facts.urn in changed_urns or changed_urns & ancestors(facts.urn, preds)
        }

    # heirs: inspected school id -> the listed schools in scope whose history includes it
    heirs: dict[int, list[int]] = defaultdict(list)
    for school_id in scope:
        facts = schools[school_id]
        if not facts.listed:
            continue
        heirs[school_id].append(school_id)
        for urn in ancestors(facts.urn, preds):
            if urn in id_by_urn:
                heirs[id_by_urn[urn]].append(school_id)

    inspections = OfstedInspection.objects.filter(
        kind=OfstedInspection.Kind.GRADED,
        overall_effectiveness__isnull=False,
        start_date__lte=offer.ends_on,
    )
    if school_ids is not None:
        inspections = inspections.filter(school_id__in=list(heirs))
    rows = inspections.order_by("start_date", "id").values_list(
        "id", "inspection_number", "school_id", "urn_at_time", "start_date", "overall_effectiveness"
    )

    histories: dict[int, list[Inspection]] = defaultdict(list)
    count = 0
    for pk, number, inspected_id, urn_at_time, start_date, grade in rows.iterator(chunk_size=5000):
        count += 1
        targets = heirs.get(inspected_id)
        if not targets:
            continue
        inspected_urn = schools[inspected_id].urn
        for target in targets:
            if target != inspected_id:
                via = "link"
            elif urn_at_time and urn_at_time != inspected_urn:
                via = "urn_at_time"
            else:
                via = ""
            histories[target].append(
                Inspection(pk, number, urn_at_time or inspected_urn, start_date, grade, via)
            )

    result = EngineResult(
        rule_set_key=rule_set.key,
        computed_criteria=tuple(rule_set.computed_criteria),
        schools=schools,
        scope=scope,
        inspections_read=count,
    )
    for school_id, history in histories.items():
        found = rule_set.evaluate(
            starts_on=offer.starts_on, ends_on=offer.ends_on, inspections=history
        )
        if found:
            result.findings[school_id] = found
    return result
