"""Synthetic England for demos and benchmarks: invented names, fixed seed.

`build_plan(scale=..., rng=...)` makes the whole register in memory (no database),
keyed by natural keys (region code, LA code, Group UID, URN, inspection number), so
two runs with the same seed give the same plan. `seed_register` writes whatever
part of the plan is missing with bulk operations, so a second run adds nothing.

What the histories hold (so the eligibility engine and the pages have work):
- most schools Good or Outstanding, with ungraded inspections between graded ones;
- about 1 in 10 whose latest graded judgement is Requires improvement;
- scripted stories: runs of 2-4 Requires improvement judgements ending in the
  2023/24 academic year, single Inadequate judgements in 2023/24 (special measures
  or serious weaknesses, then monitoring visits), and near misses (a run ending in
  2022/23, RI-Good-RI, a single RI); elsewhere in 2023/24 the random walk never
  makes a school eligible, so the number of eligible schools is controlled;
- academy conversions: a closed predecessor with its own inspections and GIAS links
  both ways; for some academies the predecessor's last inspections are recorded
  against the academy with `urn_at_time` (as Ofsted's files do);
- graded inspections from September 2024 without an overall grade, and report-card
  inspections from November 2025 on the five-point scale.

Names are made from the word lists below (invented compounds such as
"Kestrelholt"); person names pair a common first name with an invented surname.
"""

import bisect
import datetime as dt
import random
import string
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import CommandError
from django.db import connection, transaction

from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust

Grade = OfstedInspection.Grade
Kind = OfstedInspection.Kind
RC = OfstedInspection.ReportCardGrade

# The date the synthetic register is "as at": nothing happens after it.
AS_OF = dt.date(2026, 10, 31)
YEAR_2023_24 = (dt.date(2023, 9, 1), dt.date(2024, 8, 31))
EIF_START = dt.date(2019, 9, 1)
NO_GRADE_START = dt.date(2024, 9, 1)
REPORT_CARD_START = dt.date(2025, 11, 10)
PAUSE = (dt.date(2020, 3, 17), dt.date(2021, 9, 1))  # routine inspections suspended

# code, name, local authorities at england scale, first LA code, share of schools (%)
REGIONS = (
    ("E12000001", "North East", 12, 390, 5),
    ("E12000002", "North West", 23, 340, 13),
    ("E12000003", "Yorkshire and the Humber", 15, 370, 10),
    ("E12000004", "East Midlands", 10, 830, 9),
    ("E12000005", "West Midlands", 14, 860, 11),
    ("E12000006", "East of England", 11, 880, 12),
    ("E12000007", "London", 33, 201, 12),
    ("E12000008", "South East", 19, 920, 16),
    ("E12000009", "South West", 16, 800, 12),
)
FSM_BASE = {"North East": 27, "North West": 25, "Yorkshire and the Humber": 23}
FSM_BASE |= {"East Midlands": 21, "West Midlands": 25, "East of England": 18}
FSM_BASE |= {"London": 26, "South East": 16, "South West": 17}


@dataclass(frozen=True)
class Scale:
    las_per_region: int | None  # None: every LA in REGIONS
    trusts: int
    open_schools: int


SCALES = {
    "small": Scale(las_per_region=2, trusts=30, open_schools=300),
    "england": Scale(las_per_region=None, trusts=2500, open_schools=24000),
}

# ---------------------------------------------------------------------------------------
# Invented words
PLACE_HEADS = (
    "Alder", "Amber", "Bracken", "Bramble", "Briar", "Bryony", "Cinder", "Clover",
    "Corrie", "Daffen", "Drover", "Elder", "Ember", "Fallow", "Fennel", "Gorse",
    "Hazel", "Heron", "Juniper", "Kestrel", "Larch", "Linnet", "Lumen", "Madder",
    "Marrow", "Merlin", "Nettle", "Orris", "Osier", "Pebble", "Plover", "Quill",
    "Rowan", "Rushy", "Saffron", "Sorrel", "Speedwell", "Tansy", "Teasel", "Thistle",
    "Umber", "Vetch", "Wherry", "Willet", "Woad", "Wren", "Yarrow", "Zephyr",
)  # fmt: skip
PLACE_TAILS = (
    "bury", "by", "combe", "cote", "dale", "den", "field", "ford", "gate", "ham",
    "holt", "hurst", "ley", "mere", "moor", "ridge", "stead", "stow", "thorpe", "ton",
    "wick", "wold", "worth", "well",
)  # fmt: skip
# Compounds of the lists above that are real places in England: never used.
REAL_PLACES = frozenset(
    (
        "Alderholt", "Alderley", "Ambergate", "Amberley", "Brackenfield", "Cinderford",
        "Emberton", "Fallowfield", "Hazelbury", "Hazelhurst", "Heronsgate", "Nettleham",
        "Nettlestead", "Nettleton", "Rowanfield", "Thistleton", "Wrenbury", "Wrenthorpe",
        "Cindercombe", "Elderfield", "Woadham",
    )
)  # fmt: skip
FEATURES = (
    "Meadow", "Brook", "Green", "Hill", "Park", "Vale", "Fields", "Valley", "Common",
    "Heath", "Lane", "Grange", "Orchard", "Spinney", "Hollow", "Bridge",
)  # fmt: skip
STREET_KINDS = ("Road", "Lane", "Avenue", "Street", "Way", "Close", "Drive", "Crescent")
FIRST_NAMES = (
    "Alex", "Amira", "Ben", "Carys", "Chidi", "Dana", "Eli", "Farah", "Gabe", "Hana",
    "Isla", "Jai", "Kemi", "Leo", "Maya", "Nia", "Omar", "Priya", "Quinn", "Rosa",
    "Sami", "Tara", "Uma", "Vik", "Wes", "Yara", "Zoe", "Robin", "Morgan", "Jordan",
)  # fmt: skip
SURNAME_HEADS = (
    "Ashgrove", "Brindle", "Caddow", "Dapple", "Elderwy", "Fairhythe", "Gallow",
    "Hobble", "Inchley", "Jessamy", "Kittow", "Larkspur", "Mallory", "Nimble",
    "Oakapple", "Pimm", "Quarrel", "Ravel", "Snowdrop", "Tuppen", "Underbough",
    "Vantry", "Whistle", "Yewlow",
)  # fmt: skip
SURNAME_TAILS = ("", "ard", "ett", "ington", "more", "shaw", "wright", "well")
MAT_SUFFIXES = (
    "Learning Trust", "Academy Trust", "Education Trust", "Multi Academy Trust",
    "Schools Partnership", "Learning Partnership", "Academies Trust", "Schools Trust",
)  # fmt: skip

