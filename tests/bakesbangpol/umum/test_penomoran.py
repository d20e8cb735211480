"""The agency's one outgoing register (series "surat-keluar"): SKT, Surat
Keluar and Surat Izin Penelitian take consecutive numbers from it, with no
gap and no duplicate, whatever order they are issued in."""

import datetime

import pytest
import time_machine

from tests.bakesbangpol.perizinan.test_izin_penelitian import make_izin
from tests.conftest import advance_skt, make_skt

from .helpers import SENIN, WIB, advance_surat_keluar, apply, klasifikasi, make_surat_keluar, no_demo_delegation

# One register shared by several document types: numbering depends on the database.
pytestmark = pytest.mark.engine


def issue_skt():
    return advance_skt(make_skt(), "SKT Terbit")


def issue_surat_keluar(kode="005"):
    return advance_surat_keluar(make_surat_keluar(klasifikasi=klasifikasi(kode)), "Ditandatangani")


def issue_izin():
    doc = apply(make_izin(), "Disposisi ke Bidang", "kaban").doc
    doc = apply(doc, "Ajukan Tanda Tangan", "staf_iwk").doc
    doc = apply(doc, "Tandatangani", "kaban").doc
    assert doc.workflow_state == "Surat Izin Terbit"
    return doc


def parts(number):
    kode, seq, agency, year = number.rsplit("/", 3)
    return kode, int(seq), agency, year


def test_interleaved_issues_share_one_gapless_sequence():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        issued = [
            issue_skt(),
            issue_surat_keluar("005"),
            issue_izin(),
            issue_surat_keluar("220"),
            issue_skt(),
            issue_izin(),
        ]
    numbers = [doc.number for doc in issued]
    assert len(set(numbers)) == len(numbers), numbers
    split = [parts(n) for n in numbers]
    assert [k for k, _s, _a, _y in split] == ["220", "005", "070", "220", "220", "070"]
    assert {(a, y) for _k, _s, a, y in split} == {("423.108", "2026")}
    seqs = [s for _k, s, _a, _y in split]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs))), numbers
    assert all(len(n.split("/")[1]) == 3 for n in numbers)


def test_register_restarts_in_a_new_year():
    no_demo_delegation()
    with time_machine.travel(datetime.datetime(2026, 12, 30, 9, 0, tzinfo=WIB), tick=True):
        december = issue_surat_keluar()
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=WIB), tick=True):
        january = [issue_izin(), issue_skt()]
    assert december.number.endswith("/423.108/2026")
    assert [parts(doc.number)[1:] for doc in january] == [(1, "423.108", "2027"), (2, "423.108", "2027")]
