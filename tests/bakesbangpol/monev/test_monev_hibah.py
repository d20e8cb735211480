"""P7.3 Monev Hibah: a disbursed Hibah Ormas/LSM (P5.6.2) or Hibah
Kewaspadaan (P6.3) opens its monitoring as a Banpol transfer does; recipient
and amount come from the grant; the report on the use of the grant is
verified (returned with a reason), and the Kepala Bidang signs the numbered
Hasil Monev Hibah (read back)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from apps.bakesbangpol.monev.doctypes import HibahBelumDicairkan, SatuHibah
from apps.bakesbangpol.monev.models import MonevHibah
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.services.workflow import document_create
from tests.bakesbangpol.pembinaan.helpers import (
    TAHUN,
    apply,
    bukti,
    edit,
    proposal_kewaspadaan,
    proposal_ormas,
    refused,
)
from tests.conftest import pdf_text, user


def ormas_dicairkan(capture, **overrides):
    doc = proposal_ormas(**overrides)
    doc = apply(doc, "Proposal Layak", "staf_kbk").doc
    doc = apply(doc, "Kirim Nota Dinas ke Wali Kota", "kaban").doc
    doc = edit(doc, "staf_kbk", pagu_disetujui=Decimal("20000000"), nomor_keputusan_wali_kota="188.45/1")
    doc = apply(doc, "Catat Persetujuan Wali Kota", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    doc = apply(doc, "Terbitkan Pemberitahuan Pagu", "kaban").doc
    doc = apply(doc, "Terima Usulan Pencairan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    doc = edit(
        doc,
        "staf_kbk",
        tanggal_usulan_pencairan=datetime.date(TAHUN, 5, 2),
        nomor_nphd="900/NPHD/1",
        tanggal_nphd=datetime.date(TAHUN, 5, 5),
    )
    doc = apply(doc, "Serahkan ke Bagian Keuangan", "kabid_kbk").doc
    doc = edit(
        doc,
        "keuangan",
        tanggal_transfer=datetime.date(TAHUN, 6, 2),
        jumlah_transfer=Decimal("20000000"),
        referensi_transfer="SP2D-1",
    )
    with capture(execute=True):
        doc = apply(doc, "Catat Transfer", "keuangan", attachments=[bukti("keuangan")]).doc
    assert doc.workflow_state == "Dicairkan"
    return doc


def kewaspadaan_dicairkan(capture):
    Group.objects.get(name="Tim Verifikasi Hibah").user_set.add(user("kewaspadaan1"))
    doc = proposal_kewaspadaan()
    doc = apply(doc, "Catat Disposisi Wali Kota", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    doc = apply(doc, "Disposisi ke Tim Verifikasi Hibah", "kaban").doc
    doc = edit(doc, "staf_iwk", jumlah_direkomendasikan=Decimal("125000000"), pertimbangan="Sesuai kebutuhan.")
    apply(doc, "Rekomendasikan", "timhibah1")
    doc = apply(doc, "Rekomendasikan", "kewaspadaan1").doc
    doc = apply(doc, "Tandatangani Rekomendasi", "kaban").doc
    doc = apply(doc, "Rekap ke RKPD", "tapd").doc
    doc = edit(doc, "staf_iwk", pagu_disetujui=Decimal("120000000"))
    doc = apply(doc, "Catat Persetujuan Wali Kota", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    doc = edit(doc, "staf_iwk", nomor_rka=f"RKA-IWK-{TAHUN}-05")
    doc = apply(doc, "RKA Disusun", "staf_iwk").doc
    doc = edit(doc, "staf_iwk", jumlah_disesuaikan=Decimal("118500000"))
    doc = apply(doc, "Proposal Disesuaikan", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    doc = edit(
        doc,
        "bendahara",
        tanggal_transfer=datetime.date(TAHUN, 8, 1),
        jumlah_transfer=Decimal("118500000"),
        referensi_transfer="SP2D-KEW-1",
    )
    with capture(execute=True):
        doc = apply(doc, "Catat Pencairan", "bendahara", attachments=[bukti("bendahara")]).doc
    assert doc.workflow_state == "Dicairkan"
    return doc


def test_disbursed_ormas_grant_is_monitored_and_the_result_signed(django_capture_on_commit_callbacks):
    hibah = ormas_dicairkan(django_capture_on_commit_callbacks)
    monev = MonevHibah.objects.get(hibah_ormas=hibah)
    assert monev.workflow_state == "Menunggu Konfirmasi Penerimaan"
    assert (monev.penerima, monev.jumlah_diterima, monev.unit_id) == (
        "Paguyuban Seni Budaya Untung Suropati",
        Decimal("20000000.00"),
        hibah.unit_id,
    )
    assert monev.jenis_hibah == MonevHibah.Jenis.ORMAS and monev.tanggal_pencairan == datetime.date(TAHUN, 6, 2)

    refused(monev, "Catat Konfirmasi Penerimaan", "staf_kbk", ConditionNotMet, attachments=[bukti("staf_kbk")])
    monev = edit(monev, "staf_kbk", tanggal_konfirmasi=datetime.date(TAHUN, 6, 5))
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_kbk", AttachmentRequired)
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_poldagri", OutsideUnitScope, attachments=[bukti()])
    monev = apply(monev, "Catat Konfirmasi Penerimaan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc

    monev = edit(monev, "staf_kbk", tanggal_lpj=datetime.date(TAHUN, 9, 1), jumlah_digunakan=Decimal("19500000"))
    monev = apply(monev, "Terima Laporan Penggunaan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    assert monev.workflow_state == "Verifikasi Laporan"
    refused(monev, "Kembalikan Laporan", "kabid_kbk", CommentRequired)
    monev = apply(monev, "Kembalikan Laporan", "kabid_kbk", comment="Kuitansi konsumsi belum ada.").doc
    assert monev.workflow_state == "Menunggu Laporan Penggunaan"
    monev = apply(monev, "Terima Laporan Penggunaan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    refused(monev, "Terima Laporan", "kabid_kbk", ConditionNotMet)
    monev = edit(monev, "staf_kbk", hasil_verifikasi="Penggunaan sesuai RAB; sisa Rp500.000 disetor ke kas daerah.")
    refused(monev, "Terima Laporan", "staf_kbk", RoleNotAllowed)
    refused(monev, "Terima Laporan", "kabid_poldagri", OutsideUnitScope)
    monev = apply(monev, "Terima Laporan", "kabid_kbk").doc
    assert monev.workflow_state == "Monitoring"

    monev = edit(
        monev,
        "staf_kbk",
        hasil_monitoring="Festival terlaksana dengan 600 pengunjung; 12 UMKM ikut berjualan.",
        rekomendasi="Layak dipertimbangkan untuk hibah tahun berikutnya.",
    )
    monev = apply(monev, "Catat Hasil Monitoring", "staf_kbk").doc
    assert monev.workflow_state == "Pengesahan Hasil Monev"
    monev = apply(monev, "Perbaiki Hasil Monitoring", "kabid_kbk", comment="Sebutkan jumlah UMKM.").doc
    monev = apply(monev, "Catat Hasil Monitoring", "staf_kbk").doc
    result = apply(monev, "Sahkan Hasil Monev", "kabid_kbk")
    assert result.doc.workflow_state == "Selesai" and result.doc.docstatus == 1
    issued = result.issued
    assert issued.title == "Hasil Monev Hibah" and issued.number.startswith("900/")
    text = " ".join(pdf_text(issued.file.read()).split())
    assert issued.number in text
    assert "HIBAH ORMAS/LSM" in text and "Paguyuban Seni Budaya Untung Suropati" in text and hibah.name in text
    assert "Rp20.000.000" in text and "Dua puluh juta rupiah" in text
    assert "Rp19.500.000" in text and "Sembilan belas juta lima ratus ribu rupiah" in text
    assert "Rp500.000" in text  # sisa
    assert f"2 Juni {TAHUN}" in text and f"1 September {TAHUN}" in text
    assert "12 UMKM" in text and "Agus Prasetyo, S.H., M.H." in text


def test_disbursed_security_grant_is_monitored_by_its_unit(django_capture_on_commit_callbacks):
    hibah = kewaspadaan_dicairkan(django_capture_on_commit_callbacks)
    monev = MonevHibah.objects.get(hibah_kewaspadaan=hibah)
    assert monev.jenis_hibah == MonevHibah.Jenis.KEWASPADAAN
    assert (monev.penerima, monev.jumlah_diterima) == ("Kodim 0819/Pasuruan", Decimal("118500000.00"))
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    monev = edit(monev, "staf_iwk", tanggal_konfirmasi=datetime.date(TAHUN, 8, 3))
    monev = apply(monev, "Catat Konfirmasi Penerimaan", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    assert monev.workflow_state == "Menunggu Laporan Penggunaan"


def test_only_one_disbursed_grant(django_capture_on_commit_callbacks):
    belum = proposal_ormas(nama_ormas="LSM Belum Cair")
    with pytest.raises(HibahBelumDicairkan):
        document_create(model=MonevHibah, user=user("staf_kbk"), data={"hibah_ormas": belum})
    with pytest.raises(SatuHibah):
        document_create(model=MonevHibah, user=user("staf_kbk"), data={})
    hibah = ormas_dicairkan(django_capture_on_commit_callbacks, nama_ormas="LSM Sekali Monev")
    assert MonevHibah.objects.filter(hibah_ormas=hibah).count() == 1
