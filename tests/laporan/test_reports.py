"""Reports with known histories (frozen time): SLA in working days, cycle
times, volume, registers, the unit's inbox, IKU, escalation and the Excel
exports, all under the desk's visibility rules."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from apps.docflow.models import Holiday, Notification
from apps.docflow.services.workflow import apply_action
from apps.laporan.models import Eskalasi, Indikator, RealisasiIKU
from apps.laporan.selectors import (
    cycle_times,
    iku_table,
    pending_per_unit,
    register_rows,
    unit_pending,
    volume_per_month,
)
from apps.laporan.services import escalate_overdue
from tests.conftest import advance_skt, fill_survey, make_skt, pdf_upload, survey_file, user

# Reports are aggregate SQL (counts, percentiles, months).
pytestmark = pytest.mark.engine

JKT = ZoneInfo("Asia/Jakarta")
KBK = "Bidang Ketahanan Bangsa dan Kemasyarakatan"


def at(*args):
    return time_machine.travel(datetime.datetime(*args, tzinfo=JKT), tick=False)


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


def test_sla_counts_working_days_across_a_holiday_and_a_weekend():
    with at(2026, 8, 14, 10, 0):  # Friday; Mon 17 Aug is a national holiday
        doc = make_skt()  # "Menunggu Verifikasi": 2 working days -> due Wed 19 Aug
    assert doc.due_at.astimezone(JKT).date() == datetime.date(2026, 8, 19)
    with at(2026, 8, 19, 16, 0):
        assert _late(user("kaban")) == 0
    with at(2026, 8, 20, 8, 0):
        assert _late(user("kaban")) == 1
    Holiday.objects.create(date=datetime.date(2026, 8, 18), description="Cuti bersama")
    with at(2026, 8, 14, 10, 0):
        again = make_skt()
    assert again.due_at.astimezone(JKT).date() == datetime.date(2026, 8, 20)


def _late(u):
    return sum(r.overdue for r in pending_per_unit(u) if r.state == "Menunggu Verifikasi")


def test_cycle_times_from_the_log():
    # three applications verified after 1, 2 and 5 days
    docs = []
    with at(2026, 3, 2, 8, 0):
        docs = [make_skt(nama_ormas=f"Ormas {i}") for i in range(3)]
    for doc, day in zip(docs, (3, 4, 7), strict=True):
        with at(2026, 3, day, 8, 0):
            apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk"))
    with at(2026, 3, 9, 8, 0):  # one goes all the way: survey 2 days, approval 1 day
        fill_survey(docs[0])
        apply_action(
            doc=docs[0], action="Laporkan Hasil Survei", user=user("pelayanan_kbk"), attachments=[survey_file()]
        )
    with at(2026, 3, 10, 8, 0):
        apply_action(doc=docs[0], action="Tolak", user=user("kaban"), comment="Nama ganda.")
    data = cycle_times(user("kaban"), process_code="P8.1")
    verif = next(r for r in data["states"] if r.state == "Menunggu Verifikasi")
    assert (verif.count, verif.median_days, verif.p90_days) == (3, 2.0, 5.0)
    whole = data["processes"][0]
    assert (whole.count, whole.median_days) == (1, 8.0)  # 2 Mar 08:00 -> 10 Mar 08:00
    assert data["longest"]["Permohonan SKT"].state == "Survei Lokasi"  # median 6 days (3/4/7 -> 9)
    assert cycle_times(user("kabid_iwk"), process_code="P8.1")["states"] == []


def test_volume_per_month_and_page_export(login_as):
    for month in (1, 1, 4):
        with at(2026, month, 15, 9, 0):
            make_skt()
    assert volume_per_month(user("kaban"), 2026)["Permohonan SKT"][:4] == [2, 0, 0, 1]
    client = login_as("kaban")
    page = client.get("/app/laporan/waktu-proses/?tahun=2026")
    assert page.status_code == 200
    rows = xlsx_rows(client.get("/app/laporan/waktu-proses/?proses=P8.1&format=xlsx"))
    assert rows[0][0] == "Waktu Proses"
    assert ["Kode proses", "Jenis dokumen", "Status", "Jumlah", "Median (hari)", "Persentil 90 (hari)"] in rows


def test_pending_report_export_has_the_same_rows_and_honours_visibility(login_as):
    make_skt()
    make_skt()
    advance_skt(make_skt(), "Survei Lokasi")
    client = login_as("kabid_kbk")
    rows = xlsx_rows(client.get("/app/laporan/tertunda/?format=xlsx&proses=P8.1"))
    data = [r for r in rows if r and r[0] == KBK]
    assert sorted((r[3], r[4]) for r in data) == [("Menunggu Verifikasi", 2), ("Survei Lokasi", 1)]
    other = xlsx_rows(login_as("kabid_iwk").get("/app/laporan/tertunda/?format=xlsx"))
    assert not [r for r in other if r and r[0] == KBK]


def test_registers_list_issued_documents_with_validity(login_as):
    doc = advance_skt(make_skt(nama_ormas="Ormas Terdaftar"), "SKT Terbit")
    rows = register_rows(user("kaban"), "Permohonan SKT", status="aktif")
    assert [r.holder for r in rows] == ["Ormas Terdaftar"]
    assert register_rows(user("kabid_iwk"), "Permohonan SKT") == []
    table = xlsx_rows(login_as("kabid_kbk").get("/app/laporan/register/skt/?format=xlsx"))
    assert any(r and r[0] == doc.number and r[1] == "Ormas Terdaftar" and r[5] == "Berlaku" for r in table)
    assert login_as("kaban").get("/app/laporan/register/tidak-ada/").status_code == 404


def test_unit_inbox_for_the_head():
    doc = advance_skt(make_skt(), "Survei Lokasi")
    rows = unit_pending(user("kabid_kbk"))
    assert [(d.name, roles) for _i, d, roles in rows] == [(doc.name, ["Petugas Pelayanan"])]
    assert unit_pending(user("kabid_iwk")) == []


def test_iku_targets_and_realisation_with_evidence(login_as):
    assert Indikator.objects.count() == 4
    table = iku_table([2024])
    pemilih = next(r for r in table if r["indikator"].urutan == 3)
    assert pemilih["cells"][0]["target"].nilai == Decimal("85.00")
    client = login_as("perencana")
    url = "/app/laporan/realisasiiku/add/"
    base = {
        "indikator": pemilih["indikator"].pk,
        "tahun": 2024,
        "nilai": "80.5",
        "keterangan": "Data KPU Kota Pasuruan",
    }
    refused = client.post(url, base)
    assert refused.status_code == 200 and "wajib disertai bukti" in refused.content.decode()
    assert not RealisasiIKU.objects.exists()
    ok = client.post(url, {**base, "berkas_bukti": pdf_upload("rekap-kpu.pdf")})
    assert ok.status_code == 302
    real = RealisasiIKU.objects.get()
    assert real.dicatat_oleh == user("perencana") and real.bukti.file_name == "rekap-kpu.pdf"
    cell = next(r for r in iku_table([2024]) if r["indikator"].urutan == 3)["cells"][0]
    assert cell["capaian"] == Decimal("94.7")
    rows = xlsx_rows(client.get("/app/laporan/iku/?format=xlsx"))
    assert [
        3,
        "Persentase partisipasi pemilih dalam pemilu",
        "%",
        2024,
        85,
        80.5,
        94.7,
        None,
        "Input manual dengan bukti",
    ] in rows
    assert login_as("staf_kbk").get(url).status_code == 403


def test_escalation_goes_to_the_unit_head_then_the_sekretaris_once():
    with at(2026, 8, 14, 10, 0):
        doc = make_skt()  # due Wed 19 Aug
    Notification.objects.all().delete()
    with at(2026, 8, 19, 12, 0):
        assert escalate_overdue() == {1: 0, 2: 0}
    with at(2026, 8, 20, 9, 0):
        assert escalate_overdue() == {1: 1, 2: 0}
        assert escalate_overdue() == {1: 0, 2: 0}  # never twice for the same lateness
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"kabid_kbk"}
    with at(2026, 8, 21, 9, 0):
        assert escalate_overdue() == {1: 0, 2: 1}  # still late two working days after the due date
    assert set(Eskalasi.objects.get(tingkat=2).penerima.values_list("username", flat=True)) == {"sekretaris"}
    # a new visit of a state is a new lateness
    with at(2026, 8, 24, 9, 0):
        doc = apply_action(doc=doc, action="Kembalikan ke Pemohon", user=user("pelayanan_kbk"), comment="x").doc
        doc = apply_action(doc=doc, action="Terima Perbaikan", user=user("pelayanan_kbk")).doc
    with at(2026, 9, 1, 9, 0):
        assert escalate_overdue() == {1: 1, 2: 1}


@pytest.mark.parametrize("username", ["kaban", "kabid_kbk", "kabid_iwk", "perencana"])
def test_dashboard_renders_for_managers_and_staff(login_as, username):
    advance_skt(make_skt(), "SKT Terbit")
    page = login_as(username).get("/app/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="card-pending"' in text and "chart" in text


def test_letters_issued_this_month_are_counted_only_where_the_user_may_see_them():
    """The dashboard's card: this month's letters of visible documents, one
    query for every doctype."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.docflow.models import IssuedDocument
    from apps.docflow.scope import cached as scope_cached
    from apps.laporan.selectors import issued_this_month

    with at(2026, 5, 28, 10, 0):
        advance_skt(make_skt(), "SKT Terbit")  # last month's letter
    with at(2026, 6, 3, 10, 0):
        advance_skt(make_skt(), "SKT Terbit")
        assert IssuedDocument.objects.count() == 2
        assert issued_this_month(user("kaban")) == 1
        assert issued_this_month(user("kabid_kbk")) == 1
        assert issued_this_month(user("kabid_iwk")) == 0  # another bidang's letters are not theirs to count
        kabid = user("kabid_kbk")
        with scope_cached():
            issued_this_month(kabid)  # the grants and visible units, remembered for the block
            with CaptureQueriesContext(connection) as queries:
                issued_this_month(kabid)
        assert len(queries) == 1, [q["sql"][:80] for q in queries]


