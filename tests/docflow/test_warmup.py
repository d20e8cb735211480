"""A web worker warms up before it takes requests (gunicorn's post_worker_init)."""

import importlib.util
import logging
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
