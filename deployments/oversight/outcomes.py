"""Outcomes: what Ofsted found at the first inspection after each deployment.

For every deployment that reached `accepted` or `closed` (support to one school;
a trust-level deployment has no single school's judgement to compare and is left
out), the judgement that made the school eligible, the first graded inspection or
report card after the deployment started (`issued_on`), and the outcome:
`improved`, `same`, `declined`, or `not_yet_inspected`. Everything is computed by
the database in one query for the list (subqueries per deployment, no query per
row) and two grouped queries for the summary.

The comparison rule is written once, in `schools.judgements.judgement_level` (its
docstring is shown on the Outcomes page; the database keeps it on every
inspection), and `outcome_expression` applies it."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from deployments.choices import FocusArea
from deployments.delivery.models import Deployment
from deployments.leaders.models import SystemLeader
from deployments.models import SupportOffer
from schools.models import OfstedInspection, Region

IMPROVED, SAME, DECLINED, NOT_YET_INSPECTED = "improved", "same", "declined", "not_yet_inspected"
OUTCOMES = (IMPROVED, SAME, DECLINED, NOT_YET_INSPECTED)
OUTCOME_LABELS = {
    IMPROVED: "Improved",
    SAME: "Same",
    DECLINED: "Declined",
    NOT_YET_INSPECTED: "Not yet inspected",
}
LEVEL_LABELS = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
# A school eligible without an inspection behind it (a Regional Director's
# assessment or by exception) and never judged before the support is compared
# as if it had been judged Requires improvement: it was found to need support.
ASSUMED_BASELINE_LEVEL = 3
FINISHED_STATES = (Deployment.State.ACCEPTED, Deployment.State.CLOSED)

Kind = OfstedInspection.Kind


def outcome_expression(next_level, baseline_level):
    """The outcome from the next judgement's level and the baseline's (lower is better)."""
    return Case(
        When(**{f"{next_level}__isnull": True}, then=Value(NOT_YET_INSPECTED)),
        When(**{f"{next_level}__lt": F(baseline_level)}, then=Value(IMPROVED)),
        When(**{next_level: F(baseline_level)}, then=Value(SAME)),
        default=Value(DECLINED),
        output_field=CharField(),
    )


def judgements() -> QuerySet:
    """Published graded inspections and report cards that have a level (inferred
    records, whose dates are estimates, never count)."""
    return (
        OfstedInspection.objects.filter(kind__in=[Kind.GRADED, Kind.REPORT_CARD])
        .exclude(source=OfstedInspection.Source.INFERRED)
        .filter(judgement_level__isnull=False)
        .annotate(level=F("judgement_level"))
    )


def _next_judgement(field: str):
    return Subquery(
        judgements()
        .filter(school_id=OuterRef("school_id"), start_date__gt=OuterRef("issued_on"))
        .order_by("start_date", "id")
        .values(field)[:1]
    )


def _prior_judgement(field: str):
    return Subquery(
        judgements()
        .filter(school_id=OuterRef("school_id"), start_date__lte=OuterRef("issued_on"))
        .order_by("-start_date", "-id")
        .values(field)[:1]
    )


def outcome_list(*, offer: SupportOffer | None = None, region: Region | None = None) -> QuerySet:
    """Accepted and closed school deployments of the offer (all offers: None) and
    region (England: None), newest first, each annotated with `next_id`,
    `next_level`, `prior_id`, `baseline_level` and `outcome`."""
    qs = Deployment.objects.filter(state__in=FINISHED_STATES, school__isnull=False)
    if offer is not None:
        qs = qs.filter(offer=offer)
    if region is not None:
        qs = qs.filter(region=region)
    return (
        qs.annotate(
            next_id=_next_judgement("id"),
            next_level=_next_judgement("level"),
            prior_id=_prior_judgement("id"),
            prior_level=_prior_judgement("level"),
            baseline_level=Coalesce(
                "support_case__eligibility__latest_grade",
                "prior_level",
                Value(ASSUMED_BASELINE_LEVEL),
                output_field=IntegerField(),
            ),
        )
        .annotate(outcome=outcome_expression("next_level", "baseline_level"))
        .select_related("school", "region", "offer", "system_leader", "support_case__eligibility")
        .order_by("-issued_on", "-id")
    )


# ------------------------------------------------------------- the rows, as data


def _evidence_judgement(eligibility) -> dict | None:
    """The inspection that made the school eligible (criteria A and B), from the
    eligibility row's evidence."""
    if eligibility is None or not eligibility.latest_grade:
        return None
    inspections = (eligibility.evidence or {}).get("inspections") or []
    last = inspections[-1] if inspections else {}
    start = last.get("start_date") or (
        eligibility.latest_inspection_date.isoformat()
        if eligibility.latest_inspection_date
        else None
    )
    return {
        "inspection_number": last.get("number", ""),
        "kind": Kind.GRADED.value,
        "start_date": start,
        "level": eligibility.latest_grade,
        "judgement": LEVEL_LABELS.get(eligibility.latest_grade, ""),
        "criterion": eligibility.criterion,
        "basis": "eligibility",
    }


