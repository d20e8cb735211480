"""The reference data as it stood before the first transactional test of a
test process, kept in shadow tables of the test database.

A transactional test (``django_db(transaction=True)``, ``live_server``) ends
with Django's flush, which empties every table; the next test needs the
reference data again. Loading it through the services costs about 10,000
queries (8-15 s on MariaDB, 2-3 s on SQLite); copying the rows back from the
shadow tables costs a ``DELETE`` per table (the flush's ``post_migrate`` put
content types and permissions back under new keys) and an ``INSERT ... SELECT``
per table that had rows. Rows come back with their own primary keys,
so what a process keeps in memory (loaded workflows, content types, the
DocType runtime) still matches them.

Nothing of this reaches the site: it works on the test database only.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

SHADOW_PREFIX = "zz_reference_"

_state: dict = {}  # table -> (shadow table, its columns)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _own_tables(cursor) -> list[str]:
    return [t for t in connection.introspection.table_names(cursor) if not t.startswith(SHADOW_PREFIX)]


def taken() -> bool:
    return bool(_state)


def take() -> int:
    """Copy every non-empty table into its shadow table (committed). How many."""
    copies = {}
    with connection.cursor() as cursor:
        tables = []
        for table in connection.introspection.table_names(cursor):
            if table.startswith(SHADOW_PREFIX):  # an earlier copy that no longer fitted
                cursor.execute(f"DROP TABLE {_quote(table)}")
            else:
                tables.append(table)
        for table in tables:
            cursor.execute(f"SELECT * FROM {_quote(table)} WHERE 1 = 0")
            columns = [c[0] for c in cursor.description]
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone() is None:
                continue
            shadow = f"{SHADOW_PREFIX}{len(copies)}"
            cursor.execute(f"CREATE TABLE {_quote(shadow)} AS SELECT * FROM {_quote(table)}")
            copies[table] = (shadow, columns)
    _state.clear()
    _state.update(copies)
    return len(copies)


def restore() -> bool:
    """Put the shadow tables' rows back, in one transaction. False (and
    nothing changed) when a test changed the schema in a way the copy does
    not fit: the caller then loads the reference data the slow way."""
    if not _state:
        return False
    try:
        with transaction.atomic(), connection.constraint_checks_disabled(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in _own_tables(cursor):
                cursor.execute(f"DELETE FROM {_quote(table)}")  # flush's post_migrate rows (content types)
            for table, (shadow, columns) in _state.items():
                names = ", ".join(_quote(c) for c in columns)
                cursor.execute(f"INSERT INTO {_quote(table)} ({names}) SELECT {names} FROM {_quote(shadow)}")
    except DatabaseError:
        _state.clear()  # the next transactional test takes a copy that fits
        return False
    ContentType.objects.clear_cache()
    return True
