"""Tables of data-defined doctypes follow their definitions.

Only three kinds of statement are ever run: CREATE TABLE, ADD COLUMN (always
nullable, without a database default) and CREATE INDEX. So no change
rebuilds a table on SQLite, and nothing is ever dropped: a removed field
keeps its column and values, a renamed field keeps its column, and a field
whose type changes gets a new column filled with the converted values (the
old one stays). On PostgreSQL and SQLite this runs inside the saving
transaction; MariaDB commits DDL implicitly, so there it runs right after
the definition commits.
"""

from django.db import connection, transaction

from . import fieldtypes as ft


def _statements(build) -> list[str]:
    editor = connection.schema_editor(collect_sql=True, atomic=False)
    editor.deferred_sql = []
    build(editor)
    return [str(s) for s in (*editor.collected_sql, *editor.deferred_sql)]


def _run(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        # PostgreSQL refuses to ALTER a table with deferred foreign-key checks
        # pending in the transaction (rows written earlier in it): check them now
        deferred = connection.vendor == "postgresql" and connection.in_atomic_block
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql.rstrip(";"))
        if deferred:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _data_fields(model):
    return [f for f in model._meta.local_concrete_fields if getattr(f, "db_column", None) and not f.primary_key]


def sync_tables(models) -> list[str]:
    """Create what is missing for ``models`` (tables, columns, indexes); return the statements run."""
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    statements = []
    for model in models:
        table = model._meta.db_table
        fields = _data_fields(model)
        if table not in tables:
            with ft.as_ddl(fields):
                statements += _statements(lambda e, m=model: e.create_model(m))
            statements += _unique_indexes(model, fields)
            continue
        with connection.cursor() as cursor:
            present = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            constraints = connection.introspection.get_constraints(cursor, table)
        # an index is known by its columns, not its name: a definition made again (a restored
        # or re-created DocType) names its indexes anew, and MariaDB allows 64 keys per table
        indexed = {tuple(c["columns"]) for c in constraints.values() if c.get("index") or c.get("unique")}
        for field in model._meta.local_concrete_fields:
            if field.column in present:
                continue
            with ft.as_ddl([field]):
                statements += _statements(lambda e, m=model, f=field: e.add_field(m, f))
            statements += _unique_indexes(model, [field])
        for index in model._meta.indexes:
            columns = tuple(model._meta.get_field(name.lstrip("-")).column for name in index.fields)
            if index.name not in constraints and columns not in indexed:
                statements += _statements(lambda e, m=model, i=index: e.add_index(m, i))
    if statements:
        if connection.features.can_rollback_ddl or not connection.in_atomic_block:
            _run(statements)
        else:  # MariaDB: DDL would commit the definition's transaction half-way
            transaction.on_commit(lambda s=statements: _run(s))
    return statements


def _unique_indexes(model, fields) -> list[str]:
    qn = connection.ops.quote_name
    out = []
    for field in fields:
        if getattr(field, "_unique", False) and not model.__name__.startswith("Historical"):
            name = f"{model._meta.db_table}_{field.column}_uniq"[:60]
            out.append(f"CREATE UNIQUE INDEX {qn(name)} ON {qn(model._meta.db_table)} ({qn(field.column)})")
    return out


def copy_column(model, old_column: str, new_column: str, pairs: list[tuple]) -> None:
    """Fill a field's new column from its old one, value by converted value."""
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)

    def run():
        with connection.cursor() as cursor:
            for old, new in pairs:
                cursor.execute(
                    f"UPDATE {table} SET {qn(new_column)} = %s WHERE {qn(old_column)} = %s",  # noqa: S608 - quoted names
                    [new, old],
                )

    if connection.features.can_rollback_ddl or not connection.in_atomic_block:
        run()
    else:
        transaction.on_commit(run)


def distinct_values(model, column: str, limit: int = 100_000) -> list:
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT {qn(column)} FROM {qn(model._meta.db_table)} WHERE {qn(column)} IS NOT NULL",  # noqa: S608
        )
        return [row[0] for row in cursor.fetchmany(limit)]
