"""Forecast: for an offer year, the likely demand for support per region and phase
against the system leaders' days available there.

One row per region (the one asked for, or every region) and phase, zeros
included. A handful of grouped queries whatever the number of schools: the
counts are grouped by region and GIAS phase/type in the database, and only those
groups (tens of rows) are mapped to the contract's phase keys in Python."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Count, DateField, Exists, OuterRef, Q
from django.db.models.functions import Coalesce

from deployments.choices import Phase
from deployments.leaders.models import SystemLeader
from deployments.matching.ranking import school_phase_key
from deployments.models import EligibilityAssessment, SupportOffer
from deployments.oversight.outcomes import judgements
from schools.models import Region, School

# Ofsted's inspection cycle for schools below Good: a school judged Requires
# improvement, or Inadequate with serious weaknesses, has its next graded
# inspection within 30 months of the publication of the report (school
# inspection handbook, "Requires improvement" and "Inadequate" sections; a
# school in special measures is monitored and re-inspected on the same clock).
# A framework fact, not an offer's policy: it is not in SupportOffer.
CYCLE_MONTHS = 30
BELOW_GOOD_LEVELS = (3, 4)
PHASES = tuple(Phase.values)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, dom)
        except ValueError:
            continue
    raise ValueError(day)


def next_inspection_due(judged_on: dt.date) -> dt.date:
    """The inspection cycle, written once: a school whose latest judgement is
    Requires improvement or Inadequate (or their places on a report card, see
    `schools.judgements.judgement_level`) is next inspected by CYCLE_MONTHS after that
    judgement's report was published (its end, or start, date when no
    publication date is known). The forecast counts a school when this date
    falls inside the offer year."""
    return add_months(judged_on, CYCLE_MONTHS)


def judged_window(offer: SupportOffer) -> tuple[dt.date, dt.date]:
    """The publication dates whose `next_inspection_due` falls in the offer year."""
    return add_months(offer.starts_on, -CYCLE_MONTHS), add_months(offer.ends_on, -CYCLE_MONTHS)


def latest_below_good(offer: SupportOffer, region_ids: list[int]):
    """Judgements that are each school's latest known when the offer year starts
    (from inspections that started before it), Requires improvement or
    Inadequate (levels 3 and 4), published in `judged_window(offer)`, of open
    schools in the regions. Set-based: the inspections in the window are
    narrowed to those with no later judgement of the same school (NOT EXISTS on
    the school's own inspections), never a subquery per school."""
    window_start, window_end = judged_window(offer)
    later = judgements().filter(
        Q(start_date__gt=OuterRef("start_date"))
        | Q(start_date=OuterRef("start_date"), id__gt=OuterRef("id")),
        school_id=OuterRef("school_id"),
        start_date__lt=offer.starts_on,
    )
    return (
        judgements()
        .annotate(
            judged_on=Coalesce(
                "publication_date", "end_date", "start_date", output_field=DateField()
            )
        )
        .filter(
            start_date__lt=offer.starts_on,
            start_date__lte=window_end,  # an inspection starts before its report is out
            level__in=BELOW_GOOD_LEVELS,
            judged_on__gte=window_start,
            judged_on__lte=window_end,
            school__region_id__in=region_ids,
            school__status__in=School.OPEN_STATUSES,
        )
        .filter(~Exists(later))
    )


def _phase(phase: str, type_name: str, type_group: str) -> str | None:
    return school_phase_key(
        SimpleNamespace(phase=phase, type_name=type_name, type_group=type_group)
    )


def _grouped_counts(rows) -> dict[tuple[int, str], int]:
    counts: dict[tuple[int, str], int] = {}
    for region_id, phase, type_name, type_group, n in rows:
        key = _phase(phase or "", type_name or "", type_group or "")
        if key is not None:
            counts[(region_id, key)] = counts.get((region_id, key), 0) + n
    return counts


def forecast(*, offer: SupportOffer, region: Region | None = None) -> list[dict]:
    """Rows of region, phase, likely_demand, eligible_now, leader_days_available,
    days_needed and gap for the offer, ordered by region name then phase."""
    regions = [region] if region is not None else list(Region.objects.order_by("name"))
    region_ids = [r.pk for r in regions]
    eligible = (
        EligibilityAssessment.objects.current().eligible().filter(offer=offer, school__isnull=False)
    )

    eligible_now = _grouped_counts(
        eligible.filter(school__region_id__in=region_ids)
        .values_list(
            "school__region_id", "school__phase", "school__type_name", "school__type_group"
        )
        .annotate(n=Count("school", distinct=True))
        .order_by()
    )

    likely = _grouped_counts(
        latest_below_good(offer, region_ids)
        .exclude(school_id__in=eligible.values("school_id"))
        .values_list(
            "school__region_id", "school__phase", "school__type_name", "school__type_group"
        )
        .annotate(n=Count("school_id", distinct=True))
        .order_by()
    )

    leader_days = _leader_days(region_ids)
    core_days = Decimal(offer.core_days)
    rows = []
    for r in regions:
        for phase in PHASES:
            demand = likely.get((r.pk, phase), 0)
            available = leader_days.get((r.pk, phase), Decimal(0))
            needed = demand * core_days
            rows.append(
                {
                    "region": r.name,
                    "phase": phase,
                    "likely_demand": demand,
                    "eligible_now": eligible_now.get((r.pk, phase), 0),
                    "leader_days_available": available,
                    "days_needed": needed,
                    "gap": needed - available,
                }
            )
    return rows


def _leader_days(region_ids: list[int]) -> dict[tuple[int, str], Decimal]:
    """Sum of `days_available` of available system leaders per region and phase
    they work in. A leader who works in two regions (or phases) counts in each:
    each figure is what that region and phase could call on. One query (a leader's
    phases are a list, added up here)."""
    links = SystemLeader.regions.through.objects.filter(
        region_id__in=region_ids, systemleader__in=SystemLeader.objects.available()
    ).values_list("region_id", "systemleader__days_available", "systemleader__phases")
    sums: dict[tuple[int, str], Decimal] = {}
    known = set(PHASES)
    for region_id, days, phases in links.order_by():
        for phase in known.intersection(phases or ()):
            sums[(region_id, phase)] = sums.get((region_id, phase), 0) + days
    return {key: Decimal(total) for key, total in sums.items()}


def with_gaps_first(rows: list[dict]) -> list[dict]:
    """Regions with a gap (days needed beyond the days available) first, the
    widest total gap leading; then the rest by name. Rows keep their phase order."""
    gap_by_region: dict[str, Decimal] = {}
    for row in rows:
        gap_by_region[row["region"]] = gap_by_region.get(row["region"], Decimal(0)) + max(
            row["gap"], Decimal(0)
        )
    return sorted(
        rows,
        key=lambda row: (
            gap_by_region[row["region"]] <= 0,
            -gap_by_region[row["region"]],
            row["region"],
            PHASES.index(row["phase"]),
        ),
    )


FIGURES = ("likely_demand", "eligible_now", "leader_days_available", "days_needed")


def region_totals(rows: list[dict]) -> list[dict]:
    """Per region, in the rows' order: the sums of the figures over its phases,
    and the days short in the phases that have a gap (a surplus in one phase
    does not fill a gap in another: a primary leader does not lead a secondary)."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(
            row["region"], {"region": row["region"], **dict.fromkeys(FIGURES, 0), "short": 0}
        )
        for name in FIGURES:
            total[name] += row[name]
        total["short"] += max(row["gap"], 0)
    return list(totals.values())
