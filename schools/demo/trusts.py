"""Trusts for the synthetic register: single-academy trusts, multi-academy trusts of
very different sizes (mostly in their own region, church trusts for church schools)
and a few closed trusts. Sets each academy's trust and joined date."""

import bisect
import datetime as dt
import itertools

from schools.demo.histories import AS_OF, date_between
from schools.demo.register import ACADEMY_TYPES, CONVERTED, FAITH_NAME, FREE, SchoolBuilder
from schools.demo.words import MAT_SUFFIXES, Words
from schools.models import School, Trust


def plan_trusts(rng, words: Words, builder: SchoolBuilder, n_trusts: int) -> list[dict]:
    academies = [
        s
        for s in builder.open
        if s["status"] != School.Status.CLOSED and s["_type"] in ACADEMY_TYPES
    ]
    n_closed = max(1, round(n_trusts * 0.02))
    n_sat = min(round(n_trusts * 0.4), len(academies) // 10)
    sats = rng.sample([s for s in academies if s["_type"] in CONVERTED | FREE], n_sat)
    trusts = []
    for school in sats:
        name = school["name"]
        name = f"{name} Trust" if name.endswith("Academy") else f"{name} Academy Trust"
        trusts.append(_trust(rng, words, school["_la"], Trust.Kind.SINGLE_ACADEMY, name))
        _join(rng, school, trusts[-1])
    mats = [_mat(rng, words, builder) for _ in range(n_trusts - n_closed - n_sat)]
    _place_in_mats(rng, builder, mats, [s for s in academies if not s["trust_joined_on"]])
    trusts += mats
    for _ in range(n_closed):
        name = f"{words.place()} {rng.choice(MAT_SUFFIXES)}"
        closed = _trust(rng, words, builder.pick_la(), Trust.Kind.MULTI_ACADEMY, name)
        closed["opened_on"] = date_between(rng, dt.date(2011, 1, 1), dt.date(2016, 12, 31))
        closed["closed_on"] = date_between(rng, dt.date(2017, 1, 1), dt.date(2024, 8, 31))
        closed["status"] = Trust.Status.CLOSED
        trusts.append(closed)
    for trust in trusts:
        if trust["opened_on"] is None:  # incorporated a little before its first school
            first = trust["_first"] or date_between(rng, dt.date(2011, 1, 1), dt.date(2022, 1, 1))
            trust["opened_on"] = first - dt.timedelta(days=rng.randrange(30, 400))
    # Group UIDs and IDs rise with the incorporation date.
    trusts.sort(key=lambda t: (t["opened_on"], t["name"]))
    uid = 2000
    companies = set()
    for i, trust in enumerate(trusts, start=1):
        uid += 1 + rng.randrange(4)
        trust["uid"] = str(uid)
        trust["group_id"] = f"TR{i:05d}"
        trust["ukprn"] = f"{10000000 + uid * 3:08d}"
        number = rng.randrange(7_000_000, 14_000_000)
        while number in companies:
            number += 1
        companies.add(number)
        trust["companies_house_number"] = f"{number:08d}"
        for school in trust["_members"]:
            school["trust_uid"] = trust["uid"]
    return [{k: v for k, v in trust.items() if not k.startswith("_")} for trust in trusts]


def _mat(rng, words: Words, builder: SchoolBuilder) -> dict:
    la = builder.pick_la()
    faith = rng.choices(("", "Church of England", "Roman Catholic"), (88, 7, 5))[0]
    if faith:
        diocese = builder.dioceses[la["region_code"]][faith][0].rsplit(" ", 1)[-1]
        kind = "Diocesan Academies Trust" if faith == "Church of England" else "Catholic Trust"
        name = f"{diocese} {kind}"
    else:
        name = f"{words.place()} {rng.choice(MAT_SUFFIXES)}"
    mat = _trust(rng, words, la, Trust.Kind.MULTI_ACADEMY, name)
    mat["_faith"] = faith
    mat["_weight"] = min(rng.paretovariate(1.2), 20.0)  # a few large trusts, many small
    return mat


def _place_in_mats(rng, builder: SchoolBuilder, mats: list[dict], schools: list[dict]):
    """Each trust first gets one school from its region, then the rest go by weight:
    mostly to a trust in the school's region, church schools to a church trust."""
    groups: dict[tuple[str, str], list[dict]] = {}
    for mat in mats:
        groups.setdefault((mat["_region"], ""), []).append(mat)
        if mat["_faith"]:
            groups.setdefault((mat["_region"], mat["_faith"]), []).append(mat)
    groups[("*", "")] = mats
    weights = {
        key: list(itertools.accumulate(m["_weight"] for m in group))
        for key, group in groups.items()
    }
    rng.shuffle(schools)
    by_region: dict[str, list[dict]] = {code: [] for code in builder.region_codes}
    for school in schools:
        by_region[school["region_code"]].append(school)
    for mat in mats:
        if by_region[mat["_region"]]:
            _join(rng, by_region[mat["_region"]].pop(), mat)
    for code in builder.region_codes:
        for school in by_region[code]:
            faith = school["religious_character"]
            key = (code, faith if faith in FAITH_NAME else "")
            if key not in groups:
                key = (code, "")
            if key not in groups or rng.random() < 0.08:
                key = ("*", "")
            cumulative = weights[key]
            pick = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
            _join(rng, school, groups[key][min(pick, len(cumulative) - 1)])


def _trust(rng, words: Words, la: dict, kind: str, name: str) -> dict:
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
        "street": words.street(),
        "town": rng.choice(la["towns"]),
        "county": la["county"],
        "postcode": words.postcode(*la["postcode"]),
        "head_of_group": words.person(),
        "_region": la["region_code"],
        "_members": [],
        "_first": None,
    }


def _join(rng, school: dict, trust: dict):
    joined = school["opened_on"]
    if rng.random() < 0.12:  # moved to this trust some years after opening
        later = joined + dt.timedelta(days=rng.randrange(700, 2500))
        if later < AS_OF - dt.timedelta(days=30):
            joined = dt.date(later.year, later.month, 1)
    school["trust_joined_on"] = joined
    trust["_members"].append(school)
    if trust["_first"] is None or school["opened_on"] < trust["_first"]:
        trust["_first"] = school["opened_on"]
