"""Search indexes for the register, on PostgreSQL only.

Django's `icontains` on PostgreSQL compiles to `UPPER(name::text) LIKE UPPER('%...%')`,
so the trigram GIN indexes are on that expression. Postcode outward-code search
(`startswith`) needs a pattern-ops B-tree whatever the database collation.
SQLite has no pg_trgm; there the migration does nothing."""

from django.db import migrations

INDEXES = {
    "school_name_upper_trgm": (
        "CREATE INDEX IF NOT EXISTS school_name_upper_trgm ON schools_school "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    ),
    "school_postcode_pattern": (
        "CREATE INDEX IF NOT EXISTS school_postcode_pattern ON schools_school "
        "(postcode varchar_pattern_ops)"
    ),
    "trust_name_upper_trgm": (
        "CREATE INDEX IF NOT EXISTS trust_name_upper_trgm ON schools_trust "
        "USING gin ((UPPER(name::text)) gin_trgm_ops)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("schools", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
