"""Shared steps of the P5 (Pembinaan) tests: applications built through the
real services, attachments, and the ``refused`` check."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.bakesbangpol.konflik.models import HibahKewaspadaan
from apps.bakesbangpol.pembinaan.demo import demo_parpol
from apps.bakesbangpol.pembinaan.models import HibahOrmas, Parpol
from apps.bakesbangpol.pembinaan.services import pencairan_banpol_ajukan, permohonan_banpol_ajukan
from apps.docflow import registry
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.models import WorkflowLog
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import pdf_upload, user

TAHUN = timezone.localdate().year
TANGGAL_SURAT = datetime.date(TAHUN, 1, 15)


def bukti(by="staf_poldagri", name="bukti.pdf"):
    return file_create(uploaded=pdf_upload(name), user=user(by))


def apply(doc, action, as_, **kwargs):
    return apply_action(doc=doc, action=action, user=user(as_), **kwargs)


def edit(doc, as_, **data):
    """Fill fields through the workflow's editing rule (allow_edit)."""
    return document_update(doc=doc, user=user(as_), data=data)


def logs_of(doc):
    return WorkflowLog.objects.filter(doctype=registry.for_model(doc).doctype, document_id=doc.pk)


def refused(doc, action, as_, error, **kwargs):
    """The action is refused with ``error`` and leaves state and log unchanged."""
    before = (doc.workflow_state, doc.state_seq)
    count = logs_of(doc).count()
    with pytest.raises(error):
        apply(doc, action, as_, **kwargs)
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.state_seq) == before
    assert logs_of(doc).count() == count


def parpol(singkatan="PKB") -> Parpol:
    demo_parpol()
    return Parpol.objects.get(singkatan=singkatan)


def ajukan(singkatan="PKB", tahun=TAHUN, by="staf_poldagri"):
    return permohonan_banpol_ajukan(
        parpol=parpol(singkatan),
        tahun=tahun,
        nomor_surat=f"01/DPC-{singkatan}/{tahun}",
        tanggal_surat=TANGGAL_SURAT,
        user=user(by),
    )


def ke_tapd(doc):
    """Diajukan -> Diterima Tim Verifikasi -> Verifikasi Berkas TAPD (steps 1-3)."""
    doc = apply(doc, "Teruskan ke Tim Verifikasi", "staf_poldagri").doc
    assert doc.workflow_state == "Diterima Tim Verifikasi"
    doc = apply(doc, "Kirim ke TAPD", "timver1").doc
    assert doc.workflow_state == "Verifikasi Berkas TAPD"
    return doc


def hasil_tapd(doc):
    return edit(
        doc,
        "staf_poldagri",
        hasil_verifikasi_tapd="Berkas lengkap dan sah.",
        rekomendasi_tapd="Direkomendasikan sesuai perolehan suara sah.",
    )


def sampai_keputusan_tim(doc):
    """Up to the Tim Verifikasi's decision (step 5), TAPD reporting itself (step 4)."""
    doc = hasil_tapd(ke_tapd(doc))
    doc = apply(doc, "Laporkan Hasil Verifikasi dan Rekomendasi", "tapd").doc
    assert doc.workflow_state == "Verifikasi Tim"
    return doc


def verifikasi_tim(doc):
    """Up to and through the team's quorum: the party passed (Berita Acara issued)."""
    doc = sampai_keputusan_tim(doc)
    result = None
    for member in ("timver1", "timver2", "timver3"):
        result = apply(doc, "Setujui Verifikasi", member)
        doc = result.doc
    assert doc.workflow_state == "Pengajuan ke Wali Kota"
    return result


def anggarkan(doc):
    """From Diajukan to Dianggarkan along the reference path (TAPD and the Wali Kota acting themselves)."""
    if doc.workflow_state == "Diajukan":
        doc = verifikasi_tim(doc).doc
    doc = edit(
        doc,
        "staf_poldagri",
        nomor_surat_pengajuan_wali_kota=f"05/DPC/{doc.tahun_anggaran}",
        tanggal_surat_pengajuan_wali_kota=datetime.date(doc.tahun_anggaran, 1, 20),
    )
    doc = apply(doc, "Catat Pengajuan Parpol ke Wali Kota", "staf_poldagri", attachments=[bukti()]).doc
    doc = apply(doc, "Teruskan ke TAPD untuk Penganggaran", "walikota").doc
    doc = edit(
        doc,
        "staf_poldagri",
        nomor_dokumen_anggaran=f"DPA/1.05.0.00/{doc.tahun_anggaran}",
        tanggal_penetapan_anggaran=datetime.date(doc.tahun_anggaran, 2, 1),
    )
    doc = apply(doc, "Tetapkan dalam Anggaran", "tapd").doc
    assert doc.workflow_state == "Dianggarkan"
    return doc