# ---------------------------------------------------------------------------------------
# GIAS establishment types: code, name, type group, academy?, has a predecessor
MAINTAINED = "Local authority maintained schools"
TYPES = {
    "community": ("01", "Community school", MAINTAINED),
    "va": ("02", "Voluntary aided school", MAINTAINED),
    "vc": ("03", "Voluntary controlled school", MAINTAINED),
    "foundation": ("05", "Foundation school", MAINTAINED),
    "community_special": ("07", "Community special school", "Special schools"),
    "foundation_special": ("12", "Foundation special school", "Special schools"),
    "pru": ("14", "Pupil referral unit", MAINTAINED),
    "nursery": ("15", "Local authority nursery school", MAINTAINED),
    "sponsor": ("28", "Academy sponsor led", "Academies"),
    "special_sponsor": ("33", "Academy special sponsor led", "Academies"),
    "converter": ("34", "Academy converter", "Academies"),
    "free": ("35", "Free schools", "Free Schools"),
    "free_special": ("36", "Free schools special", "Free Schools"),
    "free_ap": ("38", "Free schools alternative provision", "Free Schools"),
    "free_16_19": ("39", "Free schools 16 to 19", "Free Schools"),
    "ap_converter": ("42", "Academy alternative provision converter", "Academies"),
    "ap_sponsor": ("43", "Academy alternative provision sponsor led", "Academies"),
    "special_converter": ("44", "Academy special converter", "Academies"),
    "converter_16_19": ("45", "Academy 16-19 converter", "Academies"),
}
SPONSORED = {"sponsor", "special_sponsor", "ap_sponsor"}
CONVERTED = {"converter", "special_converter", "ap_converter", "converter_16_19"}
FREE = {"free", "free_special", "free_ap", "free_16_19"}
# What an academy was before it converted.
PREDECESSOR_TYPE = {
    "special_sponsor": "community_special",
    "special_converter": "community_special",
    "ap_sponsor": "pru",
    "ap_converter": "pru",
    "converter_16_19": "community",
}

# kind, GIAS phase, weight, type weights, (ages...), pupils range, 4-digit number base
KINDS = (
    ("primary", "Primary", 705,
     {"community": 31, "va": 11, "vc": 10, "foundation": 4, "converter": 31, "sponsor": 10,
      "free": 2},
     ((4, 11), (3, 11), (4, 7), (7, 11)), (60, 680), 2000),
    ("secondary", "Secondary", 150,
     {"community": 8, "va": 6, "vc": 1, "foundation": 5, "converter": 50, "sponsor": 22,
      "free": 6},
     ((11, 18), (11, 16)), (450, 1900), 4000),
    ("all_through", "All-through", 10,
     {"community": 15, "converter": 40, "sponsor": 10, "free": 35},
     ((4, 18), (3, 18)), (900, 2300), 4000),
    ("nursery", "Nursery", 17, {"nursery": 1}, ((2, 5), (3, 5)), (40, 140), 1000),
    ("special", "Not applicable", 48,
     {"community_special": 45, "foundation_special": 5, "special_converter": 25,
      "special_sponsor": 7, "free_special": 18},
     ((2, 19), (3, 19), (11, 19), (4, 11), (11, 16)), (40, 260), 7000),
    ("ap", "Not applicable", 15,
     {"pru": 45, "ap_converter": 20, "ap_sponsor": 15, "free_ap": 20},
     ((5, 16), (11, 16)), (10, 110), 1100),
    ("sixteen", "16 plus", 5, {"converter_16_19": 30, "free_16_19": 70},
     ((16, 19),), (150, 900), 4000),
)  # fmt: skip
KIND_NAMES = {
    "primary": ("Primary School", "Primary School", "Community Primary School"),
    "secondary": ("High School", "School", "Community College", "Secondary School"),
    "all_through": ("All-through School", "School"),
    "nursery": ("Nursery School",),
    "special": ("School", "Special School"),
    "ap": ("Pupil Referral Unit", "Learning Centre"),
    "sixteen": ("Sixth Form", "Sixth Form Centre"),
}
ACADEMY_NAMES = {
    "primary": ("Primary Academy", "Primary School", "Academy"),
    "secondary": ("Academy", "High School", "School"),
    "all_through": ("Academy", "School"),
    "special": ("Academy", "School"),
    "ap": ("Alternative Provision Academy", "Academy"),
    "sixteen": ("16-19 Academy", "Sixth Form"),
}
FAITH_NAME = {"Church of England": "Church of England", "Roman Catholic": "Catholic"}
OTHER_FAITHS = ("Jewish", "Muslim", "Sikh", "Hindu", "Methodist")

# Next graded judgement, by the previous one (None: a first inspection): O, G, RI, I weights.
TRANSITIONS = {
    None: (12, 60, 22, 6),
    1: (62, 33, 4, 1),
    2: (10, 73, 15, 2),
    3: (2, 66, 27, 5),
    4: (0, 55, 42, 3),
}
# Days to the next graded inspection after one with this judgement.
GRADED_GAP = {1: (2600, 3650), 2: (1900, 3100), 3: (730, 900), 4: (620, 850)}
RC_SCALE = (RC.EXCEPTIONAL, RC.STRONG, RC.EXPECTED, RC.NEEDS_ATTENTION, RC.URGENT)
RC_AREAS = (
    "rc_inclusion",
    "rc_curriculum_and_teaching",
    "rc_achievement",
    "rc_attendance_and_behaviour",
    "rc_personal_development",
    "rc_leadership_and_governance",
)


# ---------------------------------------------------------------------------------------
@dataclass
class Event:
    """One inspection in a school's combined history (predecessor and current)."""

    date: dt.date
    kind: str
    grade: int  # graded: the judgement; otherwise the judgement it follows
    inspection_type: str = ""
    outcome: str = ""
    concern: str = ""


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
    plan = build_plan(scale=scale, rng=rng)
    added = _write(plan)
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


# ---------------------------------------------------------------------------------------
# The plan


def build_plan(*, scale: str, rng: random.Random) -> Plan:
    spec = SCALES[scale]
    words = _Words(rng)
    plan = Plan(regions=[{"code": c, "name": n} for c, n, *_ in REGIONS])
    las = _plan_las(spec, words, rng)
    plan.las = [{k: la[k] for k in ("code", "name", "region_code")} for la in las]
    builder = _SchoolBuilder(rng, words, las)
    builder.build(spec.open_schools)
    plan.trusts = _plan_trusts(rng, words, builder, spec.trusts)
    plan.schools = builder.schools
    plan.links = builder.links
    plan.stories = builder.stories
    plan.inspections = _plan_inspections(rng, builder)
    return plan


