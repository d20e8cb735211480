"""Numbering series: patterns, yearly counters, and no duplicate or skipped
number when several officials issue at once (PostgreSQL and MariaDB)."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections, transaction

from apps.docflow.exceptions import NumberingError
from apps.docflow.models import NamingSeries
from apps.docflow.numbering import check_pattern, next_number
from tests.conftest import advance_skt, make_skt, user

# Numbering takes row locks and counters: its result can depend on the database.
pytestmark = pytest.mark.engine

JKT = ZoneInfo("Asia/Jakarta")


def test_pattern_tokens_and_document_fields():
    series = NamingSeries.objects.create(key="uji", pattern="{kode_klasifikasi}/{seq:03}/423.108/{MM_ROMAWI}/{YYYY}")
    doc = make_skt(kode_klasifikasi="220")
    when = datetime.datetime(2026, 11, 28, 10, tzinfo=JKT)
    with transaction.atomic():
        assert next_number(series, doc=doc, when=when) == "220/001/423.108/XI/2026"
        assert next_number(series, doc=doc, when=when) == "220/002/423.108/XI/2026"


def test_counter_resets_every_year():
    series = NamingSeries.objects.create(key="tahunan", pattern="{seq:04}/{YYYY}")
    with transaction.atomic():
        assert next_number(series, when=datetime.datetime(2026, 12, 31, 23, tzinfo=JKT)) == "0001/2026"
        assert next_number(series, when=datetime.datetime(2026, 12, 31, 23, 30, tzinfo=JKT)) == "0002/2026"
        assert next_number(series, when=datetime.datetime(2027, 1, 1, 0, 5, tzinfo=JKT)) == "0001/2027"


def test_missing_field_takes_no_number():
    series = NamingSeries.objects.create(key="butuh-field", pattern="{kode_klasifikasi}/{seq}")
    doc = make_skt()
    doc.kode_klasifikasi = ""
    with transaction.atomic():
        with pytest.raises(NumberingError):
            next_number(series, doc=doc)
        doc.kode_klasifikasi = "220"
        assert next_number(series, doc=doc) == "220/1"


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    with pytest.raises(NumberingError):
        next_number(NamingSeries.objects.create(key="x", pattern="{seq}"))


@pytest.mark.parametrize("pattern,ok", [("{seq:03}/{YYYY}", True), ("{YYYY}", False), ("{seq:03}/{YYYY", False)])
def test_pattern_check(pattern, ok):
    assert (check_pattern(pattern) is None) is ok


def test_issued_skt_numbers_follow_the_register_year():
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=JKT), tick=True):
        first = advance_skt(make_skt(), "SKT Terbit")
        second = advance_skt(make_skt(), "SKT Terbit")
    n1, n2 = (int(d.number.split("/")[1]) for d in (first, second))
    assert n2 == n1 + 1 and first.number.endswith("/2026")


server_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row locks need PostgreSQL or MariaDB; CI runs this there"
)


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results.append(work(i))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return results


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_numbers_are_unique_and_gapless():
    series = NamingSeries.objects.create(key="serentak", pattern="{seq}")

    def take(_i):
        with transaction.atomic():
            return int(next_number(NamingSeries.objects.get(pk=series.pk)))

    numbers = _in_threads(12, take)
    assert sorted(numbers) == list(range(1, 13))


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_concurrent_skt_issuance_has_no_duplicate_or_gap():
    docs = [advance_skt(make_skt(nama_ormas=f"Ormas Serentak {i}"), "Menunggu Persetujuan") for i in range(6)]
    from apps.docflow.services.workflow import apply_action

    def approve(i):
        return apply_action(doc=docs[i], action="Setujui", user=user("kaban")).doc.number

    numbers = _in_threads(len(docs), approve)
    seqs = sorted(int(n.split("/")[1]) for n in numbers)
    assert len(set(numbers)) == len(docs)
    assert seqs == list(range(seqs[0], seqs[0] + len(docs)))
