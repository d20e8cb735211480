"""The copy of the reference data that transactional tests start from
(tests/snapshot.py) gives back exactly the rows it took, on every engine."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from apps.docflow.models import Workflow

from . import snapshot
from .conftest import reference_data_loaded, user

pytestmark = [pytest.mark.engine, pytest.mark.django_db(transaction=True)]


def _rows(table, columns):
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")
        return sorted(cursor.fetchall(), key=repr)


def test_a_flushed_database_gets_back_the_very_rows_of_the_copy():
    assert snapshot.taken()  # the fixture took it before this test, the process's first transactional one
    copies = dict(snapshot._state)
    assert {"auth_user", "auth_group", "django_content_type"} <= set(copies)
    before = {table: _rows(table, columns) for table, (_shadow, columns) in copies.items()}
    workflow_type = ContentType.objects.get_for_model(Workflow).pk
    get_user_model().objects.create(username="tamu_sementara")
    Workflow.objects.all().delete()

    call_command("flush", verbosity=0, interactive=False)  # as at the end of a transactional test
    assert not reference_data_loaded()
    assert snapshot.restore()

    after = {table: _rows(table, columns) for table, (_shadow, columns) in copies.items()}
    assert after == before
    assert ContentType.objects.get_for_model(Workflow).pk == workflow_type  # the cache was dropped
    assert not get_user_model().objects.filter(username="tamu_sementara").exists()
    assert user("kaban").groups.filter(name="Kepala Badan").exists()


def test_a_copy_that_no_longer_fits_changes_nothing_and_is_taken_again(monkeypatch):
    users = get_user_model().objects.count()
    monkeypatch.setitem(snapshot._state, "tabel_yang_tidak_ada", ("tabel_yang_tidak_ada", ["id"]))
    assert not snapshot.restore()
    assert get_user_model().objects.count() == users  # the DELETEs before the failure were rolled back
    assert not snapshot.taken()  # the next transactional test takes a new copy