def ajukan_pencairan(permohonan, by="staf_poldagri"):
    return pencairan_banpol_ajukan(
        permohonan=permohonan,
        nomor_surat=f"02/DPC-{permohonan.parpol.singkatan}/{permohonan.tahun_anggaran}",
        tanggal_surat=TANGGAL_SURAT,
        user=user(by),
    )


def siap_transfer(pencairan):
    """From Diajukan ke Wali Kota to Menunggu Transfer with the transfer recorded."""
    doc = apply(pencairan, "Teruskan ke Tim Verifikasi", "staf_poldagri", attachments=[bukti()]).doc
    doc = apply(doc, "Permohonan Lengkap", "timver2").doc
    assert doc.workflow_state == "Menunggu Transfer"
    return edit(
        doc,
        "bendahara",
        tanggal_transfer=datetime.date(doc.tahun_anggaran, 3, 10),
        jumlah_transfer=doc.jumlah,
        referensi_transfer=f"SP2D-{doc.tahun_anggaran}-0042",
    )


def transfer(pencairan, capture):
    """Transfer a disbursement; the monev listener runs after commit."""
    doc = siap_transfer(pencairan)
    with capture(execute=True):
        result = apply(doc, "Catat Transfer", "bendahara", attachments=[bukti("bendahara")])
    assert result.doc.workflow_state == "Ditransfer"
    return result.doc


def dicairkan(singkatan, tahun, capture):
    permohonan = anggarkan(ajukan(singkatan, tahun))
    return transfer(ajukan_pencairan(permohonan), capture)


def proposal_ormas(**overrides):
    data = {
        "nama_ormas": "Paguyuban Seni Budaya Untung Suropati",
        "ketua": "H. Abdul Karim",
        "alamat": "Jl. Pahlawan No. 12, Pasuruan",
        "judul_proposal": "Festival Budaya Kebangsaan",
        "tahun_anggaran": TAHUN,
        "jumlah_diajukan": Decimal("25000000"),
        "nama_bank": "Bank Jatim",
        "nomor_rekening": "0012345678",
    }
    data.update(overrides)
    return document_create(model=HibahOrmas, user=user("staf_kbk"), data=data)


def proposal_kewaspadaan(**overrides):
    data = {
        "pemohon": "Kodim 0819/Pasuruan",
        "pimpinan": "Letkol Inf. Bambang Sutrisno",
        "judul_proposal": "Pengadaan sarana deteksi dini kerawanan wilayah",
        "tahun_anggaran": TAHUN,
        "jumlah_diajukan": Decimal("150000000"),
    }
    data.update(overrides)
    return document_create(model=HibahKewaspadaan, user=user("staf_iwk"), data=data)


def terima_lpj(monev):
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_poldagri", ConditionNotMet, attachments=[bukti()])
    monev = edit(monev, "staf_poldagri", tanggal_konfirmasi=datetime.date(TAHUN - 1, 3, 12))
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_poldagri", AttachmentRequired)
    refused(monev, "Catat Konfirmasi Penerimaan", "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    monev = apply(monev, "Catat Konfirmasi Penerimaan", "staf_poldagri", attachments=[bukti()]).doc
    assert monev.workflow_state == "Menunggu LPJ"

    refused(monev, "Terima Berkas LPJ", "staf_poldagri", ConditionNotMet, attachments=[bukti()])
    monev = edit(
        monev,
        "staf_poldagri",
        tanggal_lpj=datetime.date(TAHUN, 1, 20),
        jumlah_digunakan=Decimal("151875000.00"),
    )
    refused(monev, "Terima Berkas LPJ", "staf_poldagri", AttachmentRequired)
    monev = apply(monev, "Terima Berkas LPJ", "staf_poldagri", attachments=[bukti()]).doc
    assert monev.workflow_state == "Verifikasi LPJ"

    refused(monev, "Kembalikan LPJ", "kabid_poldagri", CommentRequired)
    refused(monev, "Kembalikan LPJ", "kabid_kbk", OutsideUnitScope, comment="x")
    result = apply(monev, "Kembalikan LPJ", "kabid_poldagri", comment="Bukti belanja pendidikan politik kurang.")
    assert result.doc.workflow_state == "Menunggu LPJ" and result.log.comment
    assert result.doc.pencairan.lpj_diterima is False
    monev = apply(result.doc, "Terima Berkas LPJ", "staf_poldagri", attachments=[bukti()]).doc

    refused(monev, "Terima LPJ", "kabid_poldagri", ConditionNotMet)
    monev = edit(monev, "staf_poldagri", hasil_verifikasi="Lengkap dan sesuai RAB.")
    refused(monev, "Terima LPJ", "staf_poldagri", RoleNotAllowed)
    monev = apply(monev, "Terima LPJ", "kabid_poldagri").doc
    assert monev.workflow_state == "Monitoring"
    return monev
