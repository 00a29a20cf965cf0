"""Benchmark: importing a 50,000-row GIAS establishments file on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tsi_bench \
        .venv/bin/python bench/import_gias.py [--rows 50000] [--repeat 3]

Creates the database if it is missing and migrates it. Generates a file in the real
format (all 135 columns of the current layout, Windows-1252, CRLF, quoted text),
empties the schools table (TRUNCATE ... CASCADE: give it a database of its own,
or a copy of a seeded one as `make bench` does), then times
`schools.services.import_file` (file read, every row checked in Python, one
INSERT ... ON CONFLICT from a COPYed staging table):
  1. with every row new (a first load; half the LAs are added by the import),
     --repeat times, each after a CHECKPOINT; the figure is the median (single
     runs vary by a third on a shared VM);
  2. the same file again (every row unchanged), for information.
Target: at least 10,000 rows/s for the first load."""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "web.settings.base")

TARGET_ROWS_PER_SECOND = 10_000
TYPES = (
    (1, "Community school", 4, "Local authority maintained schools"),
    (28, "Academy converter", 10, "Academies"),
    (34, "Academy sponsor led", 10, "Academies"),
    (35, "Free schools", 11, "Free Schools"),
    (3, "Voluntary aided school", 4, "Local authority maintained schools"),
)
STATUSES = (
    (1, "Open"),
    (1, "Open"),
    (1, "Open"),
    (2, "Closed"),
    (3, "Open, but proposed to close"),
)
PHASES = ((2, "Primary", 4, 11), (4, "Secondary", 11, 16), (4, "Secondary", 11, 18))
PARTS = ("Ash", "Birch", "Brook", "Castle", "Elm", "Fern", "Holly", "Kings", "Lark", "Oak")
ENDS = ("ford", "ley", "ton", "bury", "field", "ham", "wick", "by")


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(path: Path, rows: int, trusts: list[str], las: list[tuple]) -> None:
    from schools.importers.csvout import TYPICAL_ESTABLISHMENT, write_published
    from schools.importers.formats import REGIONS
    from schools.published_headers import GIAS_ESTABLISHMENT_COLUMNS

    rng = random.Random(2025)
    columns = GIAS_ESTABLISHMENT_COLUMNS
    letters = {name: letter for _code, letter, name in REGIONS}

    def row(i: int) -> list:
        la_code, la_name, region = las[i % len(las)]
        type_code, type_name, group_code, group_name = rng.choice(TYPES)
        status_code, status = rng.choice(STATUSES)
        phase_code, phase, low, high = rng.choice(PHASES)
        place = rng.choice(PARTS) + rng.choice(ENDS)
        trust = rng.choice(trusts) if type_code in (28, 34, 35) else ""
        pupils = rng.randint(40, 1800)
        values = {
            **TYPICAL_ESTABLISHMENT,
            "URN": 100000 + i,
            "LA (code)": la_code,
            "LA (name)": la_name,
            "EstablishmentNumber": 2000 + i % 8000,
            "EstablishmentName": f"{place} {phase} School {i}",
            "TypeOfEstablishment (code)": type_code,
            "TypeOfEstablishment (name)": type_name,
            "EstablishmentTypeGroup (code)": group_code,
            "EstablishmentTypeGroup (name)": group_name,
            "EstablishmentStatus (code)": status_code,
            "EstablishmentStatus (name)": status,
            "OpenDate": f"{rng.randint(1, 28):02d}-09-{rng.randint(1950, 2020)}",
            "CloseDate": "31-08-2021" if status == "Closed" else "",
            "PhaseOfEducation (code)": phase_code,
            "PhaseOfEducation (name)": phase,
            "StatutoryLowAge": low,
            "StatutoryHighAge": high,
            "SchoolCapacity": pupils + 30,
            "NumberOfPupils": pupils,
            "NumberOfBoys": pupils // 2,
            "NumberOfGirls": pupils - pupils // 2,
            "PercentageFSM": f"{rng.uniform(2, 60):.1f}",
            "Trusts (code)": int(trust) if trust else "",
            "Trusts (name)": f"Trust {trust}" if trust else "",
            "UKPRN": 10000000 + i,
            "Street": f"{rng.randint(1, 200)} {place} Road",
            "Locality": "Brontë Green",
            "Town": place,
            "Postcode": f"ZZ{i % 99} {i % 9}AB",
            "SchoolWebsite": f"www.{place.lower()}{i}.example.sch.uk",
            "TelephoneNum": f"01{rng.randint(100000000, 999999999)}",
            "HeadTitle (name)": rng.choice(("Mr", "Mrs", "Ms", "Dr")),
            "HeadFirstName": rng.choice(("Ann", "Raj", "Jo", "Sam", "Lee")),
            "HeadLastName": rng.choice(("O’Hara", "Patel", "Marsh", "Smith", "Khan")),
            "HeadPreferredJobTitle": "Headteacher",
            "SEN1 (name)": "Not applicable",
            "TypeOfResourcedProvision (name)": "Not applicable",
            "GOR (code)": letters[region],
            "GOR (name)": region,
            "DistrictAdministrative (code)": f"E0{8000000 + i % 300}",
            "DistrictAdministrative (name)": f"{place} District",
            "AdministrativeWard (code)": f"E0{5000000 + i}",
            "AdministrativeWard (name)": f"{place} Ward",
            "ParliamentaryConstituency (code)": f"E1{4000000 + i % 500}",
            "ParliamentaryConstituency (name)": f"{place} and District",
            "UrbanRural (code)": "C1",
            "GSSLACode (name)": f"E0{6000000 + i % 150}",
            "Easting": rng.randint(100000, 650000),
            "Northing": rng.randint(10000, 650000),
            "MSOA (name)": f"{place} 00{i % 9}",
            "LSOA (name)": f"{place} 00{i % 9}A",
            "UPRN": 100000000 + i,
            "MSOA (code)": f"E0{2000000 + i % 7000}",
            "LSOA (code)": f"E0{1000000 + i}",
            "FSM": pupils // 5,
        }
        return [values.get(c, "") for c in columns]

    write_published(path, columns, (row(i) for i in range(rows)))


