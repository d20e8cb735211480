"""Conditions that lists filter in SQL (``conditions.to_q``) select exactly
the documents ``conditions.evaluate`` accepts; the rest stay in Python."""

import datetime

import pytest

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import conditions
from apps.docflow.selectors import inbox_for_user
from apps.docflow.services.workflow import available_actions
from tests.conftest import advance_skt, fill_survey, make_skt, user

TRANSLATED = [
    "",
    "doc.ada_npwp",
    "not doc.ada_npwp",
    "doc.ada_npwp and doc.ada_akta_pendirian",
    "doc.ada_npwp or not doc.singkatan",
    "doc.tanggal_survei and doc.hasil_survei",
    "not (doc.tanggal_survei and doc.hasil_survei)",
    "doc.state_seq > 1",
    "doc.state_seq == 0 or doc.tanggal_akta",
    "not doc.state_seq >= 2",
    "doc.unit",
]
PYTHON_ONLY = [
    "doc.singkatan == 'ABC'",  # text: the database's collation would decide
    "doc.nama_ormas.startswith('Ormas')",
    "len(doc.hasil_survei) > 3",
    "doc.ada_npwp == True",
    "user == 'kaban'",
    "doc.tanggal_akta > today()",
    "doc.tidak_ada",
]


@pytest.fixture
def variety():
    docs = [
        make_skt(nama_ormas="Ormas A", ada_npwp=False),
        make_skt(nama_ormas="Ormas B", singkatan="ABC"),
        make_skt(nama_ormas="Ormas C", ada_akta_pendirian=False, singkatan="abc"),
    ]
    PermohonanSKT.objects.filter(pk=docs[1].pk).update(
        tanggal_survei=datetime.date(2026, 1, 5), hasil_survei="Aktif", state_seq=3
    )
    PermohonanSKT.objects.filter(pk=docs[2].pk).update(
        tanggal_survei=datetime.date(2026, 1, 5), tanggal_akta=datetime.date(2020, 1, 1), state_seq=2
    )
    return list(PermohonanSKT.objects.filter(pk__in=[d.pk for d in docs]))


@pytest.mark.parametrize("expression", TRANSLATED)
def test_sql_selects_what_python_accepts(variety, expression):
    q = conditions.to_q(expression, PermohonanSKT)
    assert q is not None, expression
    pks = [d.pk for d in variety]
    in_sql = set(PermohonanSKT.objects.filter(q, pk__in=pks).values_list("pk", flat=True))
    in_python = {d.pk for d in variety if conditions.evaluate(expression, d)}
    assert in_sql == in_python


@pytest.mark.parametrize("expression", PYTHON_ONLY)
def test_other_conditions_stay_in_python(expression):
    assert conditions.to_q(expression, PermohonanSKT) is None


def test_inbox_counts_and_pages_what_python_would_list(login_as):
    """Verification waits on a condition SQL can say: an incomplete
    application is listed without it, and the page's actions are the document's."""
    complete = [make_skt(nama_ormas=f"Ormas Lengkap {i}") for i in range(3)]
    incomplete = make_skt(nama_ormas="Ormas Kurang", ada_npwp=False)
    officer = user("pelayanan_kbk")
    rows = inbox_for_user(officer)
    listed = {doc.pk: [a.action for a in actions] for info, doc, actions in rows if info.doctype == "Permohonan SKT"}
    assert all("Berkas Lengkap" in listed[d.pk] for d in complete)
    # the officer can tick what is missing: the incomplete one is listed as a blocked duty saying what
    blocked = {a.action: a for _i, doc, actions in rows if doc.pk == incomplete.pk for a in actions}
    assert not blocked["Berkas Lengkap"].enabled and "NPWP" in blocked["Berkas Lengkap"].missing
    assert len(rows) == len(list(rows))
    for info, doc, actions in rows:
        expected = available_actions(doc, officer, include_blocked=True)
        assert [a.action for a in actions] == [a.action for a in expected if a.enabled or a.duty]
    assert [doc.pk for _i, doc, _a in rows[1:3]] == [doc.pk for _i, doc, _a in list(rows)[1:3]]


def test_a_step_waiting_for_fields_the_user_fills_is_listed_from_sql():
    """A survey waits for its report: the officer who fills the survey fields
    has it as a duty, met or not, so the inbox lists the state from SQL
    (no check per document) and says what is missing."""
    surveyed = advance_skt(make_skt(nama_ormas="Ormas Disurvei"), "Survei Lokasi")
    done = fill_survey(advance_skt(make_skt(nama_ormas="Ormas Sudah Disurvei"), "Survei Lokasi"))
    officer = user("pelayanan_kbk")
    rows = inbox_for_user(officer)
    skt = next(source for source in rows.sources if source[0].doctype == "Permohonan SKT")
    assert skt[3] is None  # nothing of the SKT left to check in Python
    listed = {doc.pk: {a.action: a for a in actions} for info, doc, actions in rows if info.doctype == "Permohonan SKT"}
    report = listed[surveyed.pk]["Laporkan Hasil Survei"]
    assert not report.enabled and report.duty and "survei" in report.missing.lower()
    assert listed[done.pk]["Laporkan Hasil Survei"].enabled
    for info, doc, actions in rows:
        expected = available_actions(doc, officer, include_blocked=True)
        assert [a.action for a in actions] == [a.action for a in expected if a.enabled or a.duty]
    # the head of the unit does not fill the survey: not theirs
    assert surveyed.pk not in {doc.pk for _i, doc, _a in inbox_for_user(user("kabid_kbk"))}