def _inspection_judgement(inspection, basis: str, criterion: str = "") -> dict | None:
    if inspection is None:
        return None
    level = inspection.level
    if inspection.kind == Kind.REPORT_CARD:
        words = f"Report card ({LEVEL_LABELS[level]}'s place)"
    elif inspection.overall_effectiveness is None or inspection.category_of_concern:
        words = f"{LEVEL_LABELS[level]} (from its judgements)"
    else:
        words = LEVEL_LABELS[level]
    out = {
        "inspection_number": inspection.inspection_number,
        "kind": inspection.kind,
        "start_date": inspection.start_date.isoformat(),
        "publication_date": (
            inspection.publication_date.isoformat() if inspection.publication_date else None
        ),
        "level": level,
        "judgement": words,
    }
    if basis:
        out.update(criterion=criterion, basis=basis)
    return out


def _days(later: dt.date | None, earlier: dt.date | None) -> int | None:
    return (later - earlier).days if later and earlier else None


def outcome_rows(deployments: Iterable[Deployment]) -> list[dict]:
    """The rows of `outcome_list` (a page of it, or all) as the API and the exports
    show them. One query for the inspections they name."""
    deployments = list(deployments)
    ids = {d.next_id for d in deployments if d.next_id} | {
        d.prior_id for d in deployments if d.prior_id
    }
    inspections = {i.pk: i for i in judgements().filter(pk__in=ids)} if ids else {}
    rows = []
    for d in deployments:
        eligibility = d.support_case.eligibility
        eligible = _evidence_judgement(eligibility) or _inspection_judgement(
            inspections.get(d.prior_id),
            "latest_before_support",
            eligibility.criterion if eligibility else "",
        )
        following = inspections.get(d.next_id)
        start = following.start_date if following else None
        rows.append(
            {
                "deployment": d.pk,
                "school_urn": d.school.urn,
                "school_name": d.school.name,
                "region": d.region.name,
                "offer": d.offer.academic_year,
                "system_leader_kind": d.system_leader.kind,
                "state": d.state,
                "issued_on": d.issued_on,
                "accepted_on": d.accepted_on,
                "eligible_judgement": eligible,
                "next_inspection": _inspection_judgement(following, ""),
                "baseline_level": d.baseline_level,
                "outcome": d.outcome,
                "days_after_start": _days(start, d.issued_on),
                "days_after_support": _days(start, d.accepted_on),
            }
        )
    return rows


# ------------------------------------------------------------------ the summary


def _zeros() -> dict[str, int]:
    return dict.fromkeys(OUTCOMES, 0)


def outcome_summary(
    qs: QuerySet, *, offers: Iterable[SupportOffer], regions: Iterable[Region]
) -> dict:
    """Counts of each outcome in total and by region, offer, system-leader kind
    and focus area (chosen in the deployment's scope section, which is completed
    for every accepted or closed deployment: the form cannot be sent for sign-off
    before; read as the deployment list's `focus_area` filter reads it). Every
    group is present, zeros included. Two grouped queries, whatever the number
    of deployments."""
    from deployments.oversight.stages import chose_q

    summary = {
        "total": _zeros(),
        "by_region": {r.name: _zeros() for r in regions},
        "by_offer": {o.academic_year: _zeros() for o in offers},
        "by_system_leader_kind": {k: _zeros() for k in SystemLeader.Kind.values},
        "by_focus_area": {k: _zeros() for k in FocusArea.values},
    }
    groups = (
        qs.order_by()
        .values_list("region__name", "offer__academic_year", "system_leader__kind", "outcome")
        .annotate(n=Count("pk"))
    )
    for region, offer, kind, outcome, n in groups:
        summary["total"][outcome] += n
        for group, key in (
            ("by_region", region),
            ("by_offer", offer),
            ("by_system_leader_kind", kind),
        ):
            summary[group].setdefault(key, _zeros())[outcome] += n
    # Each deployment joined to its scope section (one a deployment): the counts
    # read the section's focus areas as the list's `focus_area` filter does
    # (`chose_q`; every deployment here reached delivery, being accepted or closed).
    by_focus = (
        qs.filter(sections__key="scope")
        .order_by()
        .values_list("outcome")
        .annotate(
            **{
                key: Count("pk", filter=chose_q("focus_areas", key, "sections__"))
                for key in FocusArea.values
            }
        )
    )
    for outcome, *counts in by_focus:
        for key, n in zip(FocusArea.values, counts, strict=True):
            summary["by_focus_area"][key][outcome] += n
    return summary


def share_improved(counts: dict[str, int]) -> int | None:
    """Improved as a whole percentage of the deployments inspected since (None if none)."""
    inspected = counts[IMPROVED] + counts[SAME] + counts[DECLINED]
    return round(100 * counts[IMPROVED] / inspected) if inspected else None
