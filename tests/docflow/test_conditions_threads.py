"""Conditions under gunicorn's threads. On Python 3.11 ``ast.parse`` keeps
one recursion counter per interpreter (CPython gh-106905): two threads parsing
at once can fail with "SystemError: AST constructor recursion depth mismatch",
which the 50-user benchmark met as 500s on the inbox. Every parse takes one
lock, and a condition is parsed once per process."""

import threading

from apps.docflow import conditions
from tests.conftest import make_skt


def test_a_condition_is_parsed_under_the_lock_and_only_once():
    doc = make_skt()
    expression = "doc.nama_ormas != '' and doc.kelurahan == 'Bugul Kidul' and 7 > 3"
    conditions._parsed.cache_clear()
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(value=conditions.evaluate(expression, doc)))
    with conditions._PARSE_LOCK:
        worker.start()
        worker.join(0.5)
        assert worker.is_alive(), "the condition was parsed without the lock"
    worker.join(10)
    assert outcome == {"value": True}
    # parsed once: a second evaluation needs no lock at all
    with conditions._PARSE_LOCK:
        assert conditions.evaluate(expression, doc) is True


def test_conditions_evaluate_in_many_threads_at_once():
    doc = make_skt()
    errors = []

    def work(k):
        for i in range(200):
            try:
                assert conditions.evaluate(f"doc.nama_ormas != '' and {k} + {i} >= 0 and doc.kelurahan", doc)
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
