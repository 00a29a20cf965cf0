"""Write the part of a plan that the database does not hold yet, by natural keys."""

from django.core.management.base import CommandError
from django.db import connection, transaction

from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust


@transaction.atomic
def write_plan(plan) -> dict[str, int]:
    """Insert missing regions, LAs, trusts, schools, links and inspections; return how
    many of each were added. Refuses (writing nothing) if the register holds other
    schools under the plan's URNs."""
    added = {"regions": 0}
    region_ids = {}
    for row in plan.regions:
        region, created = Region.objects.get_or_create(code=row["code"], defaults=row)
        region_ids[row["code"]] = region.pk
        added["regions"] += created

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
    field default) in one statement per table: COPY on PostgreSQL, executemany
    elsewhere (bulk_create would send SQLite about 20 rows per INSERT). Values are
    plain Python (str, int, date, Decimal, bool, None) that the drivers adapt."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    defaults = [(f.attname, f.get_default()) for f in fields]
    values = [[row.get(name, default) for name, default in defaults] for row in rows]
    if not values:
        return 0
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)
    return len(values)
