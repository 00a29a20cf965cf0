"""Local authorities, schools (open, predecessors, closed) and GIAS links for the
synthetic register, as plain rows keyed by LA code and URN."""

import datetime as dt
import string
from decimal import Decimal

from schools.demo.histories import AS_OF, date_between
from schools.demo.words import FEATURES, Words
from schools.models import School, SchoolLink

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
LONDON, NORTH_WEST = "E12000007", "E12000002"
# Rough centre of each region on the British National Grid (metres) and how far
# its local authorities spread from it: invented, but plausible, coordinates.
REGION_CENTRES = {
    "E12000001": (420000, 565000, 25000),
    "E12000002": (360000, 440000, 30000),
    "E12000003": (445000, 450000, 30000),
    "E12000004": (470000, 330000, 30000),
    "E12000005": (390000, 290000, 30000),
    "E12000006": (565000, 250000, 35000),
    "E12000007": (530000, 180000, 8000),
    "E12000008": (490000, 140000, 40000),
    "E12000009": (300000, 110000, 45000),
}
FSM_BASE = {"E12000001": 27, "E12000002": 25, "E12000003": 23, "E12000004": 21}
FSM_BASE |= {"E12000005": 25, "E12000006": 18, "E12000007": 26, "E12000008": 16}
FSM_BASE |= {"E12000009": 17}

MAINTAINED = "Local authority maintained schools"
# key: GIAS type code, type name, type group
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
SPONSORED = frozenset({"sponsor", "special_sponsor", "ap_sponsor"})
CONVERTED = frozenset({"converter", "special_converter", "ap_converter", "converter_16_19"})
FREE = frozenset({"free", "free_special", "free_ap", "free_16_19"})
ACADEMY_TYPES = SPONSORED | CONVERTED | FREE
# What an academy was before it converted (default: by religious character).
PREDECESSOR_TYPE = {
    "special_sponsor": "community_special",
    "special_converter": "community_special",
    "ap_sponsor": "pru",
    "ap_converter": "pru",
    "converter_16_19": "community",
}

# fmt: off
# kind, GIAS phase, weight, type weights, (low, high) ages, pupils range, 4-digit number base
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
)
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
CONVERSION_YEARS = {2011: 9, 2012: 12, 2013: 9, 2014: 7, 2015: 7, 2016: 7, 2017: 8, 2018: 8,
                    2019: 7, 2020: 5, 2021: 6, 2022: 6, 2023: 5, 2024: 4, 2025: 3, 2026: 1}
SPONSOR_YEARS = {2008: 2, 2009: 3, 2010: 4, 2011: 6, 2012: 9, 2013: 10, 2014: 8, 2015: 7,
                 2016: 6, 2017: 6, 2018: 5, 2019: 5, 2020: 3, 2021: 3, 2022: 3, 2023: 3}
FREE_YEARS = {2011: 2, 2012: 4, 2013: 6, 2014: 7, 2015: 8, 2016: 8, 2017: 7, 2018: 6,
              2019: 5, 2020: 4, 2021: 4, 2022: 3, 2023: 3, 2024: 2}
# fmt: on
FAITH_NAME = {"Church of England": "Church of England", "Roman Catholic": "Catholic"}
OTHER_FAITHS = ("Jewish", "Muslim", "Sikh", "Hindu", "Methodist")
NEW_URNS_FROM = dt.date(2010, 1, 1)  # schools opened since get URNs from 135000


