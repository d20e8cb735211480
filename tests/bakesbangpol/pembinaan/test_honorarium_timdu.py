"""P5.7 Honorarium Timdu: the total is the sum of the members' amounts (the
named hook), recomputed when the rows change, refused when an amount is not
positive; the month recurs through Auto Repeat with its rows and total."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from apps.bakesbangpol.pembinaan.demo import demo_honorarium_auto_repeat
from apps.docflow import auto_repeat, registry
from apps.docflow.models import AutoRepeat
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import user

ROWS = [
    {"nama": "Kapten Inf. Suryadi", "unsur": "TNI", "jabatan_tim": "Wakil Ketua", "jumlah": "1000000"},
    {"nama": "Bripka Dedi Kurniawan", "unsur": "Polri", "jabatan_tim": "Anggota", "jumlah": 750000},
]


def _model():
    return registry.get("Honorarium Timdu", load=True).model


def _create(rows=ROWS, **values):
    data = {
        "periode": "Januari 2027",
        "periode_mulai": datetime.date(2027, 1, 1),
        "periode_selesai": datetime.date(2027, 1, 31),
        "penerima": rows,
        **values,
    }
    return document_create(model=_model(), user=user("staf_kbk"), data=data)


def test_total_is_the_sum_of_the_rows_and_follows_their_changes():
    doc = _create()
    doc.refresh_from_db()
    assert doc.total == Decimal("1750000") and doc.tahun_anggaran == 2027
    doc = document_update(
        doc=doc,
        user=user("staf_kbk"),
        data={"penerima": [*ROWS, {**ROWS[1], "nama": "Serka Moch. Ilham", "unsur": "TNI"}]},
    )
    doc.refresh_from_db()
    assert doc.total == Decimal("2500000")
    doc = document_update(
        doc=doc, user=user("staf_kbk"), data={"dasar": "Keputusan Wali Kota"}
    )  # rows unchanged: stored ones
    doc.refresh_from_db()
    assert doc.total == Decimal("2500000")


def test_a_zero_amount_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as refused:
        _create(rows=[{**ROWS[0], "jumlah": 0}])
    assert "lebih dari nol" in str(refused.value)
    assert not _model().objects.exists()
    doc = _create()
    with pytest.raises(ValidationError):
        document_update(doc=doc, user=user("staf_kbk"), data={"penerima": [{**ROWS[0], "jumlah": "-5"}]})
    doc.refresh_from_db()
    assert doc.total == Decimal("1750000") and doc.penerima.count() == 2


def test_an_empty_list_cannot_go_to_the_pptk():
    doc = _create(rows=[])
    assert doc.total == 0
    with pytest.raises(Exception, match="Rincian penerima"):
        apply_action(doc=doc, action="Ajukan ke PPTK", user=user("staf_kbk"))


def test_the_month_recurs_with_its_members_and_total():
    template = _create()
    schedule = AutoRepeat(
        reference_doctype="Honorarium Timdu",
        reference_document=template.name,
        frequency="Monthly",
        start_date=datetime.date(2027, 2, 1),
        run_as=user("staf_kbk"),
        period_field="periode",
        period_start_field="periode_mulai",
        period_end_field="periode_selesai",
    )
    auto_repeat.validate_schedule(schedule)
    schedule.save()
    run = auto_repeat.run_period(schedule, datetime.date(2027, 2, 1), trigger="manual", user=user("admin"))
    made = _model().objects.get(pk=run.document_id)
    assert (made.periode, made.periode_mulai, made.periode_selesai) == (
        "Februari 2027",
        datetime.date(2027, 2, 1),
        datetime.date(2027, 2, 28),
    )
    assert made.workflow_state == "Draf" and made.total == Decimal("1750000") and made.number == ""
    assert [(r.nama, r.unsur, r.jumlah) for r in made.penerima.order_by("idx")] == [
        ("Kapten Inf. Suryadi", "TNI", Decimal("1000000")),
        ("Bripka Dedi Kurniawan", "Polri", Decimal("750000")),
    ]


def test_the_demo_schedule_repeats_the_latest_month():
    assert demo_honorarium_auto_repeat() is None  # no month yet
    _create()
    schedule = demo_honorarium_auto_repeat()
    assert schedule.reference_doctype == "Honorarium Timdu" and schedule.frequency == "Monthly"
    assert schedule.period_field == "periode" and schedule.start_date >= datetime.date(2027, 2, 1)
    assert demo_honorarium_auto_repeat() is None  # once
