"""Set-based writes: compare a file's rows with what the register holds, then
write only the rows that differ in one statement.

On PostgreSQL the changed rows are COPYed into a temporary staging table and
merged with one INSERT ... ON CONFLICT DO UPDATE; elsewhere (SQLite) through
`bulk_create(update_conflicts=True)`. Never one save() per row."""

import uuid
from collections.abc import Hashable
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection

READ_CHUNK = 2000
WHOLE_TABLE_OVER = 5000
BULK_LOAD_ROWS = 10_000


@dataclass
class UpsertOutcome:
    fields: list[str]
    created: dict = field(default_factory=dict)  # key -> merged values
    updated: dict = field(default_factory=dict)  # key -> merged values
    previous: dict = field(default_factory=dict)  # key -> values before the update
    unchanged: int = 0

    def value(self, values: tuple, name: str):
        return values[self.fields.index(name)]


def writable_fields(model, key: tuple[str, ...]) -> list[str]:
    """Every column an import may write: not the key, the primary key, nor a
    column the database computes (a GeneratedField)."""
    return [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in key and not f.generated
    ]


def existing_rows(model, key: tuple[str, ...], fields: list[str], keys) -> dict[Hashable, tuple]:
    """key -> values (in `fields` order) for the given keys that exist."""
    found = {}
    wanted = list({k[0] if len(key) > 1 else k for k in keys})
    width = len(key)
    if len(wanted) > WHOLE_TABLE_OVER:
        # Most of a register-sized file: one pass over the table beats many IN lists.
        keys = set(keys)
        for row in model.objects.values_list(*key, *fields).iterator(chunk_size=10_000):
            row_key = row[:width] if width > 1 else row[0]
            if row_key in keys:
                found[row_key] = row[width:]
        return found
    for start in range(0, len(wanted), READ_CHUNK):
        chunk = wanted[start : start + READ_CHUNK]
        for row in model.objects.filter(**{f"{key[0]}__in": chunk}).values_list(*key, *fields):
            found[row[:width] if width > 1 else row[0]] = row[width:]
    return found


def upsert(model, *, key: tuple[str, ...], rows: dict, create: bool = True) -> UpsertOutcome:
    """Merge `rows` (key -> {field: value}, only the fields the file provides) into
    the model's table. Fields a row does not provide keep their current value (or
    the model default for a new row)."""
    fields = writable_fields(model, key)
    outcome = UpsertOutcome(fields=fields)
    existing = existing_rows(model, key, fields, rows.keys())
    defaults = {name: model._meta.get_field(name).get_default() for name in fields}
    in_order = itemgetter(*fields)
    for row_key, provided in rows.items():
        current = existing.get(row_key)
        if current is None and not create:
            continue
        if current is None:
            merged = in_order({**defaults, **provided})
        else:
            merged = in_order({**dict(zip(fields, current, strict=True)), **provided})
        if current is None:
            outcome.created[row_key] = merged
        elif merged != current:
            outcome.updated[row_key] = merged
            outcome.previous[row_key] = current
        else:
            outcome.unchanged += 1
    changed = [*outcome.created.items(), *outcome.updated.items()]
    if changed:
        write_rows(model, key=key, fields=fields, rows=changed)
    return outcome


def write_rows(model, *, key: tuple[str, ...], fields: list[str], rows: list) -> None:
    if connection.vendor == "postgresql":
        _copy_merge(model, key, fields, rows)
        return
    objects = []
    for row_key, values in rows:
        key_values = row_key if len(key) > 1 else (row_key,)
        objects.append(
            model(
                **dict(zip(key, key_values, strict=True)), **dict(zip(fields, values, strict=True))
            )
        )
    model.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=list(key),
        update_fields=fields,
    )


def _copy_merge(model, key, fields, rows) -> None:
    """COPY into a temporary staging table, then one INSERT ... ON CONFLICT."""
    meta = model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [meta.get_field(name).column for name in (*key, *fields)]
    column_list = ", ".join(quote(c) for c in columns)
    conflict = ", ".join(quote(meta.get_field(name).column) for name in key)
    updates = ", ".join(
        f"{quote(meta.get_field(n).column)} = EXCLUDED.{quote(meta.get_field(n).column)}"
        for n in fields
    )
    stage = quote(f"import_stage_{uuid.uuid4().hex[:12]}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {stage} AS SELECT {column_list} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY {stage} ({column_list}) FROM STDIN") as copy:
            single = len(key) == 1
            for row_key, values in rows:
                copy.write_row(((row_key,) if single else row_key) + values)
        with bulk_load(cursor, meta.db_table, len(rows)):
            cursor.execute(
                f"INSERT INTO {table} ({column_list}) SELECT {column_list} FROM {stage} "
                f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
            )
        cursor.execute(f"DROP TABLE {stage}")


@contextmanager
def bulk_load(cursor, table: str, count: int):
    """For a load that writes most of a large table, PostgreSQL's own advice
    ("Populating a Database"): drop the plain secondary indexes and the foreign keys,
    load, then rebuild the indexes (a GIN trigram index especially is far cheaper to
    build than to grow row by row) and re-add the foreign keys (one validating join
    instead of a trigger call per row). Unique and constraint indexes stay, so
    ON CONFLICT works. All inside the import transaction: a failure rolls the drop
    back too, and a row that breaks a foreign key fails the import as before."""
    indexes, foreign_keys = _loosen(cursor, table, count)
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    quoted = connection.ops.quote_name(table)
    for name, definition in foreign_keys:
        cursor.execute(
            f"ALTER TABLE {quoted} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
        )
    if indexes or foreign_keys:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Planner statistics for the rows just loaded: until autovacuum gets to the
        # table, a first load leaves the planner guessing (a query over it can pick a
        # plan a thousand times slower).
        cursor.execute(f"ANALYZE {quoted}")


def _loosen(cursor, table: str, count: int) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Drop what `bulk_load` rebuilds; returns the (name, CREATE INDEX statement) of
    each index and the (name, definition) of each foreign key."""
    if count < BULK_LOAD_ROWS:
        return [], []
    quoted = connection.ops.quote_name(table)
    cursor.execute(f"SELECT count(*) FROM {quoted}")
    if count * 2 < cursor.fetchone()[0]:
        return [], []
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
        [table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [table],
    )
    foreign_keys = cursor.fetchall()
    # The foreign-key checks of earlier writes must run now, not at commit, or
    # PostgreSQL refuses to alter a table with pending trigger events (Django's
    # check_constraints() uses the same IMMEDIATE / DEFERRED pair).
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL synchronous_commit TO OFF")
    if indexes:
        cursor.execute("DROP INDEX " + ", ".join(name for name, _definition in indexes))
    for name, _definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {quoted} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    return indexes, foreign_keys