def _honorarium(by, unit, periode, start, members):
    from apps.docflow import registry
    from apps.docflow.scope import backend
    from apps.docflow.services.workflow import document_create

    return document_create(
        model=registry.get("Honorarium Timdu").model,
        user=user(by),
        unit=backend().unit_by_code(unit),
        data={
            "periode": periode,
            "periode_mulai": start,
            "periode_selesai": start.replace(day=28),
            "penerima": [{"nama": n, "unsur": u, "jabatan_tim": "Anggota", "jumlah": a} for n, u, a in members],
        },
    )


def test_honorarium_timdu_register_lists_visible_months_and_exports(login_as):
    from apps.laporan.selectors import honorarium_timdu_rows

    kbk = _honorarium(
        "staf_kbk", "BID_KBK", "Januari 2027", datetime.date(2027, 1, 1),
        [("Kapten Inf. Suryadi", "TNI", 1000000), ("AKP Rudi Hermawan", "Polri", 750000)],
    )  # fmt: skip
    _honorarium(
        "staf_iwk", "BID_IWK", "Februari 2027", datetime.date(2027, 2, 1), [("Bripda Lain Unit", "Polri", 500000)]
    )
    apply_action(doc=kbk, action="Ajukan ke PPTK", user=user("staf_kbk"))

    def names(who, **filters):
        return [
            (r.parent.periode, r.nama, r.unsur, r.jumlah, r.parent.workflow_state)
            for r in honorarium_timdu_rows(user(who), **filters)
        ]

    assert names("kabid_kbk") == [
        ("Januari 2027", "Kapten Inf. Suryadi", "TNI", Decimal("1000000"), "Pemeriksaan PPTK"),
        ("Januari 2027", "AKP Rudi Hermawan", "Polri", Decimal("750000"), "Pemeriksaan PPTK"),
    ]
    assert [n for _p, n, *_r in names("kabid_iwk")] == ["Bripda Lain Unit"]
    assert [n for _p, n, *_r in names("kaban")] == ["Bripda Lain Unit", "Kapten Inf. Suryadi", "AKP Rudi Hermawan"]
    assert [n for _p, n, *_r in names("kaban", state="Draf")] == ["Bripda Lain Unit"]
    assert names("kaban", year=2026) == []

    table = xlsx_rows(login_as("kabid_kbk").get("/app/laporan/register-honorarium-timdu/?format=xlsx"))
    body = [r for r in table if r and r[1] == kbk.name]
    assert [(r[0], r[3], r[4], float(r[6]), r[7]) for r in body] == [
        ("Januari 2027", "Kapten Inf. Suryadi", "TNI", 1000000.0, "Pemeriksaan PPTK"),
        ("Januari 2027", "AKP Rudi Hermawan", "Polri", 750000.0, "Pemeriksaan PPTK"),
    ]
    assert not any(r and "Bripda Lain Unit" in r for r in table)
    page = login_as("kaban").get("/app/laporan/register-honorarium-timdu/?status=Draf")
    assert (
        page.status_code == 200
        and "Bripda Lain Unit" in page.content.decode()
        and "Kapten Inf. Suryadi" not in page.content.decode()
    )


