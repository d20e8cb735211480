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


def test_the_public_holidays_are_rows_an_administrator_corrects(monkeypatch):
    """setup_site (and the test database) load last, this and next year's
    public holidays as rows; the calendar then reads the rows only, so a date
    the decree moves is corrected in the desk and the package is not asked."""
    year = datetime.date.today().year
    national = Holiday.objects.filter(kind=Holiday.Kind.NATIONAL)
    assert {d.year for d in national.dates("date", "year")} >= {year - 1, year, year + 1}
    assert calendar.load_national_holidays_around() == 0  # loaded once; running again adds nothing
    asked = []
    monkeypatch.setattr(calendar, "_from_package", lambda y: asked.append(y) or {})
    day = datetime.date(year, 8, 17)  # Hari Kemerdekaan
    row = national.get(date=day)
    assert not calendar.is_working_day(day) and calendar.holiday_name(day) == row.description
    # the decree moves the day to the next free weekday: the row moves, the calendar follows
    moved = day + datetime.timedelta(days=1)
    while moved.weekday() >= 5 or Holiday.objects.filter(date=moved).exists():
        moved += datetime.timedelta(days=1)
    row.date = moved
    row.save()
    assert calendar.is_working_day(day) == (day.weekday() < 5)
    assert not calendar.is_working_day(moved) and calendar.holiday_name(moved) == row.description
    assert calendar.add_working_days(moved - datetime.timedelta(days=1), 1) > moved
    assert asked == []  # loaded years never ask the package
    # an administrator's deletion stands: the daily job does not bring the day back
    row.delete()
    monkeypatch.undo()
    assert calendar.load_national_holidays_around() == 0
    assert not Holiday.objects.filter(date__in=(day, moved)).exists()


def test_a_year_not_loaded_yet_falls_back_to_the_package():
    year = 2031
    assert not Holiday.objects.filter(date__year=year).exists()
    assert calendar.holiday_name(datetime.date(year, 8, 17))  # from the package
    assert not calendar.is_working_day(datetime.date(year, 12, 25))  # Natal, a Thursday
    Holiday.objects.create(date=datetime.date(year, 8, 18), description="Cuti bersama")
    assert calendar.load_national_holidays([year]) > 10
    assert Holiday.objects.get(date=datetime.date(year, 8, 18)).kind == Holiday.Kind.ADDED  # left as it was
    row = Holiday.objects.get(date=datetime.date(year, 8, 17))
    assert row.kind == Holiday.Kind.NATIONAL and row.history.count() == 1  # audited like a desk edit
    assert calendar.load_national_holidays([year]) == 0


def test_due_date_is_end_of_last_working_day():
    entered = datetime.datetime(2026, 8, 14, 15, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    due = calendar.due_at(entered, 2)
    local = due.astimezone(ZoneInfo("Asia/Jakarta"))
    assert (local.date(), local.hour, local.minute) == (datetime.date(2026, 8, 19), 23, 59)
    assert calendar.due_at(entered, None) is None
