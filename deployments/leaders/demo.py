"""Demo system leaders for `seed_demo`: invented people, each with a login,
across the regions, so a demo case has real candidates (about 40 at the small
scale, 2,000 at England scale). Deterministic for a given register; written
with bulk inserts (one password hash for all, since they share the demo
password); a second run adds nothing."""

import random
from collections import Counter, defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction

from deployments.choices import FocusArea
from deployments.leaders.models import SystemLeader
from deployments.matching.ranking import school_phase_key
from portal.models import Role, User
from schools.demo.words import Words
from schools.models import Region, School, Trust

LEADER_COUNTS = {"small": 40, "england": 2000}
MAT_CEO_SHARE = 0.6  # the guidance: normally a MAT CEO, an NLE where none is available
SEED = 20231101
DEMO_LEADER_EMAIL = "system.leader@example.org"  # web.demo's system-leader login


def leader_email(n: int) -> str:
    return f"leader.{n:04d}@example.org"


@transaction.atomic
def seed_system_leaders(*, scale: str, password: str) -> dict[str, int]:
    """Add the demo system leaders the database lacks; return how many exist."""
    count = LEADER_COUNTS[scale]
    rng = random.Random(SEED)
    words = Words(rng)
    regions = list(Region.objects.order_by("code"))
    if not regions or not School.objects.exists():
        return {"system leaders": SystemLeader.objects.count()}
    open_schools = list(
        School.objects.filter(status__in=School.OPEN_STATUSES, region__isnull=False)
        .order_by("urn")
        .values("pk", "region_id", "phase", "type_name", "type_group", "trust_id")
    )
    by_trust = defaultdict(list)
    for school in open_schools:
        if school["trust_id"]:
            by_trust[school["trust_id"]].append(school)
    mats = [
        trust_id
        for trust_id in Trust.objects.filter(kind=Trust.Kind.MULTI_ACADEMY, status="open")
        .order_by("uid")
        .values_list("pk", flat=True)
        if len(by_trust.get(trust_id, ())) >= 2
    ]
    rng.shuffle(mats)
    mat_ids = set(mats)
    nle_pool = [s for s in open_schools if s["trust_id"] not in mat_ids]
    rng.shuffle(nle_pool)

    plans = []
    wanted_mats = min(len(mats), round(count * MAT_CEO_SHARE))
    for n in range(count):
        if n < wanted_mats:
            trust_id = mats[n]
            schools = by_trust[trust_id]
            home = Counter(s["region_id"] for s in schools).most_common(1)[0][0]
            phases = {school_phase_key(_Row(s)) for s in schools} - {None}
            plans.append({"kind": "mat_ceo", "trust_id": trust_id, "school_id": None,
                          "home": home, "phases": phases})  # fmt: skip
        else:
            school = nle_pool[(n - wanted_mats) % len(nle_pool)]
            phase = school_phase_key(_Row(school))
            plans.append({"kind": "nle", "trust_id": None, "school_id": school["pk"],
                          "home": school["region_id"], "phases": {phase} - {None}})  # fmt: skip

    emails = [DEMO_LEADER_EMAIL] + [leader_email(n) for n in range(1, count)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    registered = set(
        SystemLeader.objects.filter(user__email__in=emails).values_list("user__email", flat=True)
    )
    hashed = make_password(password)
    new_users = []
    for email in emails:
        name = words.person()
        if email not in have:
            new_users.append(
                User(email=email, full_name=name, role=Role.SYSTEM_LEADER, password=hashed)
            )
    User.objects.bulk_create(new_users)
    users = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))

    region_ids = [r.pk for r in regions]
    north_west = next((r.pk for r in regions if r.name == "North West"), None)
    focus_keys = [k for k in FocusArea.values if k != FocusArea.OTHER]
    leaders, region_rows, conflict_rows = [], [], []
    for n, (email, plan) in enumerate(zip(emails, plans, strict=True)):
        extra_regions = rng.sample(region_ids, rng.choice((0, 0, 1, 1, 2)))
        focus = rng.sample(focus_keys, rng.randrange(3, 7))
        capacity = rng.choice((1, 2, 2, 3))
        days = rng.choice((10, 20, 20, 30, 40))
        available = rng.random() < 0.85
        wider = plan["kind"] == "nle" and rng.random() < 0.3
        conflict = rng.choice(open_schools)["pk"] if rng.random() < 0.1 else None
        if email in registered:
            continue
        leaders.append(
            SystemLeader(
                user_id=users[email],
                kind=plan["kind"],
                trust_id=plan["trust_id"],
                school_id=plan["school_id"],
                phases=sorted(plan["phases"]),
                focus_areas=[k for k in FocusArea.values if k in focus],
                max_concurrent_deployments=capacity,
                days_available=days,
                available=available or n == 0,
                wider_team_agreed=wider,
            )
        )
        ids = {plan["home"], *extra_regions}
        if n == 0 and north_west is not None:
            ids.add(north_west)  # the demo login works beside the demo Regions Group staff
        region_rows.append(ids)
        conflict_rows.append(conflict)
    SystemLeader.objects.bulk_create(leaders)
    through = SystemLeader.regions.through
    through.objects.bulk_create(
        through(systemleader_id=leader.pk, region_id=region_id)
        for leader, ids in zip(leaders, region_rows, strict=True)
        for region_id in sorted(ids)
    )
    conflicts = SystemLeader.conflict_schools.through
    conflicts.objects.bulk_create(
        conflicts(systemleader_id=leader.pk, school_id=school_id)
        for leader, school_id in zip(leaders, conflict_rows, strict=True)
        if school_id
    )
    return {
        "system leaders": SystemLeader.objects.count(),
        "system leaders added": len(leaders),
    }


class _Row:
    """A values() row seen as a School for `school_phase_key`."""

    def __init__(self, row: dict):
        self.phase = row["phase"]
        self.type_name = row["type_name"]
        self.type_group = row["type_group"]
