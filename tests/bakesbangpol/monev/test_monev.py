"""P7 rules that data cannot express (monev/hooks.py) and the SK condition of P7.1."""

import pytest
from django.core.exceptions import ValidationError

from apps.bakesbangpol.umum.models import SuratKeputusan
from apps.docflow.exceptions import ConditionNotMet
from apps.docflow.services.workflow import apply_action, document_create
from tests.bakesbangpol.monev.helpers import edit, model, pemantauan_orang_asing, pemilu, tps
from tests.conftest import user


def _rows(doc, table):
    from apps.docflow import registry

    child = registry.for_model(doc).children[table]
    return list(child._default_manager.filter(parent=doc).order_by("idx"))


def test_recap_totals_participation_and_the_observer_of_each_row():
    doc = pemilu(2024, [], until="Pengamatan Penghitungan Suara")
    assert (doc.total_penduduk, doc.total_dps, doc.total_tps, doc.jumlah_petugas) == (5000, 3900, 14, 1)
    doc = edit(doc, "pemantau1", hasil_pengamatan=[tps("TPS 001", "Kepel", 280, 231, tidak_sah=7)])
    doc = edit(
        doc,
        "pemantau2",
        hasil_pengamatan=[
            tps("TPS 001", "Kepel", 280, 231, tidak_sah=7),
            tps("TPS 012", "Trajeng", 290, 238, kecamatan="Panggungrejo", tidak_sah=8),
        ],
    )
    assert (doc.jumlah_tps_diamati, doc.total_dpt, doc.total_pengguna_hak_pilih) == (2, 570, 469)
    assert (doc.total_suara_sah, doc.total_suara_tidak_sah) == (454, 15)
    assert doc.partisipasi_persen == 82.28  # 469 / 570
    assert [r.pengamat.username for r in _rows(doc, "hasil_pengamatan")] == ["pemantau1", "pemantau2"]


def test_an_observation_with_more_voters_than_registered_is_refused():
    doc = pemilu(2024, [], until="Pengamatan Penghitungan Suara")
    with pytest.raises(ValidationError, match="melebihi DPT"):
        edit(doc, "pemantau1", hasil_pengamatan=[tps("TPS 001", "Kepel", 200, 231)])
    assert _rows(doc, "hasil_pengamatan") == []


def test_the_team_needs_an_sk_that_is_ditetapkan():
    sk = document_create(
        model=SuratKeputusan,
        user=user("staf_poldagri"),
        data={
            "tentang": "Tim Pengamat Pemilu",
            "menimbang": "bahwa perlu tim",
            "mengingat": "UU 7/2017",
            "menetapkan": "Keputusan tentang Tim Pengamat Pemilu",
        },
    )
    doc = pemilu(2024, [], until="Pembentukan Tim Pengamat", nomor_sk_tim="", tanggal_sk_tim=None, sk_tim=sk)
    with pytest.raises(ConditionNotMet):
        apply_action(doc=doc, action="Tugaskan Tim Pengamat", user=user("staf_poldagri"))
    SuratKeputusan.objects.filter(pk=sk.pk).update(workflow_state="Ditetapkan", docstatus=1)
    doc = apply_action(doc=doc, action="Tugaskan Tim Pengamat", user=user("staf_poldagri")).doc
    assert doc.workflow_state == "Pengamatan Penghitungan Suara"


def test_foreigners_team_and_passports():
    doc = pemantauan_orang_asing(
        2026,
        susunan_tim=[
            {"kedudukan": "Pengarah", "nama": "Drs. Hadi Santoso, M.Si."},
            {"kedudukan": "Ketua", "nama": "Lilik Maftuchah, S.Sos."},
        ],
    )
    assert (doc.jumlah_anggota_tim, doc.ketua_tim, doc.jumlah_orang_asing) == (2, "Lilik Maftuchah, S.Sos.", 2)
    with pytest.raises(ValidationError, match="sudah tercatat"):
        pemantauan_orang_asing(
            2026,
            rows=[
                {"nama": "A", "kebangsaan": "Jepang", "nomor_paspor": "TZ1", "tujuan": "Studi", "alamat": "Jl. A"},
                {"nama": "B", "kebangsaan": "Jepang", "nomor_paspor": "tz1", "tujuan": "Studi", "alamat": "Jl. B"},
            ],
        )


def test_kelurahan_report_counts_its_foreigners():
    doc = document_create(
        model=model("Laporan Orang Asing Kelurahan"),
        user=user("staf_iwk"),
        data={
            "kecamatan": "Gadingrejo",
            "kelurahan": "Karangketug",
            "orang_asing": [
                {"nama": "Chen Wei", "status": "Masih tinggal"},
                {"nama": "Li Jun", "status": "Baru datang"},
            ],
        },
    )
    assert doc.jumlah_orang_asing == 2


def test_kelurahan_reports_recur_by_auto_repeat():
    import datetime

    from apps.docflow.auto_repeat import run_now
    from apps.docflow.models import AutoRepeat

    template = document_create(
        model=model("Laporan Orang Asing Kelurahan"),
        user=user("staf_iwk"),
        data={"kecamatan": "Gadingrejo", "kelurahan": "Karangketug", "jabatan_pelapor": "Lurah"},
    )
    schedule = AutoRepeat.objects.create(
        reference_doctype="Laporan Orang Asing Kelurahan",
        reference_document=template.name,
        frequency=AutoRepeat.Frequency.MONTHLY,
        start_date=datetime.date(2026, 1, 1),
        run_as=user("staf_iwk"),
        period_field="periode",
        period_start_field="periode_mulai",
        period_end_field="periode_selesai",
    )
    run = run_now(schedule, user("staf_iwk"), today=datetime.date(2026, 3, 10))
    made = model("Laporan Orang Asing Kelurahan").objects.get(pk=run.document_id)
    assert (made.kelurahan, made.periode, made.workflow_state) == ("Karangketug", "Maret 2026", "Menunggu Laporan")
    assert (made.periode_mulai, made.periode_selesai) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
