"""A web worker warms up before it takes requests (gunicorn's post_worker_init)."""

import importlib.util
import logging
import os
import subprocess
import sys
from pathlib import Path

from django.db import connections

from apps.docflow import warmup
from apps.docflow.dynamic import runtime

CONF = Path(__file__).resolve().parents[2] / "config" / "deploy" / "gunicorn.conf.py"


def test_gunicorn_warms_each_worker_up(monkeypatch):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    called = []
    monkeypatch.setattr(warmup, "warm_up", lambda: called.append(True))
    conf.post_worker_init(worker=None)
    assert called == [True]


def test_warm_up_loads_the_doctypes_and_closes_its_connections(monkeypatch):
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))  # not the test's transaction
    runtime.forget()
    assert not runtime._state["loaded"]
    warmup.warm_up()
    assert runtime._state["loaded"]
    assert closed == [True]


def test_a_failed_warm_up_is_logged_and_the_worker_starts(monkeypatch, caplog):
    closed = []
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))

    def broken():
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(runtime, "ensure_current", broken)
    with caplog.at_level(logging.WARNING, logger="apps.docflow.warmup"):
        warmup.warm_up()
    assert "starts cold" in caplog.text
    assert closed == [True]


def _python_on_a_site(tmp_path, code, database_url=""):
    """``code`` in a new Python process with the production settings on a
    site in ``tmp_path`` (SQLite unless ``database_url``)."""
    env = {**os.environ, "SITE_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CONN_MAX_AGE", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=CONF.parents[2], capture_output=True, text=True, check=True
    )


def test_a_worker_on_sqlite_or_mariadb_does_not_load_the_postgresql_driver(tmp_path):
    """unfold imports django.contrib.postgres (psycopg: 10 MiB per worker)
    whenever it is installed; settings keep it out unless the site is on
    PostgreSQL."""
    code = "import sys, django; django.setup(); import config.wsgi; print(sorted(m for m in sys.modules if m.startswith(('psycopg', 'django.contrib.postgres'))))"  # noqa: E501
    for url, loaded in (("", False), ("postgres://postgres@127.0.0.1:5432/x", True)):
        out = _python_on_a_site(tmp_path, code, url)
        assert ("psycopg" in out.stdout) is loaded, out.stdout


def test_a_worker_keeps_its_database_connection_between_requests(tmp_path):
    """A new SQLite connection reads the whole schema again on its first
    statement (about 12 ms a request); a worker keeps one across requests,
    and a closed one is replaced at the start of the next request."""
    code = """
import django; django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.backends.signals import connection_created
opened = []
connection_created.connect(lambda **kw: opened.append(1), weak=False)
def request():
    request_started.send(sender=None)
    connection.cursor().execute("SELECT 1")
    request_finished.send(sender=None)
for _ in range(3):
    request()
first = len(opened)
connection.close()
request()
print(first, len(opened))
"""
    out = _python_on_a_site(tmp_path, code)
    assert out.stdout.split() == ["1", "2"], out.stdout + out.stderr