def test_register_of_conflict_incidents(login_as):
    """Register Insiden Konflik (P6.1): the incidents a user may see, with the
    number of the report to the Province, never the reporter."""
    from apps.docflow import scenarios
    from apps.docflow.models import IssuedDocument
    from apps.laporan.selectors import LAPORAN_PROVINSI, incident_rows

    spec = next(s for s in scenarios.scenarios() if s["doctype"] == "Penanganan Konflik")
    refs = scenarios.replay_requires(spec)
    reported = scenarios.replay(spec, scenarios.own_documents(spec)[0], refs=refs).doc  # to the letter to the regions
    dropped = scenarios.replay(spec, scenarios.own_documents(spec)[2], refs=refs).doc  # not a social conflict
    number = IssuedDocument.objects.get(
        doctype="Penanganan Konflik", document_id=reported.pk, title=LAPORAN_PROVINSI
    ).number
    rows = incident_rows(user("kaban"))
    assert [r["name"] for r in rows] == [dropped.name, reported.name]  # newest incident first
    assert rows[1]["laporan_provinsi"] == number and rows[0]["laporan_provinsi"] == ""
    assert [r["name"] for r in incident_rows(user("kaban"), jenis="Konflik antarwarga")] == [reported.name]
    assert incident_rows(user("kabid_kbk")) == []  # another bidang: the visibility selector
    table = xlsx_rows(login_as("kabid_iwk").get("/app/laporan/insiden-konflik/?format=xlsx"))
    row = next(r for r in table if r and r[0] == reported.name)
    assert row[2] == "Bentrok antarwarga di Kelurahan Trajeng" and row[6] == "Selesai" and row[8] == number
    assert not any("Sulastri" in str(v) or "0812-3300-4411" in str(v) for r in table for v in r if v)
    page = login_as("konflik1").get("/app/laporan/insiden-konflik/?kecamatan=Panggungrejo")
    assert page.status_code == 200 and reported.name in page.content.decode()
    assert dropped.name not in page.content.decode()
    assert login_as("kaban").get("/app/laporan/insiden-konflik/?tahun=abc").status_code == 400
    assert login_as("bendahara").get("/app/laporan/insiden-konflik/").status_code == 403  # no DocPerm report


