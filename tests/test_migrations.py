"""Migrations: the migration files match the models, each app's chain is
linear, every migration is recorded in the test database (which our
``migrate`` installed from the models, as it installs any empty database),
and installing from the models builds the same schema as replaying every
migration (on each engine CI runs: marked ``engine``)."""

import io
import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.engine


def test_makemigrations_finds_nothing_to_do():
    out = io.StringIO()
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=out, stderr=out, verbosity=1)
    except SystemExit as exc:  # --check exits 1 when a model change has no migration
        pytest.fail(f"models changed without a migration (exit {exc.code}):\n{out.getvalue()}")


def test_each_app_has_one_linear_chain():
    assert MigrationLoader(connection, ignore_no_migrations=True).detect_conflicts() == {}


def test_every_migration_applied_to_the_test_database():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    applied = set(executor.recorder.applied_migrations())
    assert set(executor.loader.disk_migrations) <= applied
    call_command("migrate", check_unapplied=True, verbosity=0)


def test_our_migrations_carry_no_data_operations():
    """An empty database is installed from the models, skipping the migration
    files' operations: a data step there would be lost. Reference data belongs
    in setup_site and the reference files; a step for existing rows only may
    stay if it is marked ``elidable``."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    ours = [m for (label, _), m in loader.disk_migrations.items() if m.__module__.startswith("apps.")]
    assert len(ours) > 30
    data_steps = [
        f"{m.app_label}.{m.name}: {type(op).__name__}"
        for m in ours
        for op in m.operations
        if isinstance(op, RunPython | RunSQL) and not op.elidable
    ]
    assert data_steps == []


def describe_schema():
    """Every table's columns and constraints, without the names the engine or
    Django chose for them (those differ between the two ways of building)."""
    introspection = connection.introspection
    schema = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            columns = sorted(
                [col.name, str(col.type_code), col.internal_size, col.precision, col.scale, col.null_ok, col.default]
                for col in introspection.get_table_description(cursor, table)
            )
            constraints = sorted(
                json.dumps({k: v for k, v in c.items() if k not in ("name", "definition")}, sort_keys=True, default=str)
                for c in introspection.get_constraints(cursor, table).values()
            )
            schema[table] = {"columns": columns, "constraints": constraints}
    return schema


def _scratch_database(tmp):
    """A new empty database on the engine under test, and the URL to reach it."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp}/db.sqlite3", lambda: None
    name = f"bkb_schema_{uuid.uuid4().hex[:10]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")

    def drop():
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE {name}")

    db = connection.settings_dict
    scheme = {"postgresql": "postgres", "mysql": "mysql"}[connection.vendor]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"{scheme}://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{name}", drop


def test_installing_from_the_models_builds_what_replaying_the_migrations_builds():
    script = (
        "import json, os; from django.core.management import call_command; "
        "call_command('migrate', verbosity=0, replay=os.environ['SCHEMA_WAY'] == 'replay'); "
        "from tests.test_migrations import describe_schema; print(json.dumps(describe_schema()))"
    )
    runs, drops = {}, []
    try:
        for way in ("replay", "install"):
            tmp = tempfile.mkdtemp(prefix=f"bakesbangpol-schema-{way}-")
            url, drop = _scratch_database(tmp)
            drops.append(drop)
            env = {**os.environ, "DATABASE_URL": url, "SITE_DIR": tmp, "DJANGO_SETTINGS_MODULE": "config.settings"}
            env["SCHEMA_WAY"] = way
            env.pop("PYTEST_XDIST_WORKER", None)
            command = [sys.executable, "manage.py", "shell", "--no-imports", "-c", script]
            runs[way] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        schemas = {}
        for way, process in runs.items():
            out, err = process.communicate(timeout=600)
            assert process.returncode == 0, err.decode()[-3000:]
            schemas[way] = json.loads(out)
    finally:
        for drop in drops:
            drop()
    replayed, installed = schemas["replay"], schemas["install"]
    assert len(installed) > 100
    assert sorted(installed) == sorted(replayed)
    differing = {
        t: {"installed": installed[t], "replayed": replayed[t]} for t in installed if installed[t] != replayed[t]
    }
    assert differing == {}
