"""Print helpers, the template sandbox and the working calendar."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from apps.docflow import calendar, printing
from apps.docflow.exceptions import PrintError
from apps.docflow.models import Holiday, PrintFormat
from tests.conftest import make_skt, pdf_text


def test_indonesian_helpers():
    assert printing.tanggal(datetime.date(2026, 11, 28)) == "28 November 2026"
    assert printing.tanggal(datetime.date(2026, 11, 28), with_day=True) == "Sabtu, 28 November 2026"
    assert printing.rupiah(Decimal("4860")) == "Rp4.860"
    assert printing.rupiah(Decimal("1234567.5"), decimals=2) == "Rp1.234.567,50"
    assert printing.terbilang(4860) == "empat ribu delapan ratus enam puluh"
    assert printing.terbilang(Decimal("1500000"), "rupiah") == "satu juta lima ratus ribu rupiah"
    assert printing.format_nip("196805121994031007") == "19680512 199403 1 007"


def _format(html):
    return PrintFormat(name="Uji", doc_type="Permohonan SKT", html=html)


def test_templates_are_sandboxed_and_escaped():
    doc = make_skt(nama_ormas="<script>alert(1)</script> Ormas")
    html = printing.render_html(_format("{{ doc.nama_ormas }}"), printing.build_context(doc))
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    for source in ("{{ doc.delete() }}", "{{ doc.__class__.__mro__ }}", "{{ doc.save() }}"):
        with pytest.raises(PrintError):
            printing.render_html(_format(source), printing.build_context(doc))


def test_pdf_cannot_read_local_files_or_the_network():
    doc = make_skt()
    pf = _format(
        '<p>isi</p><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="file:///etc/hostname">'
    )
    text = pdf_text(printing.render_pdf(pf, printing.build_context(doc)))
    assert "isi" in text and "root:" not in text


def test_draft_pdf_is_marked():
    doc = make_skt(nama_ormas="Ormas Draf")
    pf = PrintFormat.objects.get(name="Surat Keterangan Terdaftar")
    text = pdf_text(printing.render_pdf(pf, printing.build_context(doc)))
    assert "DRAF" in text and "Ormas Draf" in text


def test_working_days_skip_weekends_national_and_added_holidays():
    # Fri 14 Aug 2026; Mon 17 Aug is Hari Kemerdekaan
    assert calendar.add_working_days(datetime.date(2026, 8, 14), 1) == datetime.date(2026, 8, 18)
    Holiday.objects.create(date=datetime.date(2026, 8, 18), description="Cuti bersama (uji)")
    assert calendar.add_working_days(datetime.date(2026, 8, 14), 1) == datetime.date(2026, 8, 19)
    Holiday.objects.create(date=datetime.date(2026, 8, 15), description="Sabtu masuk", is_working_day=True)
    assert calendar.add_working_days(datetime.date(2026, 8, 14), 1) == datetime.date(2026, 8, 15)
    assert calendar.working_days_between(datetime.date(2026, 8, 14), datetime.date(2026, 8, 21)) == 4
    assert calendar.holiday_name(datetime.date(2026, 8, 17))


def test_due_date_is_end_of_last_working_day():
    entered = datetime.datetime(2026, 8, 14, 15, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    due = calendar.due_at(entered, 2)
    local = due.astimezone(ZoneInfo("Asia/Jakarta"))
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 8, 19), 23, 59)
    assert calendar.due_at(entered, None) is None