def test_register_orang_asing_lists_the_foreigners_of_visible_documents(login_as):
    from apps.laporan.selectors import register_orang_asing
    from tests.bakesbangpol.monev.helpers import pemantauan_orang_asing

    doc = pemantauan_orang_asing(2026)
    rows = register_orang_asing(user("kaban"), year=2026)
    assert [(r["dokumen"], r["nama"], r["nomor_paspor"]) for r in rows] == [
        (doc.name, "Chen Wei", "EG4417825"),
        (doc.name, "Park Min-jun", "M52830114"),
    ]
    assert [r["nama"] for r in register_orang_asing(user("kaban"), kebangsaan="korea")] == ["Park Min-jun"]
    assert register_orang_asing(user("kaban"), year=2025) == []
    assert register_orang_asing(user("kabid_poldagri")) == []
    client = login_as("kabid_iwk")
    assert "Chen Wei" in client.get("/app/laporan/register-orang-asing/").content.decode()
    table = xlsx_rows(client.get("/app/laporan/register-orang-asing/?format=xlsx&tahun=2026"))
    assert table[0][0] == "Register Orang Asing"
    assert any(
        r[:5] == (doc.name, 2026, "Chen Wei", "Republik Rakyat Tiongkok", "EG4417825") for r in map(tuple, table)
    )
    assert not any(
        "Chen Wei" in map(str, r)
        for r in xlsx_rows(login_as("kabid_kbk").get("/app/laporan/register-orang-asing/?format=xlsx"))
    )


def test_rekap_pemilu_per_kelurahan(login_as):
    from apps.laporan.selectors import rekap_pemilu
    from tests.bakesbangpol.monev.helpers import pemilu, tps

    doc = pemilu(
        2024,
        [tps("TPS 001", "Kepel", 280, 231), tps("TPS 012", "Trajeng", 290, 238, kecamatan="Panggungrejo")],
        until="Rekapitulasi",
    )
    rows = rekap_pemilu(user("kaban"), year=2024)
    kepel = next(r for r in rows if r["kelurahan"] == "Kepel")
    trajeng = next(r for r in rows if r["kelurahan"] == "Trajeng")
    assert (kepel["penduduk"], kepel["dps"], kepel["tps"], kepel["tps_diamati"], kepel["dpt"]) == (
        5000,
        3900,
        14,
        1,
        280,
    )
    assert kepel["partisipasi"] == Decimal("82.50")
    assert (trajeng["kecamatan"], trajeng["penduduk"], trajeng["pengguna"]) == ("Panggungrejo", 0, 238)
    assert rekap_pemilu(user("kabid_iwk")) == []
    table = xlsx_rows(login_as("kabid_poldagri").get("/app/laporan/rekap-pemilu/?format=xlsx&tahun=2024"))
    assert any(r and r[0] == doc.name and r[4] == "Kepel" and r[10] == 280 and r[14] == 82.5 for r in table)
    assert login_as("kabid_poldagri").get("/app/laporan/rekap-pemilu/").status_code == 200
