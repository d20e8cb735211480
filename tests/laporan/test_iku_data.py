"""IKU realisation computed from the documents, the hand-entered override with
evidence, and the drill-down to exactly the documents counted."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from apps.docflow.services.files import file_create
from apps.laporan.iku import DIHITUNG, PEMBANDING, terhitung
from apps.laporan.models import Indikator
from apps.laporan.selectors import iku_table
from apps.laporan.services import realisasi_iku_catat
from tests.bakesbangpol.monev.helpers import pemilu, pengawasan_ormas, tps
from tests.conftest import advance_skt, make_skt, pdf_upload, user

pytestmark = pytest.mark.engine
JKT = ZoneInfo("Asia/Jakarta")


def _cell(urutan, year, who=None):
    row = next(r for r in iku_table([year], user(who) if who else None) if r["indikator"].urutan == urutan)
    return row["cells"][0]


def test_voter_participation_from_the_recaps_sent_and_the_override_wins(login_as):
    sent = pemilu(2024, [tps("TPS 001", "Kepel", 280, 231), tps("TPS 012", "Trajeng", 290, 238)], nama="Pemilu 2024")
    pemilu(2024, [tps("TPS 003", "Kepel", 300, 100)], nama="Belum dikirim", until="Rekapitulasi")
    pemilu(2023, [tps("TPS 003", "Kepel", 300, 250)], nama="Tahun lain")

    cell = _cell(3, 2024, "kaban")
    assert cell["terhitung"].nilai == Decimal("82.28")  # 469 / 570, the recap sent only
    assert (cell["nilai"], cell["override"], cell["capaian"]) == (Decimal("82.28"), False, Decimal("96.8"))
    assert [d.name for d in cell["terhitung"].dokumen] == [sent.name]
    assert _cell(3, 2024, "kabid_iwk")["terhitung"] is None  # sees none of them

    page = login_as("kaban").get("/app/laporan/iku/3/2024/").content.decode()
    assert sent.name in page and "Belum dikirim" not in page and "Tahun lain" not in page

    bukti = file_create(uploaded=pdf_upload("rekap-kpu.pdf"), user=user("perencana"))
    indikator = Indikator.objects.get(urutan=3)
    realisasi_iku_catat(indikator=indikator, tahun=2024, nilai=Decimal("80.5"), user=user("perencana"), bukti=bukti)
    cell = _cell(3, 2024, "kaban")
    assert (cell["nilai"], cell["override"], cell["terhitung"].nilai) == (Decimal("80.5"), True, Decimal("82.28"))
    text = login_as("kaban").get("/app/laporan/iku/").content.decode()
    assert "input manual" in text and "82,28" in text


def test_active_ormas_growth_from_skt_and_supervision():
    with time_machine.travel(datetime.datetime(2025, 5, 5, 9, tzinfo=JKT), tick=False):
        skt = advance_skt(make_skt(nama_ormas="Ormas Terdaftar"), "SKT Terbit")
    aktif = pengawasan_ormas("Laskar Pemuda Peduli", 2026)
    tidur = pengawasan_ormas("Paguyuban Tidur", 2026, status_aktif="Tidak aktif")
    pengawasan_ormas("Belum Selesai", 2026, until="Survei Lokasi")

    result = terhitung(2, 2026, user("kaban"))
    assert result.nilai == Decimal("100.00")  # 2 active in 2026 against 1 in 2025
    counted = {(d.name, d.peran) for d in result.dihitung}
    assert counted == {(skt.name, DIHITUNG), (aktif.name, DIHITUNG), (tidur.name, DIHITUNG), (skt.name, PEMBANDING)}
    assert terhitung(2, 2026, user("kabid_poldagri")) is None


def test_conflict_reduction_without_the_conflict_processes_is_not_computed(login_as):
    from apps.laporan.selectors import data_doctype

    if data_doctype("Penanganan Konflik") is not None:
        pytest.skip("P6.1 is defined: its own tests cover IKU 4")
    assert terhitung(4, 2026) is None
    assert _cell(4, 2026)["nilai"] is None
    assert login_as("kaban").get("/app/laporan/iku/4/2026/").status_code == 200
