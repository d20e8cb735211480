"""P6.3 Hibah Kewaspadaan (TNI/Polri): dispositions, the Tim Verifikasi Hibah
(quorum 2), the signed recommendation, TAPD/RKPD, the Wali Kota's approval,
RKA, adjustment and disbursement."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from apps.docflow.exceptions import (
    AlreadyVoted,
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.services.workflow import available_actions
from tests.conftest import pdf_text, user

from .helpers import TAHUN, apply, bukti, edit, proposal_kewaspadaan, refused


@pytest.fixture(autouse=True)
def second_member():
    Group.objects.get(name="Tim Verifikasi Hibah").user_set.add(user("kewaspadaan1"))


def to_verification(doc):
    doc = apply(doc, "Catat Disposisi Wali Kota", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    return apply(doc, "Disposisi ke Tim Verifikasi Hibah", "kaban").doc


def to_tapd(doc):
    doc = to_verification(doc)
    doc = edit(doc, "staf_iwk", jumlah_direkomendasikan=Decimal("125000000"), pertimbangan="Sesuai kebutuhan.")
    apply(doc, "Rekomendasikan", "timhibah1")
    doc = apply(doc, "Rekomendasikan", "kewaspadaan1").doc
    return apply(doc, "Tandatangani Rekomendasi", "kaban").doc


def test_full_path():
    doc = proposal_kewaspadaan()
    assert doc.workflow_state == "Proposal Diterima"
    refused(doc, "Catat Disposisi Wali Kota", "staf_iwk", AttachmentRequired)
    refused(doc, "Catat Disposisi Wali Kota", "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    result = apply(doc, "Catat Disposisi Wali Kota", "staf_iwk", attachments=[bukti("staf_iwk")])
    assert result.doc.workflow_state == "Disposisi Kepala Badan" and result.log.on_behalf_of == "Wali Kota"
    doc = result.doc
    refused(doc, "Disposisi ke Tim Verifikasi Hibah", "kabid_iwk", RoleNotAllowed)
    doc = apply(doc, "Disposisi ke Tim Verifikasi Hibah", "kaban").doc
    assert doc.workflow_state == "Verifikasi Tim Hibah"

    refused(doc, "Kembalikan ke Pemohon", "timhibah1", CommentRequired)
    refused(doc, "Kembalikan ke Pemohon", "staf_iwk", RoleNotAllowed, comment="x")
    doc = apply(doc, "Kembalikan ke Pemohon", "timhibah1", comment="Spesifikasi barang belum ada.").doc
    assert doc.workflow_state == "Dikembalikan ke Pemohon"
    refused(doc, "Terima Perbaikan", "staf_iwk", AttachmentRequired)
    doc = apply(doc, "Terima Perbaikan", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    assert doc.workflow_state == "Verifikasi Tim Hibah"

    refused(doc, "Rekomendasikan", "timhibah1", ConditionNotMet)
    doc = edit(doc, "staf_iwk", jumlah_direkomendasikan=Decimal("125000000"))
    refused(doc, "Rekomendasikan", "timhibah1", ConditionNotMet)
    doc = edit(doc, "staf_iwk", pertimbangan="Kebutuhan sarana sesuai peta kerawanan; harga disesuaikan SSH.")
    refused(doc, "Rekomendasikan", "staf_iwk", RoleNotAllowed)
    first = apply(doc, "Rekomendasikan", "timhibah1")
    assert (first.applied, first.votes, first.quorum) == (False, 1, 2)
    assert first.doc.workflow_state == "Verifikasi Tim Hibah"
    refused(doc, "Rekomendasikan", "timhibah1", AlreadyVoted)
    second = apply(doc, "Rekomendasikan", "kewaspadaan1")
    assert (second.applied, second.votes) == (True, 2)
    doc = second.doc
    assert doc.workflow_state == "Menunggu Tanda Tangan Rekomendasi"

    refused(doc, "Tandatangani Rekomendasi", "kabid_iwk", RoleNotAllowed)
    result = apply(doc, "Tandatangani Rekomendasi", "kaban")
    doc = result.doc
    assert doc.workflow_state == "TAPD dan RKPD" and doc.number
    assert result.issued.title == "Rekomendasi Hibah Kewaspadaan"
    text = " ".join(pdf_text(result.issued.file.read()).split())
    assert "Kodim 0819/Pasuruan" in text
    assert "Rp150.000.000" in text and "seratus lima puluh juta rupiah" in text.lower()
    assert "Rp125.000.000" in text and "seratus dua puluh lima juta rupiah" in text.lower()
    assert "Drs. Hadi Santoso" in text
    assert "Eko Saputro" in text and "Teguh Santosa" in text
    assert doc.number in text

    refused(doc, "Rekap ke RKPD", "staf_iwk", RoleNotAllowed)
    result = apply(doc, "Rekap ke RKPD", "tapd")
    assert result.doc.workflow_state == "Persetujuan Wali Kota" and result.log.role == "TAPD"
    doc = result.doc

    refused(doc, "Catat Persetujuan Wali Kota", "staf_iwk", ConditionNotMet, attachments=[bukti("staf_iwk")])
    doc = edit(doc, "staf_iwk", pagu_disetujui=Decimal("120000000"))
    refused(doc, "Catat Persetujuan Wali Kota", "staf_iwk", AttachmentRequired)
    result = apply(doc, "Catat Persetujuan Wali Kota", "staf_iwk", attachments=[bukti("staf_iwk")])
    assert result.doc.workflow_state == "Penyusunan RKA" and result.log.on_behalf_of == "Wali Kota"
    doc = result.doc

    refused(doc, "RKA Disusun", "staf_iwk", ConditionNotMet)
    doc = edit(doc, "staf_iwk", nomor_rka=f"RKA-IWK-{TAHUN}-05")
    doc = apply(doc, "RKA Disusun", "staf_iwk").doc
    assert doc.workflow_state == "Penyesuaian Proposal"

    doc = edit(doc, "staf_iwk", jumlah_disesuaikan=Decimal("120000000.01"))
    refused(doc, "Proposal Disesuaikan", "staf_iwk", ConditionNotMet, attachments=[bukti("staf_iwk")])
    doc = edit(doc, "staf_iwk", jumlah_disesuaikan=Decimal("118500000"))
    refused(doc, "Proposal Disesuaikan", "staf_iwk", AttachmentRequired)
    doc = apply(doc, "Proposal Disesuaikan", "staf_iwk", attachments=[bukti("staf_iwk")]).doc
    assert doc.workflow_state == "Pencairan"

    doc = edit(
        doc,
        "bendahara",
        tanggal_transfer=datetime.date(TAHUN, 8, 5),
        jumlah_transfer=Decimal("118500000.01"),
        referensi_transfer="SP2D-KEW-0003",
    )
    refused(doc, "Catat Pencairan", "bendahara", ConditionNotMet, attachments=[bukti("bendahara")])
    doc = edit(doc, "bendahara", jumlah_transfer=Decimal("118500000"))
    refused(doc, "Catat Pencairan", "bendahara", AttachmentRequired)
    refused(doc, "Catat Pencairan", "staf_iwk", RoleNotAllowed, attachments=[bukti("staf_iwk")])
    doc = apply(doc, "Catat Pencairan", "bendahara", attachments=[bukti("bendahara")]).doc
    assert doc.workflow_state == "Dicairkan"
    doc.refresh_from_db()
    assert isinstance(doc.jumlah_transfer, Decimal) and doc.jumlah_transfer == Decimal("118500000.00")


def test_staff_records_tapd_on_its_behalf_and_the_wali_kota_may_refuse():
    doc = to_tapd(proposal_kewaspadaan(pemohon="Polres Pasuruan Kota", pimpinan="AKBP Dwi Prasetyo"))
    assert doc.workflow_state == "TAPD dan RKPD"
    refused(doc, "Catat Rekap TAPD ke RKPD", "staf_iwk", AttachmentRequired)
    refused(doc, "Catat Rekap TAPD ke RKPD", "staf_poldagri", OutsideUnitScope, attachments=[bukti()])
    result = apply(doc, "Catat Rekap TAPD ke RKPD", "staf_iwk", attachments=[bukti("staf_iwk")])
    assert result.doc.workflow_state == "Persetujuan Wali Kota" and result.log.on_behalf_of == "TAPD"
    doc = result.doc
    refused(doc, "Catat Penolakan Wali Kota", "staf_iwk", CommentRequired, attachments=[bukti("staf_iwk")])
    result = apply(
        doc, "Catat Penolakan Wali Kota", "staf_iwk", comment="Tidak ada pagu.", attachments=[bukti("staf_iwk")]
    )
    assert result.doc.workflow_state == "Tidak Disetujui"
    assert available_actions(result.doc, user("staf_iwk")) == []


def test_head_may_send_the_recommendation_back_to_the_team():
    doc = to_verification(proposal_kewaspadaan())
    doc = edit(doc, "staf_iwk", jumlah_direkomendasikan=Decimal("100000000"), pertimbangan="Cukup.")
    apply(doc, "Rekomendasikan", "timhibah1")
    doc = apply(doc, "Rekomendasikan", "kewaspadaan1").doc
    refused(doc, "Kembalikan ke Tim", "kaban", CommentRequired)
    doc = apply(doc, "Kembalikan ke Tim", "kaban", comment="Pertimbangan kurang rinci.").doc
    assert doc.workflow_state == "Verifikasi Tim Hibah"
    # the earlier votes do not count for the new round
    offered = [a for a in available_actions(doc, user("timhibah1")) if a.action == "Rekomendasikan"]
    assert [(a.votes, a.quorum) for a in offered] == [(0, 2)]
    assert apply(doc, "Rekomendasikan", "timhibah1").applied is False


def test_recommendation_lists_only_the_members_of_the_last_round():
    doc = to_verification(proposal_kewaspadaan())
    doc = edit(doc, "staf_iwk", jumlah_direkomendasikan=Decimal("100000000"), pertimbangan="Cukup.")
    apply(doc, "Rekomendasikan", "timhibah1")
    doc = apply(doc, "Rekomendasikan", "kewaspadaan1").doc
    doc = apply(doc, "Kembalikan ke Tim", "kaban", comment="Pertimbangan kurang rinci.").doc
    doc = edit(doc, "staf_iwk", pertimbangan="Sesuai peta kerawanan dan standar harga satuan.")
    apply(doc, "Rekomendasikan", "timhibah1")
    doc = apply(doc, "Rekomendasikan", "kewaspadaan1").doc
    issued = apply(doc, "Tandatangani Rekomendasi", "kaban").issued
    text = " ".join(pdf_text(issued.file.read()).split())
    assert text.count("Eko Saputro") == 1, text
    assert text.count("Teguh Santosa") == 1, text
