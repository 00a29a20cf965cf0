"""Synthetic England for demos and benchmarks: invented names, fixed seed.

Builds through the register's models with bulk operations. Idempotent: if the
register already holds demo data for this scale, nothing is written."""

import datetime as dt
import random

from schools.models import LocalAuthority, OfstedInspection, Region, School, Trust

REGIONS = (
    ("E12000001", "North East"),
    ("E12000002", "North West"),
    ("E12000003", "Yorkshire and the Humber"),
    ("E12000004", "East Midlands"),
    ("E12000005", "West Midlands"),
    ("E12000006", "East of England"),
    ("E12000007", "London"),
    ("E12000008", "South East"),
    ("E12000009", "South West"),
)

# local authorities, trusts, schools
SCALES = {
    "small": (18, 30, 300),
    "england": (153, 2500, 24000),
}

PLACE_PARTS = (
    "Ash",
    "Birch",
    "Brook",
    "Castle",
    "Dale",
    "Elm",
    "Fern",
    "Glen",
    "Hazel",
    "Holly",
    "Kings",
    "Lark",
    "Marsh",
    "Mill",
    "Oak",
    "Pine",
    "Queens",
    "Ridge",
    "Stone",
    "Thorn",
    "Vale",
    "Water",
    "Willow",
    "Wood",
)
PLACE_ENDS = ("ford", "ley", "ton", "bury", "field", "ham", "wick", "by", "stead", "combe")
PHASES = (
    ("Primary", 4, 11, 0.72),
    ("Secondary", 11, 18, 0.18),
    ("All-through", 4, 18, 0.02),
    ("Nursery", 2, 5, 0.03),
    ("16 plus", 16, 19, 0.05),
)


def place_name(rng: random.Random) -> str:
    return rng.choice(PLACE_PARTS) + rng.choice(PLACE_ENDS)


def seed_register(*, scale: str, rng: random.Random) -> dict[str, int]:
    n_las, n_trusts, n_schools = SCALES[scale]
    regions = [Region.objects.get_or_create(code=c, defaults={"name": n})[0] for c, n in REGIONS]
    if School.objects.exists():
        return _counts()

    las = [
        LocalAuthority(
            code=f"{800 + i if i < 99 else 200 + i:03d}",
            name=f"{place_name(rng)} Council {i + 1}",
            region=regions[i % len(regions)],
        )
        for i in range(n_las)
    ]
    LocalAuthority.objects.bulk_create(las)
    las = list(LocalAuthority.objects.order_by("code"))

    trusts = [
        Trust(
            uid=str(10000 + i),
            group_id=f"TR{i:05d}",
            name=f"{place_name(rng)} Learning Trust",
            companies_house_number=f"{7000000 + i:08d}",
            kind=Trust.Kind.MULTI_ACADEMY if i % 5 else Trust.Kind.SINGLE_ACADEMY,
            group_type="Multi-academy trust" if i % 5 else "Single-academy trust",
            opened_on=dt.date(2012, 9, 1) + dt.timedelta(days=rng.randrange(3000)),
            town=place_name(rng),
            postcode=f"ZZ{i % 99} {i % 9}AA",
            head_of_group=f"Chief Executive {i + 1}",
        )
        for i in range(n_trusts)
    ]
    Trust.objects.bulk_create(trusts)
    trusts = list(Trust.objects.order_by("uid"))

    schools = []
    for i in range(n_schools):
        la = las[i % len(las)]
        phase, low, high = _pick_phase(rng)
        academy = rng.random() < 0.45
        schools.append(
            School(
                urn=f"{100000 + i:06d}",
                laestab=f"{la.code}{2000 + i % 8000:04d}",
                name=f"{place_name(rng)} {phase} {'Academy' if academy else 'School'}",
                type_name="Academy converter" if academy else "Community school",
                type_group="Academies" if academy else "Local authority maintained schools",
                status=School.Status.OPEN if rng.random() > 0.03 else School.Status.CLOSED,
                phase=phase,
                statutory_low_age=low,
                statutory_high_age=high,
                number_of_pupils=rng.randrange(60, 1600),
                town=place_name(rng),
                postcode=f"ZZ{i % 99} {i % 9}{chr(65 + i % 26)}{chr(65 + (i // 26) % 26)}",
                headteacher=f"Headteacher {i + 1}",
                opened_on=dt.date(1990, 9, 1),
                local_authority=la,
                region_id=la.region_id,
                trust=trusts[rng.randrange(len(trusts))] if academy else None,
            )
        )
    School.objects.bulk_create(schools, batch_size=2000)

    inspections = []
    number = 10_000_000
    for school_id in School.objects.values_list("id", flat=True).order_by("id"):
        start = dt.date(2014, 9, 1) + dt.timedelta(days=rng.randrange(700))
        while start < dt.date(2024, 8, 31):
            grade = rng.choices((1, 2, 3, 4), weights=(15, 62, 18, 5))[0]
            number += 1
            inspections.append(
                OfstedInspection(
                    school_id=school_id,
                    inspection_number=str(number),
                    kind=OfstedInspection.Kind.GRADED,
                    inspection_type="S5 Inspection",
                    start_date=start,
                    end_date=start + dt.timedelta(days=1),
                    publication_date=start + dt.timedelta(days=30),
                    overall_effectiveness=grade,
                    source=OfstedInspection.Source.SEED,
                )
            )
            start += dt.timedelta(days=rng.randrange(700, 1500) if grade <= 2 else 900)
    OfstedInspection.objects.bulk_create(inspections, batch_size=5000)
    return _counts()


def _pick_phase(rng):
    roll = rng.random()
    for phase, low, high, weight in PHASES:
        roll -= weight
        if roll <= 0:
            return phase, low, high
    return PHASES[0][:3]


def _counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "local authorities": LocalAuthority.objects.count(),
        "trusts": Trust.objects.count(),
        "schools": School.objects.count(),
        "inspections": OfstedInspection.objects.count(),
    }
