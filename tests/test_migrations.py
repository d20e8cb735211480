"""Migrations: the migration files match the models, each app's chain is
linear, and every migration applied to the test database, which pytest-django
built by migrating from scratch (on each engine CI runs: marked ``engine``)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

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
