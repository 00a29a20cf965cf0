"""Synthetic England for demos and benchmarks (`manage.py seed_demo`): invented names,
fixed seed, built through the register's models.

`build_plan(scale=..., rng=...)` makes the whole register in memory (no database),
keyed by natural keys (region code, LA code, Group UID, URN, inspection number), so
the same seed always gives the same plan. `seed_register` writes whatever part of
the plan the database lacks, with bulk operations (COPY on PostgreSQL), so a second
run adds nothing.

- register.py: 9 regions, local authorities (3-digit codes), open schools of every
  GIAS type and phase, closed predecessors of academies, amalgamations and closures,
  GIAS links from both ends;
- trusts.py: single- and multi-academy trusts, church trusts, closed trusts;
- histories.py: Ofsted histories (see its docstring), with scripted stories so the
  2023/24 eligibility engine has a controlled number of eligible schools;
- words.py: the invented names.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from schools.demo.histories import (
    AS_OF,
    REPORT_CARD_START,
    STORIES,
    closed_history,
    history,
    inspection_rows,
)
from schools.demo.register import (
    LONDON,
    NORTH_WEST,
    REGIONS,
    SPONSORED,
    SchoolBuilder,
    place_schools,
    plan_las,
)
from schools.demo.trusts import plan_trusts
from schools.demo.words import Words, is_invented_person_name, is_invented_place
from schools.demo.writer import write_plan
from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust

__all__ = [
    "AS_OF",
    "REPORT_CARD_START",
    "SCALES",
    "Plan",
    "build_plan",
    "is_invented_person_name",
    "is_invented_place",
    "seed_register",
]


@dataclass(frozen=True)
class Scale:
    las_per_region: int | None  # None: every LA in REGIONS (153)
    trusts: int
    open_schools: int


SCALES = {
    "small": Scale(las_per_region=2, trusts=30, open_schools=300),
    "england": Scale(las_per_region=None, trusts=2500, open_schools=24000),
}
# Share of open schools given each scripted story, and the least number of them.
STORY_QUOTAS = {"ri_run_2023_24": (0.012, 6), "inadequate_2023_24": (0.0035, 2)}
STORY_QUOTAS |= {"near_miss": (0.015, 4)}
HISTORY_SINCE = dt.date(2012, 1, 1)  # stories need schools (or predecessors) open by then


@dataclass
class Plan:
    regions: list[dict] = field(default_factory=list)
    las: list[dict] = field(default_factory=list)
    trusts: list[dict] = field(default_factory=list)
    schools: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    inspections: list[dict] = field(default_factory=list)
    stories: dict[str, list[str]] = field(default_factory=dict)  # story -> URNs


def seed_register(*, scale: str, rng: random.Random) -> dict[str, int]:
    """Write the missing part of the plan for `scale`; return totals and what was added."""
    added = write_plan(build_plan(scale=scale, rng=rng))
    counts = {
        "regions": Region.objects.count(),
        "local authorities": LocalAuthority.objects.count(),
        "trusts": Trust.objects.count(),
        "schools": School.objects.count(),
        "open schools": School.objects.filter(status__in=School.OPEN_STATUSES).count(),
        "school links": SchoolLink.objects.count(),
        "inspections": OfstedInspection.objects.count(),
    }
    counts.update({f"{name} added": n for name, n in added.items()})
    return counts


def build_plan(*, scale: str, rng: random.Random) -> Plan:
    spec = SCALES[scale]
    words = Words(rng)
    las = plan_las(words, rng, spec.las_per_region)
    builder = SchoolBuilder(rng, words, las)
    builder.build(spec.open_schools)
    place_schools(builder.schools)
    stories = _assign_stories(rng, builder.open)
    story_of = {urn: story for story, urns in stories.items() for urn in urns}
    timelines = []
    for school in builder.open:
        predecessor = school["_predecessor"]
        events = history(rng, school, predecessor, story_of.get(school["urn"]))
        # For some academies Ofsted records the predecessor's last inspections against
        # the academy, under the predecessor's URN.
        inherit = predecessor is not None and rng.random() < 0.3
        timelines.append((school, predecessor, events, inherit))
    builder.link()
    for school in builder.closed:
        timelines.append((school, None, closed_history(rng, school), False))
    trusts = plan_trusts(rng, words, builder, spec.trusts)
    return Plan(
        regions=[{"code": code, "name": name} for code, name, *_ in REGIONS],
        las=[{k: la[k] for k in ("code", "name", "region_code")} for la in las],
        trusts=trusts,
        schools=builder.schools,
        links=builder.links,
        inspections=inspection_rows(rng, timelines),
        stories=stories,
    )


def _assign_stories(rng, schools: list[dict]) -> dict[str, list[str]]:
    """Pick the schools with scripted histories from those with a long enough history:
    one per region first (North West and London first of all), then by region size."""
    order = [NORTH_WEST, LONDON] + [r[0] for r in REGIONS if r[0] not in (NORTH_WEST, LONDON)]
    pools = {code: [] for code in order}
    for school in schools:
        first = school["_predecessor"] or school
        if (
            school["_type"] not in SPONSORED
            and school["_amalgamated"] is None
            and first["opened_on"] < HISTORY_SINCE
        ):
            pools[school["region_code"]].append(school)
    for pool in pools.values():
        rng.shuffle(pool)
    stories = {}
    for story in STORIES:
        share, least = STORY_QUOTAS[story]
        quota = max(least, round(len(schools) * share))
        chosen = stories[story] = []
        turn = 0
        while len(chosen) < quota and any(pools.values()):
            if turn < len(order):
                pool = pools[order[turn]]
            else:
                pool = rng.choices(list(pools.values()), [len(p) for p in pools.values()])[0]
            turn += 1
            if pool:
                chosen.append(pool.pop()["urn"])
    return stories