class _Words:
    """Invented place and person names, drawn from the word lists."""

    def __init__(self, rng):
        self.rng = rng
        self.places = [
            head + tail
            for head in PLACE_HEADS
            for tail in PLACE_TAILS
            if head + tail not in REAL_PLACES
        ]
        rng.shuffle(self.places)
        self._next_place = 0

    def unique_place(self) -> str:
        place = self.places[self._next_place % len(self.places)]
        self._next_place += 1
        return place

    def place(self) -> str:
        return self.rng.choice(self.places)

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_HEADS)}{rng.choice(SURNAME_TAILS)}"


def is_invented_person_name(name: str) -> bool:
    first, _, last = name.partition(" ")
    heads = [h for h in SURNAME_HEADS if last.startswith(h)]
    return first in FIRST_NAMES and any(last[len(h) :] in SURNAME_TAILS for h in heads)


def is_invented_place(word: str) -> bool:
    return word not in REAL_PLACES and any(
        word.startswith(h) and word[len(h) :] in PLACE_TAILS for h in PLACE_HEADS
    )


def _plan_las(spec: Scale, words: _Words, rng) -> list[dict]:
    las = []
    area_index = 0
    for region_code, _name, count, first_code, _share in REGIONS:
        for j in range(spec.las_per_region or count):
            place = words.unique_place()
            county = region_code != "E12000007" and rng.random() < 0.3
            area = "QVX"[area_index // 52] + string.ascii_uppercase[(area_index // 2) % 26]
            las.append(
                {
                    "code": f"{first_code + j:03d}",
                    "name": f"{place} County" if county else place,
                    "region_code": region_code,
                    "county": f"{place}shire" if county else "",
                    "towns": [words.unique_place() for _ in range(8)],
                    "postcode": (area, 1 + (area_index % 2) * 10),
                }
            )
            area_index += 1
    return las


def _date_between(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _school_day(day: dt.date) -> dt.date:
    """Move a date back (never by more than a few weeks) onto a term-time weekday."""
    if day.month == 8:
        day = dt.date(day.year, 7, 10)
    elif day.month == 12 and day.day >= 18:
        day = dt.date(day.year, 12, 10)
    elif day.month == 1 and day.day <= 4:
        day = dt.date(day.year, 1, 8)
    if day.weekday() >= 4:
        day -= dt.timedelta(days=day.weekday() - 2)
    return day


def _first_of_month(rng, year_weights: dict[int, int], last: dt.date = AS_OF) -> dt.date:
    years = list(year_weights)
    while True:
        year = rng.choices(years, weights=list(year_weights.values()))[0]
        day = dt.date(year, rng.choice((1, 1, 4, 6, 9, 9, 9, 11)), 1)
        if day <= last:
            return day


CONVERSION_YEARS = {2011: 9, 2012: 12, 2013: 9, 2014: 7, 2015: 7, 2016: 7, 2017: 8, 2018: 8}
CONVERSION_YEARS |= {2019: 7, 2020: 5, 2021: 6, 2022: 6, 2023: 5, 2024: 4, 2025: 3, 2026: 1}
SPONSOR_YEARS = {2008: 2, 2009: 3, 2010: 4, 2011: 6, 2012: 9, 2013: 10, 2014: 8, 2015: 7}
SPONSOR_YEARS |= {2016: 6, 2017: 6, 2018: 5, 2019: 5, 2020: 3, 2021: 3, 2022: 3, 2023: 3}
FREE_YEARS = {
    y: w for y, w in zip(range(2011, 2025), (2, 4, 6, 7, 8, 8, 7, 6, 5, 4, 4, 3, 3, 2), strict=True)
}


class _SchoolBuilder:
    """Open schools, their predecessors, other closed schools, links and histories."""

    def __init__(self, rng, words: _Words, las: list[dict]):
        self.rng = rng
        self.words = words
        self.las_by_region = {}
        for la in las:
            self.las_by_region.setdefault(la["region_code"], []).append(la)
        self.region_codes = [r[0] for r in REGIONS]
        self.region_weights = [r[4] for r in REGIONS]
        self.region_names = {r[0]: r[1] for r in REGIONS}
        self.dioceses = {
            code: {
                "Church of England": [f"Diocese of {words.unique_place()}" for _ in range(2)],
                "Roman Catholic": [f"Roman Catholic Diocese of {words.unique_place()}"],
            }
            for code in self.region_codes
        }
        self.schools: list[dict] = []  # open and closed, School fields + helpers
        self.links: list[dict] = []
        self.histories: list[tuple[dict, dict | None, list[Event], dict]] = []
        self.stories: dict[str, list[str]] = {}
        self._numbers: dict[tuple[str, int], int] = {}

    # -- schools ------------------------------------------------------------------------
    def build(self, n_open: int):
        rng = self.rng
        opens = [self._open_school() for _ in range(n_open)]
        self.schools.extend(opens)
        closures = [self._closed_school() for _ in range(max(3, n_open // 60))]
        amalgamations = [s for s in opens if s["_amalgamated"]]
        for school in amalgamations:
            self._amalgamation_predecessors(school)
        # URNs rise with opening date: older schools 100000+, newer ones 135000+.
        self._assign_urns()
        for school in opens:
            if school["_predecessor"] is not None:
                self._link(school["_predecessor"], school, "predecessor", "Predecessor")
        self._assign_stories(opens)
        for school in opens:
            self.histories.append(self._history(school))
        for school in closures + [p for s in amalgamations for p in s["_amalgamated"]]:
            start = max(school["opened_on"], dt.date(2006, 9, 1)) + dt.timedelta(days=400)
            events = _walk(
                rng,
                _date_between(rng, start, start + dt.timedelta(days=1400)),
                school["closed_on"] - dt.timedelta(days=60),
                None,
            )
            self.histories.append((school, None, _fill(rng, events, school["closed_on"]), {}))
        proposed = [s for s in opens if s["type_group"] == MAINTAINED]
        for school in rng.sample(proposed, max(1, len(opens) // 250)):
            school["status"] = School.Status.OPEN_PROPOSED_TO_CLOSE

    def _pick_la(self) -> dict:
        region = self.rng.choices(self.region_codes, weights=self.region_weights)[0]
        return self.rng.choice(self.las_by_region[region])

    def _open_school(self) -> dict:
        rng = self.rng
        kind = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
        kind_key, phase, _w, type_weights, ages, pupils, number_base = kind
        type_key = rng.choices(list(type_weights), weights=list(type_weights.values()))[0]
        low, high = rng.choice(ages)
        la = self._pick_la()
        faith = self._faith(type_key, kind_key)
        place = self.words.place()
        base = place if rng.random() < 0.6 else f"{place} {rng.choice(FEATURES)}"
        school = self._school(la, type_key, kind_key, phase, low, high, faith, pupils)
        school["_number_base"] = number_base + (1000 if type_key in ("va", "foundation") else 0)
        academy = school["type_group"] != MAINTAINED and type_key not in (
            "community_special",
            "foundation_special",
        )
        if academy:
            suffix = rng.choice(ACADEMY_NAMES.get(kind_key, ("Academy",)))
        else:
            suffix = rng.choice(KIND_NAMES[kind_key])
        if kind_key == "primary" and (low, high) == (4, 7):
            suffix = "Infant School"
        elif kind_key == "primary" and (low, high) == (7, 11):
            suffix = "Junior School"
        if faith in FAITH_NAME and kind_key in ("primary", "secondary"):
            suffix = f"{FAITH_NAME[faith]} {suffix}"
        if type_key in FREE and rng.random() < 0.5:
            suffix = "Free School"
        school["name"] = f"{base} {suffix}"
        school["headteacher"] = self.words.person()
        school["_amalgamated"] = None
        school["_predecessor"] = None
        if type_key in SPONSORED or type_key in CONVERTED:
            school["opened_on"] = _first_of_month(
                rng, SPONSOR_YEARS if type_key in SPONSORED else CONVERSION_YEARS
            )
            school["open_reason"] = (
                "Academy Sponsor Led" if type_key in SPONSORED else "Academy Converter"
            )
            if rng.random() < 0.93:
                school["_predecessor"] = self._predecessor(school, type_key, kind_key, base)
        elif type_key in FREE:
            school["opened_on"] = dt.date(
                rng.choices(*zip(*FREE_YEARS.items(), strict=True))[0], 9, 1
            )
            school["open_reason"] = "Academy Free School"
        elif kind_key == "primary" and type_key == "community" and rng.random() < 0.03:
            school["opened_on"] = dt.date(rng.randrange(2012, 2021), 9, 1)
            school["open_reason"] = "Result of Amalgamation"
            school["_amalgamated"] = []
            school["_base"] = base
        else:
            school["opened_on"] = dt.date(rng.randrange(1950, 2006), 9, 1)
            school["open_reason"] = "Not applicable"
        return school

    def _faith(self, type_key, kind_key) -> str:
        rng = self.rng
        if type_key == "va":
            return "Roman Catholic" if rng.random() < 0.65 else "Church of England"
        if type_key == "vc":
            return "Church of England" if rng.random() < 0.95 else "Methodist"
        if type_key in ("converter", "sponsor") and kind_key in ("primary", "secondary"):
            roll = rng.random()
            return "Church of England" if roll < 0.17 else "Roman Catholic" if roll < 0.27 else ""
        if type_key == "free" and rng.random() < 0.08:
            return rng.choice(OTHER_FAITHS)
        return ""

    def _school(self, la, type_key, kind_key, phase, low, high, faith, pupils) -> dict:
        rng = self.rng
        code, type_name, group = TYPES[type_key]
        region_code = la["region_code"]
        fsm = FSM_BASE[self.region_names[region_code]] + rng.gauss(0, 7)
        if kind_key in ("special", "ap"):
            fsm += 15
        fsm_cents = max(150, min(7500, int(fsm * 100)))
        area, district = la["postcode"]
        street = rng.choice(FEATURES) if rng.random() < 0.5 else self.words.place()
        return {
            "urn": "",
            "laestab": "",
            "name": "",
            "type_code": code,
            "type_name": type_name,
            "type_group": group,
            "status": School.Status.OPEN,
            "phase": phase,
            "statutory_low_age": low,
            "statutory_high_age": high,
            "religious_character": faith,
            "diocese": rng.choice(self.dioceses[region_code].get(faith, [""])),
            "number_of_pupils": rng.randrange(*pupils),
            "percentage_fsm": Decimal(fsm_cents).scaleb(-2),
            "street": f"{rng.randrange(1, 140)} {street} {rng.choice(STREET_KINDS)}"
            if rng.random() < 0.6
            else f"{street} {rng.choice(STREET_KINDS)}",
            "locality": self.words.place() if rng.random() < 0.25 else "",
            "town": rng.choice(la["towns"]),
            "county": la["county"],
            "postcode": (
                f"{area}{district + rng.randrange(9)} {rng.randrange(10)}"
                f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            ),
            "headteacher": "",
            "opened_on": None,
            "open_reason": "",
            "closed_on": None,
            "close_reason": "",
            "la_code": la["code"],
            "region_code": region_code,
            "trust_uid": "",
            "trust_joined_on": None,
            "_la": la,
            "_kind": kind_key,
            "_type": type_key,
            "_number_base": 2000,
            "_ey": kind_key in ("nursery", "all_through") or (kind_key == "primary" and low < 7),
            "_sixth": high >= 18,
        }

    def _predecessor(self, school, type_key, kind_key, base) -> dict:
        rng = self.rng
        old_type = PREDECESSOR_TYPE.get(type_key)
        if old_type is None:
            old_type = {"Church of England": "vc", "Roman Catholic": "va"}.get(
                school["religious_character"],
                rng.choices(("community", "foundation"), (85, 15))[0],
            )
        old = self._school(
            school["_la"],
            old_type,
            kind_key,
            school["phase"],
            school["statutory_low_age"],
            school["statutory_high_age"],
            school["religious_character"],
            (max(10, school["number_of_pupils"] - 80), school["number_of_pupils"] + 80),
        )
        old.update(
            street=school["street"],
            locality=school["locality"],
            town=school["town"],
            postcode=school["postcode"],
            diocese=school["diocese"],
            status=School.Status.CLOSED,
            opened_on=dt.date(rng.randrange(1950, 2006), 9, 1),
            open_reason="Not applicable",
            closed_on=school["opened_on"] - dt.timedelta(days=1),
            close_reason=school["open_reason"],
        )
        old["_number_base"] = school["_number_base"]
        faith = FAITH_NAME.get(school["religious_character"])
        suffix = rng.choice(KIND_NAMES[kind_key])
        old["name"] = f"{base} {faith} {suffix}" if faith else f"{base} {suffix}"
        self.schools.append(old)
        return old

    def _closed_school(self) -> dict:
        rng = self.rng
        la = self._pick_la()
        low, high = rng.choice(((4, 11), (11, 16), (4, 7), (7, 11)))
        kind_key = "secondary" if low == 11 else "primary"
        school = self._school(la, "community", kind_key, kind_key.title(), low, high, "",
                              (40, 400))  # fmt: skip
        school.update(
            name=f"{self.words.place()} {rng.choice(KIND_NAMES[kind_key])}",
            status=School.Status.CLOSED,
            opened_on=dt.date(rng.randrange(1950, 2000), 9, 1),
            open_reason="Not applicable",
            closed_on=_date_between(rng, dt.date(2012, 7, 31), dt.date(2025, 8, 31)),
            close_reason=rng.choice(("Closure", "Closure", "Result of Merger")),
        )
        school["_number_base"] = 4000 if low == 11 else 2000
        self.schools.append(school)
        return school

    def _amalgamation_predecessors(self, school):
        for suffix, low, high in (("Infant School", 4, 7), ("Junior School", 7, 11)):
            old = self._school(school["_la"], "community", "primary", "Primary", low, high, "",
                               (80, 300))  # fmt: skip
            old.update(
                name=f"{school['_base']} {suffix}",
                status=School.Status.CLOSED,
                opened_on=dt.date(self.rng.randrange(1950, 2000), 9, 1),
                open_reason="Not applicable",
                closed_on=school["opened_on"] - dt.timedelta(days=1),
                close_reason="Result of Amalgamation",
            )
            self.schools.append(old)
            school["_amalgamated"].append(old)

    def _assign_urns(self):
        rng = self.rng
        old = sorted(
            (s for s in self.schools if s["opened_on"] < dt.date(2010, 1, 1)),
            key=lambda s: s["opened_on"],
        )
        new = sorted(
            (s for s in self.schools if s["opened_on"] >= dt.date(2010, 1, 1)),
            key=lambda s: s["opened_on"],
        )
        for first, group in ((100000, old), (135000, new)):
            urn = first
            for school in group:
                urn += 1 + (rng.random() < 0.25)
                school["urn"] = f"{urn:06d}"
        assert urn < 1_000_000
        for school in old + new:
            key = (school["la_code"], school["_number_base"])
            number = self._numbers.get(key, school["_number_base"]) + 1 + (rng.random() < 0.3)
            if number >= school["_number_base"] + 1000:  # full: use the 6000s
                key = (school["la_code"], 6000)
                number = self._numbers.get(key, 6000) + 1
            self._numbers[key] = number
            school["laestab"] = f"{school['la_code']}{number:04d}"

    def _link(self, old, new, kind, link_type):
        """GIAS lists a link from both ends: new's predecessor is old, old's successor new."""
        established = new["opened_on"]
        inverse = {"predecessor": ("successor", "Successor")}.get(kind, (kind, link_type))
        inverse_type = (
            inverse[1] if kind == "predecessor" else link_type.replace("Predecessor", "Successor")
        )
        self.links.append(
            {"urn": new["urn"], "linked_urn": old["urn"], "linked_name": old["name"],
             "kind": kind, "link_type": link_type, "established_on": established}
        )  # fmt: skip
        self.links.append(
            {"urn": old["urn"], "linked_urn": new["urn"], "linked_name": new["name"],
             "kind": inverse[0], "link_type": inverse_type, "established_on": established}
        )  # fmt: skip

    # -- histories ----------------------------------------------------------------------
    def _assign_stories(self, opens: list[dict]):
        """Pick the schools whose histories are scripted, spread over every region (North
        West and London first), from schools with a long enough history."""
        rng = self.rng
        n = len(opens)
        quotas = (
            ("ri_run_2023_24", max(6, round(n * 0.012))),
            ("inadequate_2023_24", max(2, round(n * 0.0035))),
            ("near_miss", max(4, round(n * 0.015))),
        )
        order = ["E12000002", "E12000007"] + [
            c for c in self.region_codes if c not in ("E12000002", "E12000007")
        ]
        pools = {code: [] for code in order}
        for school in opens:
            start = (school["_predecessor"] or school)["opened_on"]
            if school["_type"] not in SPONSORED and start < dt.date(2012, 1, 1):
                if not school["_amalgamated"]:
                    pools[school["region_code"]].append(school)
        for pool in pools.values():
            rng.shuffle(pool)
        for story, quota in quotas:
            chosen = self.stories.setdefault(story, [])
            turn = 0
            while len(chosen) < quota and any(pools.values()):
                if turn < len(order):  # one per region first, then by region size
                    pool = pools[order[turn]]
                else:
                    pool = rng.choices(list(pools.values()), [len(p) for p in pools.values()])[0]
                turn += 1
                if pool:
                    school = pool.pop()
                    school["_story"] = story
                    chosen.append(school["urn"])

    def _history(self, school) -> tuple[dict, dict | None, list[Event], dict]:
        rng = self.rng
        predecessor = school["_predecessor"]
        until = AS_OF - dt.timedelta(days=60)
        first_school = predecessor or school
        if first_school["opened_on"] < dt.date(2005, 9, 1):
            start = _date_between(rng, dt.date(2006, 9, 1), dt.date(2010, 7, 15))
        else:
            start = first_school["opened_on"] + dt.timedelta(days=rng.randrange(700, 1200))
        story = school.get("_story")
        conversion = school["opened_on"] if predecessor else None
        if story:
            anchors = _scripted(rng, story, start, until)
        elif school["_type"] in SPONSORED and predecessor:
            bad_on = _before_pause(rng, conversion - dt.timedelta(days=rng.randrange(180, 540)))
            grade = 4 if rng.random() < 0.75 else 3
            bad = Event(bad_on, Kind.GRADED, grade, concern=_concern(rng, grade))
            anchors = _walk(rng, start, bad_on - dt.timedelta(days=700), None)
            anchors.append(bad)
            anchors += _walk(
                rng, conversion + dt.timedelta(days=rng.randrange(600, 1100)), until, bad.grade
            )
        else:
            anchors = _walk(rng, start, until, None)
        events = _fill(rng, anchors, AS_OF, cutoff=conversion)
        # For some academies Ofsted records the predecessor's last inspections against
        # the academy, with the predecessor's URN at the time.
        inherit = bool(predecessor) and rng.random() < 0.3
        return school, predecessor, events, {"inherit": inherit}


def _before_pause(rng, day: dt.date) -> dt.date:
    if PAUSE[0] <= day < PAUSE[1]:
        day = PAUSE[0] - dt.timedelta(days=rng.randrange(20, 200))
    return _school_day(day)


def _after_pause(rng, day: dt.date) -> dt.date:
    if PAUSE[0] <= day < PAUSE[1]:
        day = PAUSE[1] + dt.timedelta(days=rng.randrange(14, 300))
    return _school_day(day)


def _in_2023_24(day: dt.date) -> bool:
    return YEAR_2023_24[0] <= day <= YEAR_2023_24[1]


def _concern(rng, grade: int) -> str:
    if grade != Grade.INADEQUATE:
        return ""
    return "SM" if rng.random() < 0.6 else "SWK"


def _walk(rng, day: dt.date, until: dt.date, prev: int | None) -> list[Event]:
    """Graded inspections from `day` to `until`, each judgement drawn from the last.

    In 2023/24 the walk never makes a school eligible (no Inadequate, no second RI in a
    row): eligible schools come only from the scripted stories."""
    anchors = []
    run = 1 if prev == 3 else 0
    while True:
        day = _after_pause(rng, day)
        if day > until:
            return anchors
        grade = rng.choices((1, 2, 3, 4), weights=TRANSITIONS[prev])[0]
        if _in_2023_24(day) and (grade == 4 or (grade == 3 and prev == 3)):
            grade = 2
        if grade == 3 and run >= 4:  # runs stop at four
            grade = 2
        run = run + 1 if grade == 3 else 0
        anchors.append(Event(day, Kind.GRADED, grade, concern=_concern(rng, grade)))
        low, high = GRADED_GAP[grade]
        day = day + dt.timedelta(days=rng.randrange(low, high))
        prev = grade


def _scripted(rng, story: str, start: dt.date, until: dt.date) -> list[Event]:
    """A history with a scripted stretch (see the module docstring), walked around it."""
    in_year = _date_between(rng, dt.date(2023, 9, 11), dt.date(2024, 7, 12))
    if story == "ri_run_2023_24":
        grades = [3] * rng.choices((2, 3, 4), weights=(60, 30, 10))[0]
    elif story == "inadequate_2023_24":
        grades = [4]
    else:
        variant = rng.randrange(4)
        if variant == 0:  # a run that ended in 2022/23
            in_year = _date_between(rng, dt.date(2022, 9, 12), dt.date(2023, 7, 7))
            grades = [3, 3]
        elif variant == 1:  # RI, Good, RI: not consecutive
            grades = [3, 2, 3]
        elif variant == 2:  # a single RI in 2023/24 after Good
            grades = [3]
        else:  # Inadequate in 2022/23
            in_year = _date_between(rng, dt.date(2022, 9, 12), dt.date(2023, 7, 7))
            grades = [4]
    dates = [_school_day(in_year)]
    for grade in reversed(grades[:-1]):
        low, high = GRADED_GAP[grade]
        dates.append(_before_pause(rng, dates[-1] - dt.timedelta(days=rng.randrange(low, high))))
    dates.reverse()
    script = [
        Event(d, Kind.GRADED, g, concern=_concern(rng, g))
        for d, g in zip(dates, grades, strict=True)
    ]
    prefix = _walk(rng, start, dates[0] - dt.timedelta(days=1100), None)
    if prefix and prefix[-1].grade >= 3:
        prefix[-1].grade, prefix[-1].concern = 2, ""
    low, high = GRADED_GAP[grades[-1]]
    after = dates[-1] + dt.timedelta(days=rng.randrange(low, high))
    return prefix + script + _walk(rng, after, until, grades[-1])


def _fill(rng, anchors: list[Event], end: dt.date, cutoff: dt.date | None = None):
    """Add ungraded and monitoring inspections between graded ones, and name the types."""
    events = []
    run = 0  # consecutive RI judgements so far
    prev = None
    for i, anchor in enumerate(anchors):
        nxt = anchors[i + 1].date if i + 1 < len(anchors) else end
        next_grade = anchors[i + 1].grade if i + 1 < len(anchors) else anchor.grade
        if prev is None or prev.grade <= 2 or (cutoff and prev.date < cutoff <= anchor.date):
            anchor.inspection_type = "S5 Inspection"
        elif prev.grade == 3:
            anchor.inspection_type = f"Requires Improvement S5 Reinspection Visit {run}"
        elif prev.concern == "SWK":
            anchor.inspection_type = "Serious Weaknesses S5 Reinspection"
        else:
            anchor.inspection_type = "Special Measures S5 Reinspection"
        if anchor.date >= REPORT_CARD_START:
            anchor.kind = Kind.REPORT_CARD
            anchor.inspection_type = "Report card inspection"
        run = run + 1 if anchor.grade == 3 else 0
        events.append(anchor)
        events += _between(rng, anchor, nxt, next_grade, cutoff)
        prev = anchor
    return events


def _between(rng, anchor: Event, nxt: dt.date, next_grade: int, cutoff) -> list[Event]:
    out = []
    grade = anchor.grade
    if grade <= 2:
        day = anchor.date + dt.timedelta(days=rng.randrange(1300, 1650))
        while day < nxt - dt.timedelta(days=300):
            day = _after_pause(rng, day)
            last = day + dt.timedelta(days=1700) >= nxt - dt.timedelta(days=300)
            if day >= nxt - dt.timedelta(days=200):
                break
            if not (grade == 1 and day < dt.date(2021, 9, 1)):  # outstanding was exempt
                out.append(
                    Event(day, Kind.UNGRADED, grade, "S8 Inspection of good and outstanding "
                          "schools", _ungraded_outcome(day, grade, next_grade if last else grade))
                )  # fmt: skip
            day += dt.timedelta(days=rng.randrange(1300, 1650))
    elif grade == 3:
        day = anchor.date + dt.timedelta(days=rng.randrange(150, 300))
        if rng.random() < 0.35 and day < nxt - dt.timedelta(days=90):
            day = _after_pause(rng, day)
            if day < nxt - dt.timedelta(days=60) and not (cutoff and anchor.date < cutoff <= day):
                out.append(
                    Event(day, Kind.MONITORING, grade, "S8 Requires Improvement Monitoring Visit",
                          _monitoring_outcome(rng))
                )  # fmt: skip
    else:
        day = anchor.date + dt.timedelta(days=rng.randrange(90, 150))
        for visit in range(1, 3 if anchor.concern == "SWK" else 4):
            day = _after_pause(rng, day)
            if day >= nxt - dt.timedelta(days=60) or (cutoff and anchor.date < cutoff <= day):
                break
            kind = (
                f"Schools with Serious Weaknesses Visit {visit}"
                if anchor.concern == "SWK"
                else f"S8 Special Measures Monitoring Visit {visit}"
            )
            out.append(
                Event(day, Kind.MONITORING, grade, kind, _monitoring_outcome(rng), anchor.concern)
            )
            day += dt.timedelta(days=rng.randrange(120, 200))
    return [e for e in out if e.date <= AS_OF - dt.timedelta(days=60)]


def _ungraded_outcome(day: dt.date, grade: int, next_grade: int) -> str:
    label = "Outstanding" if grade == 1 else "Good"
    if day >= NO_GRADE_START:
        if next_grade > grade:
            return "Some aspects not as strong"
        return "Improved significantly" if next_grade < grade else "Standards maintained"
    if next_grade > grade:
        return f"School remains {label} (Concerns) - S5 Next"
    if next_grade < grade:
        return f"School remains {label} (Improved significantly) - S5 Next"
    return f"School remains {label}"


def _monitoring_outcome(rng) -> str:
    return "Taking effective action" if rng.random() < 0.8 else "Not taking effective action"


# ---------------------------------------------------------------------------------------
# Inspections


def _near(rng, grade: int, weights: dict[int, tuple[int, int, int, int]]) -> int:
    return rng.choices((1, 2, 3, 4), weights=weights[grade])[0]


# Sub-judgement weights (O, G, RI, I) by overall grade.
SUB_MAIN = {1: (100, 0, 0, 0), 2: (0, 100, 0, 0), 3: (0, 8, 92, 0), 4: (0, 0, 35, 65)}
SUB_LEAD = {1: (92, 8, 0, 0), 2: (10, 90, 0, 0), 3: (0, 40, 60, 0), 4: (0, 0, 15, 85)}
SUB_OTHER = {1: (78, 22, 0, 0), 2: (22, 72, 6, 0), 3: (0, 50, 48, 2), 4: (0, 15, 55, 30)}


def _plan_inspections(rng, builder: _SchoolBuilder) -> list[dict]:
    rows = []
    for school, predecessor, events, options in builder.histories:
        conversion = school["opened_on"] if predecessor else None
        inherited = []
        if options.get("inherit"):
            before = [e for e in events if e.date < conversion and e.kind == Kind.GRADED]
            if before:
                inherited = [e for e in events if before[-1].date <= e.date < conversion]
        for event in events:
            owner, urn_at_time = school, ""
            if conversion and event.date < conversion:
                if event in inherited:
                    urn_at_time = predecessor["urn"]
                else:
                    owner = predecessor
            rows.append(_inspection(rng, event, owner, urn_at_time, school))
    # Inspection numbers rise with the date: 6 digits before 2010/11, then 8 digits.
    rows.sort(key=lambda r: (r["start_date"], r["school_urn"], r["inspection_type"]))
    old, new = 300000, 10000000
    for row in rows:
        if row["start_date"] < dt.date(2010, 9, 1):
            old += 1 + (rng.random() < 0.4)
            row["inspection_number"] = str(old)
        else:
            new += 1 + (rng.random() < 0.4)
            row["inspection_number"] = str(new)
    return rows


def _inspection(rng, event: Event, owner: dict, urn_at_time: str, school: dict) -> dict:
    day = event.date
    graded = event.kind in (Kind.GRADED, Kind.REPORT_CARD)
    end = day + dt.timedelta(days=1 if graded or day >= EIF_START else 0)
    row = {
        "school_urn": owner["urn"],
        "kind": event.kind,
        "inspection_type": event.inspection_type,
        "start_date": day,
        "end_date": end,
        "publication_date": end + dt.timedelta(days=rng.randrange(18, 45)),
        "overall_effectiveness": None,
        "category_of_concern": event.concern,
        "ungraded_outcome": event.outcome,
        "urn_at_time": urn_at_time,
        "safeguarding_effective": None,
        "source": OfstedInspection.Source.SEED,
    }
    grade = event.grade
    if event.kind == Kind.GRADED:
        if day < NO_GRADE_START:
            row["overall_effectiveness"] = grade
        row["quality_of_education"] = _near(rng, grade, SUB_MAIN) if day >= EIF_START else None
        row["leadership_and_management"] = _near(rng, grade, SUB_LEAD)
        row["behaviour_and_attitudes"] = _near(rng, grade, SUB_OTHER)
        row["personal_development"] = (
            _near(rng, grade, SUB_OTHER) if day >= EIF_START else row["behaviour_and_attitudes"]
        )
        if school["_ey"]:
            row["early_years"] = _near(rng, grade, SUB_OTHER)
        if school["_sixth"]:
            row["sixth_form"] = _near(rng, grade, SUB_OTHER)
        if grade == 4 and row["leadership_and_management"] < 4 and row["quality_of_education"]:
            row["quality_of_education"] = 4
        row["safeguarding_effective"] = not (grade == 4 and rng.random() < 0.4)
    elif event.kind == Kind.REPORT_CARD:
        base = {1: 1, 2: 2, 3: 3, 4: 4}[grade]
        areas = list(RC_AREAS)
        if school["_ey"]:
            areas.append("rc_early_years")
        if school["_sixth"]:
            areas.append("rc_post_16")
        for area in areas:
            step = rng.choices((-1, 0, 1), weights=(20, 60, 20))[0]
            row[area] = RC_SCALE[min(4, max(0, base + step - (1 if grade == 1 else 0)))]
        if grade == 4:
            row["rc_leadership_and_governance"] = RC.URGENT
        row["rc_safeguarding_met"] = not (grade == 4 and rng.random() < 0.5)
        if grade == 4:
            row["category_of_concern"] = "SWK" if row["rc_safeguarding_met"] else "SM"
    else:
        row["safeguarding_effective"] = True
    return row


# ---------------------------------------------------------------------------------------
# Trusts


def _plan_trusts(rng, words: _Words, builder: _SchoolBuilder, n_trusts: int) -> list[dict]:
    academies = [
        s
        for s in builder.schools
        if s["status"] != School.Status.CLOSED and s["_type"] in SPONSORED | CONVERTED | FREE
    ]
    n_closed = max(1, round(n_trusts * 0.02))
    n_sat = min(round(n_trusts * 0.4), len(academies) // 10)
    n_mat = n_trusts - n_closed - n_sat
    sat_pool = [s for s in academies if s["_type"] in CONVERTED | FREE]
    sats = rng.sample(sat_pool, n_sat)
    sat_ids = {id(s) for s in sats}
    trusts = []
    for school in sats:
        name = school["name"]
        trusts.append(
            _trust(rng, words, builder, school["_la"], Trust.Kind.SINGLE_ACADEMY,
                   f"{name} Trust" if name.endswith("Academy") else f"{name} Academy Trust")
        )  # fmt: skip
        _join(rng, school, trusts[-1])
    mats = []
    for _ in range(n_mat):
        la = builder._pick_la()
        faith = rng.choices(("", "Church of England", "Roman Catholic"), (88, 7, 5))[0]
        if faith == "Church of England":
            place = builder.dioceses[la["region_code"]][faith][0].removeprefix("Diocese of ")
            name = f"{place} Diocesan Academies Trust"
        elif faith:
            place = builder.dioceses[la["region_code"]][faith][0].rsplit(" ", 1)[-1]
            name = f"{place} Catholic Academy Trust"
        else:
            name = f"{words.place()} {rng.choice(MAT_SUFFIXES)}"
        mat = _trust(rng, words, builder, la, Trust.Kind.MULTI_ACADEMY, name)
        mat["_faith"] = faith
        mat["_weight"] = min(rng.paretovariate(1.2), 40.0)
        mats.append(mat)
    members = [s for s in academies if id(s) not in sat_ids]
    rng.shuffle(members)
    by_region: dict[tuple[str, str], list[dict]] = {}
    for mat in mats:
        by_region.setdefault((mat["_region"], ""), []).append(mat)
        if mat["_faith"]:
            by_region.setdefault((mat["_region"], mat["_faith"]), []).append(mat)
    cumulative = {
        key: list(_accumulate(m["_weight"] for m in group)) for key, group in by_region.items()
    }
    everyone = (("*", ""), mats, list(_accumulate(m["_weight"] for m in mats)))
    # Every trust gets one school from its region first, then the rest go by weight.
    unplaced = []
    by_school_region: dict[str, list[dict]] = {}
    for school in members:
        by_school_region.setdefault(school["region_code"], []).append(school)
    for mat in mats:
        pool = by_school_region.get(mat["_region"]) or []
        if pool:
            _join(rng, pool.pop(), mat)
    for code in builder.region_codes:
        unplaced += by_school_region.get(code, [])
    for school in unplaced:
        faith = school["religious_character"]
        key = (school["region_code"], faith if faith in FAITH_NAME else "")
        if key not in by_region or rng.random() < 0.25 and not key[1]:
            key = (school["region_code"], "")
        if key in by_region and rng.random() < 0.92:
            group, cum = by_region[key], cumulative[key]
        else:
            _, group, cum = everyone
        pick = bisect.bisect_right(cum, rng.random() * cum[-1])
        _join(rng, school, group[min(pick, len(group) - 1)])
    for _ in range(n_closed):
        closed = _trust(rng, words, builder, builder._pick_la(), Trust.Kind.MULTI_ACADEMY,
                        f"{words.place()} {rng.choice(MAT_SUFFIXES)}")  # fmt: skip
        closed["opened_on"] = _date_between(rng, dt.date(2011, 1, 1), dt.date(2016, 12, 31))
        closed["closed_on"] = _date_between(rng, dt.date(2017, 1, 1), dt.date(2024, 8, 31))
        closed["status"] = Trust.Status.CLOSED
        trusts.append(closed)
    trusts += mats
    for trust in trusts:
        if trust["opened_on"] is None:
            first = trust.pop("_first", None) or _date_between(
                rng, dt.date(2011, 1, 1), dt.date(2022, 12, 31)
            )
            trust["opened_on"] = first - dt.timedelta(days=rng.randrange(30, 400))
    # Group UIDs and IDs rise with the incorporation date.
    trusts.sort(key=lambda t: (t["opened_on"], t["name"]))
    uid = 2000
    companies = set()
    for i, trust in enumerate(trusts):
        uid += 1 + rng.randrange(4)
        trust["uid"] = str(uid)
        trust["group_id"] = f"TR{i + 1:05d}"
        trust["ukprn"] = f"{10000000 + uid * 3:08d}"
        number = rng.randrange(7_000_000, 14_000_000)
        while number in companies:
            number += 1
        companies.add(number)
        trust["companies_house_number"] = f"{number:08d}"
        for school in trust.pop("_members", []):
            school["trust_uid"] = trust["uid"]
    return [
        {k: v for k, v in trust.items() if not k.startswith("_")}
        for trust in sorted(trusts, key=lambda t: int(t["uid"]))
    ]


def _accumulate(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def _trust(rng, words, builder, la, kind, name) -> dict:
    area, district = la["postcode"]
    return {
        "uid": "",
        "group_id": "",
        "name": name,
        "companies_house_number": "",
        "kind": kind,
        "group_type": Trust.Kind(kind).label,
        "status": Trust.Status.OPEN,
        "opened_on": None,
        "closed_on": None,
        "street": f"{rng.randrange(1, 90)} {words.place()} {rng.choice(STREET_KINDS)}",
        "locality": "",
        "address3": "",
        "town": rng.choice(la["towns"]),
        "county": la["county"],
        "postcode": f"{area}{district + rng.randrange(9)} {rng.randrange(10)}"
        f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "head_of_group": words.person(),
        "ukprn": "",
        "_region": la["region_code"],
        "_members": [],
    }


def _join(rng, school: dict, trust: dict):
    joined = school["opened_on"]
    if rng.random() < 0.12:  # moved to this trust later
        later = joined + dt.timedelta(days=rng.randrange(700, 2500))
        if later < AS_OF - dt.timedelta(days=30):
            joined = dt.date(later.year, later.month, 1)
    school["trust_joined_on"] = joined
    trust["_members"].append(school)
    first = min(joined, school["opened_on"])
    if trust.get("_first") is None or first < trust["_first"]:
        trust["_first"] = first


# ---------------------------------------------------------------------------------------
# Writing


@transaction.atomic
def _write(plan: Plan) -> dict[str, int]:
    added = {}
    region_ids = {}
    for row in plan.regions:
        region, created = Region.objects.get_or_create(code=row["code"], defaults=row)
        region_ids[row["code"]] = region.pk
        added["regions"] = added.get("regions", 0) + created

    have = set(LocalAuthority.objects.values_list("code", flat=True))
    added["local authorities"] = _insert(
        LocalAuthority,
        (
            {"code": r["code"], "name": r["name"], "region_id": region_ids[r["region_code"]]}
            for r in plan.las
            if r["code"] not in have
        ),
    )
    la_ids = dict(LocalAuthority.objects.values_list("code", "pk"))

    have = set(Trust.objects.values_list("uid", flat=True))
    added["trusts"] = _insert(Trust, (r for r in plan.trusts if r["uid"] not in have))
    trust_ids = dict(Trust.objects.values_list("uid", "pk"))

    have = dict(School.objects.values_list("urn", "name"))
    clashes = [r["urn"] for r in plan.schools if have.get(r["urn"], r["name"]) != r["name"]]
    if clashes:
        raise CommandError(
            f"The register already holds other schools with the demo URNs "
            f"({', '.join(clashes[:5])}...): seed_demo adds only to an empty register "
            f"or to one seeded at the same scale."
        )
    added["schools"] = _insert(
        School,
        (
            r
            | {
                "local_authority_id": la_ids[r["la_code"]],
                "region_id": region_ids[r["region_code"]],
                "trust_id": trust_ids[r["trust_uid"]] if r["trust_uid"] else None,
            }
            for r in plan.schools
            if r["urn"] not in have
        ),
    )
    school_ids = dict(School.objects.values_list("urn", "pk"))

    have = set(SchoolLink.objects.values_list("urn", "linked_urn", "link_type"))
    added["school links"] = _insert(
        SchoolLink,
        (r for r in plan.links if (r["urn"], r["linked_urn"], r["link_type"]) not in have),
    )

    have = set(OfstedInspection.objects.values_list("inspection_number", flat=True))
    added["inspections"] = _insert(
        OfstedInspection,
        (
            r | {"school_id": school_ids[r["school_urn"]]}
            for r in plan.inspections
            if r["inspection_number"] not in have
        ),
    )
    return added


def _insert(model, rows) -> int:
    """Insert plain rows (keys: field attnames; others ignored; missing ones take the
    field default). PostgreSQL gets one COPY per table, other databases bulk_create."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = [(f.attname, f.get_default()) for f in fields]
    values = [[row.get(name, default) for name, default in defaults] for row in rows]
    if not values:
        return 0
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
    else:
        names = [name for name, _ in defaults]
        model.objects.bulk_create(
            (model(**dict(zip(names, row, strict=True))) for row in values), batch_size=2000
        )
    return len(values)