def fresh_register(las, regions) -> None:
    """A clean register: every row is new, and half the LAs must be added."""
    from django.db import connection

    from schools.models import LocalAuthority, OfstedInspection, School, SchoolLink

    with connection.cursor() as cursor:
        # CASCADE: on a copy of the seeded demo (make bench), the cases, deployments
        # and people that point at schools go too; a first load has none.
        # Its local authorities go as well: the bench reuses their codes.
        models = (OfstedInspection, SchoolLink, School, LocalAuthority)
        cursor.execute(f"TRUNCATE {', '.join(m._meta.db_table for m in models)} CASCADE")
    LocalAuthority.objects.bulk_create(
        [
            LocalAuthority(code=c, name=n, region=regions[i % 9])
            for i, (c, n, _r) in enumerate(las[: len(las) // 2])
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE schools_school")
        cursor.execute("CHECKPOINT")  # each timed step starts with no dirty pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each (medians)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/tsi_bench"
        )
        return 2
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from schools.importers import formats
    from schools.importers.formats import REGIONS
    from schools.models import Region, Trust
    from schools.published_headers import GIAS_ESTABLISHMENT_COLUMNS
    from schools.services import import_file

    call_command("migrate", verbosity=0)
    regions = [
        Region.objects.get_or_create(name=n, defaults={"code": c})[0] for c, _l, n in REGIONS
    ]
    las = [(f"{300 + i:03d}", f"Benchshire {i}", regions[i % 9].name) for i in range(150)]
    Trust.objects.bulk_create(
        [Trust(uid=str(20000 + i), name=f"Bench Trust {i}") for i in range(2500)],
        ignore_conflicts=True,
    )
    trusts = [str(20000 + i) for i in range(2500)]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "edubasealldata20250115.csv"
        started = time.perf_counter()
        generate(path, args.rows, trusts, las)
        size = path.stat().st_size
        print(
            f"generated {args.rows:,} rows x {len(GIAS_ESTABLISHMENT_COLUMNS)} columns, "
            f"{size / 1e6:.1f} MB in {time.perf_counter() - started:.1f}s"
        )

        imports = []
        for _run in range(args.repeat):
            fresh_register(las, regions)
            started = time.perf_counter()
            result = import_file(kind=formats.ESTABLISHMENTS, path_or_file=path)
            imports.append(time.perf_counter() - started)
            assert result.created == args.rows and result.rows_rejected == 0, result.summary()

        started = time.perf_counter()
        again = import_file(kind=formats.ESTABLISHMENTS, path_or_file=path)
        again_seconds = time.perf_counter() - started
        assert again.unchanged == args.rows, again.summary()

    for number, seconds in enumerate(imports, start=1):
        print(f"run {number}: import {seconds:5.2f}s")
    import_seconds = statistics.median(imports)
    rate = args.rows / import_seconds
    print(f"median of {args.repeat} runs, each after a CHECKPOINT:")
    print(
        f"import (all new):       {import_seconds:6.2f}s  {rate:9,.0f} rows/s  [{result.summary()}]"
    )
    print(
        f"re-import (unchanged):  {again_seconds:6.2f}s  {args.rows / again_seconds:9,.0f} rows/s"
    )
    ok = rate >= TARGET_ROWS_PER_SECOND
    from bench.results import report

    report("import_gias.py", f"first load of {args.rows:,} rows (median of {args.repeat})",
           f">= {TARGET_ROWS_PER_SECOND:,} rows/s", f"{rate:,.0f} rows/s", ok)  # fmt: skip
    report("import_gias.py", "same file again, unchanged", "-",
           f"{args.rows / again_seconds:,.0f} rows/s", None)  # fmt: skip
    print(f"target: >= {TARGET_ROWS_PER_SECOND:,} rows/s: " + ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