def plan_las(words: Words, rng, las_per_region: int | None) -> list[dict]:
    las = []
    for region_code, _name, count, first_code, _share in REGIONS:
        for j in range(las_per_region or count):
            i = len(las)
            # Two LAs share each postcode area, with districts 1-9 and 11-19.
            area = "QVX"[i // 52] + string.ascii_uppercase[i // 2 % 26]
            place = words.unique_place()
            county = region_code != LONDON and rng.random() < 0.3
            las.append(
                {
                    "code": f"{first_code + j:03d}",
                    "name": f"{place} County" if county else place,
                    "region_code": region_code,
                    "county": f"{place}shire" if county else "",
                    "towns": [words.unique_place() for _ in range(8)],
                    "postcode": (area, 1 + i % 2 * 10),
                }
            )
    return las


def _first_of_month(rng, year_weights: dict[int, int]) -> dt.date:
    while True:
        year = rng.choices(list(year_weights), weights=list(year_weights.values()))[0]
        day = dt.date(year, rng.choice((1, 1, 4, 6, 9, 9, 9, 11)), 1)
        if day <= AS_OF:
            return day


class SchoolBuilder:
    """Open schools, their predecessors, other closed schools and the links between them.

    Rows are School fields plus la_code/region_code/trust_uid and helper keys starting
    with "_" (not written)."""

    def __init__(self, rng, words: Words, las: list[dict]):
        self.rng = rng
        self.words = words
        self.las_by_region = {}
        for la in las:
            self.las_by_region.setdefault(la["region_code"], []).append(la)
        self.region_codes = [r[0] for r in REGIONS]
        self.region_weights = [r[4] for r in REGIONS]
        self.dioceses = {
            code: {
                "Church of England": [f"Diocese of {words.unique_place()}" for _ in range(2)],
                "Roman Catholic": [f"Roman Catholic Diocese of {words.unique_place()}"],
            }
            for code in self.region_codes
        }
        self.schools: list[dict] = []
        self.open: list[dict] = []
        self.closed: list[dict] = []  # closed with no successor, or amalgamated
        self.links: list[dict] = []

    def build(self, n_open: int):
        rng = self.rng
        self.open = [self._open_school() for _ in range(n_open)]
        self.schools += self.open
        self.closed = [self._closed_school() for _ in range(max(3, n_open // 60))]
        for school in self.open:
            if school["_amalgamated"] is not None:
                self._amalgamate(school)
        maintained = [s for s in self.open if s["type_group"] == MAINTAINED]
        for school in rng.sample(maintained, max(1, n_open // 250)):
            school["status"] = School.Status.OPEN_PROPOSED_TO_CLOSE
        self._assign_urns()

    def link(self):
        """The GIAS links, made once the histories have settled the conversion dates."""
        for school in self.open:
            if school["_predecessor"]:
                self._link(school["_predecessor"], school, SchoolLink.Kind.PREDECESSOR,
                           "Predecessor", "Successor")  # fmt: skip
            for old in school["_amalgamated"] or ():
                self._link(old, school, SchoolLink.Kind.AMALGAMATED,
                           "Predecessor - amalgamated", "Successor - amalgamated")  # fmt: skip

    def pick_la(self) -> dict:
        region = self.rng.choices(self.region_codes, weights=self.region_weights)[0]
        return self.rng.choice(self.las_by_region[region])

    def _open_school(self) -> dict:
        rng = self.rng
        kind_key, phase, _weight, type_weights, ages, pupils, number_base = rng.choices(
            KINDS, weights=[k[2] for k in KINDS]
        )[0]
        type_key = rng.choices(list(type_weights), weights=list(type_weights.values()))[0]
        low, high = rng.choice(ages)
        faith = self._faith(type_key, kind_key)
        place = self.words.place()
        base = place if rng.random() < 0.6 else f"{place} {rng.choice(FEATURES)}"
        school = self._row(self.pick_la(), type_key, kind_key, phase, (low, high), faith, pupils)
        school["_number_base"] = number_base + (1000 if type_key in ("va", "foundation") else 0)
        if type_key in ACADEMY_TYPES:
            suffix = rng.choice(ACADEMY_NAMES.get(kind_key, ("Academy",)))
        else:
            suffix = rng.choice(KIND_NAMES[kind_key])
        if kind_key == "primary" and (low, high) in ((4, 7), (7, 11)):
            suffix = "Infant School" if low == 4 else "Junior School"
        if faith in FAITH_NAME and kind_key in ("primary", "secondary"):
            suffix = f"{FAITH_NAME[faith]} {suffix}"
        if type_key in FREE and rng.random() < 0.5:
            suffix = "Free School"
        school["name"] = f"{base} {suffix}"
        school["headteacher"] = self.words.person()
        if type_key in SPONSORED or type_key in CONVERTED:
            sponsored = type_key in SPONSORED
            school["opened_on"] = _first_of_month(
                rng, SPONSOR_YEARS if sponsored else CONVERSION_YEARS
            )
            school["open_reason"] = "Academy Sponsor Led" if sponsored else "Academy Converter"
            if rng.random() < 0.93:
                school["_predecessor"] = self._predecessor(school, type_key, base)
        elif type_key in FREE:
            year = rng.choices(list(FREE_YEARS), weights=list(FREE_YEARS.values()))[0]
            school["opened_on"] = dt.date(year, 9, 1)
            school["open_reason"] = "Academy Free School"
        elif kind_key == "primary" and type_key == "community" and rng.random() < 0.03:
            school["opened_on"] = dt.date(rng.randrange(2012, 2021), 9, 1)
            school["open_reason"] = "Result of Amalgamation"
            school["_amalgamated"] = []
            school["_base"] = base
            school["statutory_low_age"], school["statutory_high_age"] = 4, 11
        else:
            school["opened_on"] = dt.date(rng.randrange(1950, 2006), 9, 1)
            school["open_reason"] = "Not applicable"
        return school

    def _faith(self, type_key: str, kind_key: str) -> str:
        roll = self.rng.random()
        if type_key == "va":
            return "Roman Catholic" if roll < 0.65 else "Church of England"
        if type_key == "vc":
            return "Church of England" if roll < 0.95 else "Methodist"
        if type_key in ("converter", "sponsor") and kind_key in ("primary", "secondary"):
            return "Church of England" if roll < 0.17 else "Roman Catholic" if roll < 0.27 else ""
        if type_key == "free" and roll < 0.08:
            return self.rng.choice(OTHER_FAITHS)
        return ""

    def _row(self, la, type_key, kind_key, phase, ages, faith, pupils) -> dict:
        rng = self.rng
        code, type_name, group = TYPES[type_key]
        region_code = la["region_code"]
        early_years = kind_key in ("nursery", "all_through") or (
            kind_key == "primary" and ages[0] < 7
        )
        fsm = FSM_BASE[region_code] + rng.gauss(0, 7) + (15 if kind_key in ("special", "ap") else 0)
        return {
            "urn": "",
            "laestab": "",
            "name": "",
            "type_code": code,
            "type_name": type_name,
            "type_group": group,
            "status": School.Status.OPEN,
            "phase": phase,
            "statutory_low_age": ages[0],
            "statutory_high_age": ages[1],
            "religious_character": faith,
            "diocese": rng.choice(self.dioceses[region_code].get(faith, [""])),
            "number_of_pupils": rng.randrange(*pupils),
            "percentage_fsm": Decimal(max(150, min(7500, int(fsm * 100)))).scaleb(-2),
            "street": self.words.street(),
            "locality": self.words.place() if rng.random() < 0.25 else "",
            "town": rng.choice(la["towns"]),
            "county": la["county"],
            "postcode": self.words.postcode(*la["postcode"]),
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
            "_type": type_key,
            "_sponsored": type_key in SPONSORED,
            "_number_base": 2000,
            "_ey": early_years,
            "_sixth": ages[1] >= 18,
            "_predecessor": None,
            "_amalgamated": None,
        }  # fmt: skip

    def _closed(self, school: dict, opened_on: dt.date, closed_on: dt.date, reason: str):
        school.update(
            status=School.Status.CLOSED,
            opened_on=opened_on,
            open_reason="Not applicable",
            closed_on=closed_on,
            close_reason=reason,
        )
        self.schools.append(school)
        return school

    def _predecessor(self, school: dict, type_key: str, base: str) -> dict:
        rng = self.rng
        faith = school["religious_character"]
        old_type = PREDECESSOR_TYPE.get(type_key) or {
            "Church of England": "vc",
            "Roman Catholic": "va",
        }.get(faith, rng.choices(("community", "foundation"), (85, 15))[0])
        kind_key = next(k for k in KINDS if k[1] == school["phase"] and type_key in k[3])[0]
        pupils = school["number_of_pupils"]
        ages = (school["statutory_low_age"], school["statutory_high_age"])
        old = self._row(school["_la"], old_type, kind_key, school["phase"], ages, faith,
                        (max(10, pupils - 80), pupils + 80))  # fmt: skip
        for key in ("street", "locality", "town", "postcode", "diocese", "_number_base"):
            old[key] = school[key]
        suffix = rng.choice(KIND_NAMES[kind_key])
        old["name"] = (
            f"{base} {FAITH_NAME[faith]} {suffix}" if faith in FAITH_NAME else f"{base} {suffix}"
        )
        opened_on = dt.date(rng.randrange(1950, 2006), 9, 1)
        closed_on = school["opened_on"] - dt.timedelta(days=1)
        return self._closed(old, opened_on, closed_on, school["open_reason"])  # fmt: skip

    def _closed_school(self) -> dict:
        rng = self.rng
        ages = rng.choice(((4, 11), (11, 16), (4, 7), (7, 11)))
        kind_key = "secondary" if ages[0] == 11 else "primary"
        school = self._row(self.pick_la(), "community", kind_key, kind_key.title(), ages, "",
                           (40, 400))  # fmt: skip
        school["name"] = f"{self.words.place()} {rng.choice(KIND_NAMES[kind_key])}"
        school["_number_base"] = 4000 if kind_key == "secondary" else 2000
        opened_on = dt.date(rng.randrange(1950, 2000), 9, 1)
        closed_on = date_between(rng, dt.date(2012, 7, 31), dt.date(2025, 8, 31))
        return self._closed(school, opened_on, closed_on, "Closure")

    def _amalgamate(self, school: dict):
        """An infant and a junior school closed to make one primary school."""
        for suffix, ages in (("Infant School", (4, 7)), ("Junior School", (7, 11))):
            old = self._row(school["_la"], "community", "primary", "Primary", ages, "", (80, 300))
            old["name"] = f"{school['_base']} {suffix}"
            opened_on = dt.date(self.rng.randrange(1950, 2000), 9, 1)
            closed_on = school["opened_on"] - dt.timedelta(days=1)
            school["_amalgamated"].append(
                self._closed(old, opened_on, closed_on, "Result of Amalgamation")
            )
            self.closed.append(old)

    def _assign_urns(self):
        """URNs rise with the opening date: 100000+ for older schools, 135000+ for those
        opened since 2010; establishment numbers run per LA and phase range."""
        rng = self.rng
        old = sorted((s for s in self.schools if s["opened_on"] < NEW_URNS_FROM),
                     key=lambda s: s["opened_on"])  # fmt: skip
        new = sorted((s for s in self.schools if s["opened_on"] >= NEW_URNS_FROM),
                     key=lambda s: s["opened_on"])  # fmt: skip
        for first, group in ((100000, old), (135000, new)):
            urn = first
            for school in group:
                urn += 1 + (rng.random() < 0.25)
                school["urn"] = f"{urn:06d}"
        numbers: dict[tuple[str, int], int] = {}
        for school in old + new:
            key = (school["la_code"], school["_number_base"])
            number = numbers.get(key, key[1]) + 1 + (rng.random() < 0.3)
            if number >= key[1] + 1000:  # this range is full: use the 6000s
                key = (school["la_code"], 6000)
                number = numbers.get(key, 6000) + 1
            numbers[key] = number
            school["laestab"] = f"{school['la_code']}{number:04d}"

    def _link(self, old: dict, new: dict, kind: str, link_type: str, inverse_type: str):
        """GIAS lists a link from both ends: new's predecessor is old, old's successor new."""
        inverse_kind = SchoolLink.Kind.SUCCESSOR if kind == SchoolLink.Kind.PREDECESSOR else kind
        for this, other, this_kind, this_type in (
            (new, old, kind, link_type),
            (old, new, inverse_kind, inverse_type),
        ):
            self.links.append(
                {
                    "urn": this["urn"],
                    "linked_urn": other["urn"],
                    "linked_name": other["name"],
                    "kind": this_kind,
                    "link_type": this_type,
                    "established_on": new["opened_on"],
                }
            )


def place_schools(schools: list[dict]) -> None:
    """Give every school an invented GIAS Easting and Northing near its local
    authority's centre. Seeded by LA, postcode and street (not the plan's
    random stream, so the rest of the plan is unchanged), which also puts a
    predecessor on the same spot as its successor."""
    import random

    centres = {}
    for school in schools:
        la_code, region_code = school["la_code"], school["region_code"]
        if la_code not in centres:
            east, north, spread = REGION_CENTRES[region_code]
            la_rng = random.Random(f"la:{la_code}")
            centres[la_code] = (
                east + la_rng.gauss(0, spread),
                north + la_rng.gauss(0, spread),
                spread / 5,
            )
        east, north, spread = centres[la_code]
        spot = random.Random(f"school:{la_code}:{school['postcode']}:{school['street']}")
        school["easting"] = max(90000, min(655000, int(east + spot.gauss(0, spread))))
        school["northing"] = max(10000, min(657000, int(north + spot.gauss(0, spread))))
