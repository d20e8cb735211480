"""``migrate`` that installs an empty database in one pass, as Frappe installs
a new site: it creates every table from the models as the migration files
leave them (their final state, rendered once) and records every migration as
applied, instead of replaying the history one operation at a time (Django
re-renders the project's model state after each; with this project's 80-odd
migrations that took about half a minute on SQLite, most of ``make run``'s
first start, and again for each test database).

Only a database with no table at all takes that path, with a whole
``migrate`` (no app, no target, no ``--fake``, ``--plan``, ``--check`` or
``--prune``); any other database, or ``--replay``, migrates as Django does.
The two paths build the same schema: tests/test_migrations.py compares them
on each engine. Data migrations have nothing to do on an empty database (the
ones in the installed packages transform existing rows; ours carry none, a
test keeps it so: reference data comes from ``setup_site`` and the reference
files)."""

import time

from django.apps import apps as global_apps
from django.core.management.commands import migrate
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections, router
from django.db.migrations.executor import MigrationExecutor


class Command(migrate.Command):
    help = migrate.Command.help + " An empty database is installed from the models (see --replay)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--replay",
            action="store_true",
            help="Replay every migration even on an empty database, instead of installing it from the models.",
        )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if not options["replay"] and self._installable(connection, options):
            return self._install(connection, options)
        return super().handle(*args, **options)

    @staticmethod
    def _installable(connection, options):
        if options["app_label"] or options["migration_name"]:
            return False
        if options["fake"] or options["plan"] or options["check_unapplied"] or options["prune"]:
            return False
        connection.prepare_database()
        return not connection.introspection.table_names()

    def _install(self, connection, options):
        self.verbosity = options["verbosity"]
        self.interactive = options["interactive"]
        started = time.monotonic()
        executor = MigrationExecutor(connection)
        executor.loader.check_consistent_history(connection)
        if executor.loader.detect_conflicts():  # Django's own path reports them
            return super().handle(**{**options, "replay": True})
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        emit_pre_migrate_signal(
            self.verbosity, self.interactive, connection.alias, stdout=self.stdout, apps=global_apps, plan=plan
        )
        # the models as the migration files leave them (Django's own migrate
        # builds tables from the same state; a model class can differ in
        # details, e.g. the key of an auto-created many-to-many table)
        state_apps = executor.loader.project_state().apps
        models = [model for model in state_apps.get_models() if model._meta.app_label in executor.loader.migrated_apps]
        if options["run_syncdb"]:  # apps without migrations, from their classes as Django's syncdb does
            models += [
                model
                for config in global_apps.get_app_configs()
                if config.label in executor.loader.unmigrated_apps and config.models_module is not None
                for model in config.get_models()
            ]
        models = [
            model
            for model in models
            if model._meta.can_migrate(connection) and router.allow_migrate_model(connection.alias, model)
        ]
        # one schema editor: all or nothing where the engine can roll DDL back (SQLite, PostgreSQL)
        with connection.schema_editor() as editor:
            editor.create_model(executor.recorder.Migration)
            for model in models:
                editor.create_model(model)  # with its many-to-many tables
            for migration, _backwards in plan:
                executor.record_migration(migration)
        emit_post_migrate_signal(
            self.verbosity, self.interactive, connection.alias, stdout=self.stdout, apps=global_apps, plan=plan
        )
        if self.verbosity >= 1:
            self.stdout.write(
                f"Installed {len(models)} tables from the models and recorded {len(plan)} migrations "
                f"as applied ({time.monotonic() - started:.1f} s)."
            )
