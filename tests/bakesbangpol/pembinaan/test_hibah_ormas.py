"""P5.6.2 Hibah Ormas/LSM: proposal, verification, nota dinas to the Wali
Kota, the Wali Kota's decision recorded on his behalf, the pagu notice with
its own number, the proposal for disbursement, the division's disbursement
paperwork (Administrasi Pencairan Hibah, read back) and the transfer by the
Bagian Keuangan (Pengelola Keuangan)."""

import datetime
from decimal import Decimal

from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.models import IssuedDocument
from apps.docflow.services.workflow import available_actions
from tests.conftest import pdf_text, user

from .helpers import TAHUN, apply, bukti, edit, proposal_ormas, refused


def to_nota_dinas(doc):
    doc = apply(doc, "Proposal Layak", "staf_kbk").doc
    result = apply(doc, "Kirim Nota Dinas ke Wali Kota", "kaban")
    assert result.doc.workflow_state == "Menunggu Keputusan Wali Kota"
    return result


def administrasi(doc):
    return edit(
        doc,
        "staf_kbk",
        tanggal_usulan_pencairan=datetime.date(TAHUN, 5, 12),
        nomor_nphd=f"900/NPHD/07/{TAHUN}",
        tanggal_nphd=datetime.date(TAHUN, 5, 20),
    )


def flat(issued):
    return " ".join(pdf_text(issued.file.read()).split())


def test_full_path_with_nota_dinas_and_pagu_notice():
    doc = proposal_ormas()
    assert doc.workflow_state == "Proposal Diterima" and doc.jumlah_diajukan == Decimal("25000000.00")

    refused(doc, "Kembalikan ke Ormas", "staf_kbk", CommentRequired)
    refused(doc, "Kembalikan ke Ormas", "staf_poldagri", OutsideUnitScope, comment="x")
    doc = apply(doc, "Kembalikan ke Ormas", "staf_kbk", comment="RAB belum dirinci.").doc
    assert doc.workflow_state == "Dikembalikan ke Ormas"
    refused(doc, "Terima Perbaikan", "staf_iwk", OutsideUnitScope)
    doc = apply(doc, "Terima Perbaikan", "staf_kbk").doc
    assert doc.workflow_state == "Proposal Diterima"

    refused(doc, "Proposal Layak", "kabid_kbk", RoleNotAllowed)
    doc = apply(doc, "Proposal Layak", "staf_kbk").doc
    assert doc.workflow_state == "Menunggu Nota Dinas"
    refused(doc, "Kirim Nota Dinas ke Wali Kota", "staf_kbk", RoleNotAllowed)
    nota = apply(doc, "Kirim Nota Dinas ke Wali Kota", "kaban")
    doc = nota.doc
    assert doc.workflow_state == "Menunggu Keputusan Wali Kota"
    assert nota.issued.title == "Nota Dinas Hibah Ormas"
    assert nota.issued.number and nota.issued.number == doc.number
    text = flat(nota.issued)
    assert "Paguyuban Seni Budaya Untung Suropati" in text
    assert "Rp25.000.000" in text
    assert "dua puluh lima juta rupiah" in text.lower()
    assert "Drs. Hadi Santoso" in text
    assert nota.issued.number in text

    refused(doc, "Catat Persetujuan Wali Kota", "staf_kbk", ConditionNotMet, attachments=[bukti("staf_kbk")])
    doc = edit(doc, "staf_kbk", pagu_disetujui=Decimal("20000000"))
    refused(doc, "Catat Persetujuan Wali Kota", "staf_kbk", ConditionNotMet, attachments=[bukti("staf_kbk")])
    doc = edit(doc, "staf_kbk", nomor_keputusan_wali_kota="188.45/123/423.011/" + str(TAHUN))
    refused(doc, "Catat Persetujuan Wali Kota", "staf_kbk", AttachmentRequired)
    refused(doc, "Catat Persetujuan Wali Kota", "staf_poldagri", OutsideUnitScope, attachments=[bukti()])
    result = apply(doc, "Catat Persetujuan Wali Kota", "staf_kbk", attachments=[bukti("staf_kbk")])
    assert result.doc.workflow_state == "Menunggu Pemberitahuan"
    assert result.log.on_behalf_of == "Wali Kota"
    doc = result.doc

    refused(doc, "Terbitkan Pemberitahuan Pagu", "kabid_kbk", RoleNotAllowed)
    pagu = apply(doc, "Terbitkan Pemberitahuan Pagu", "kaban")
    doc = pagu.doc
    assert doc.workflow_state == "Menunggu Usulan Pencairan"
    assert pagu.issued.title == "Pemberitahuan Pagu Hibah"
    assert pagu.issued.number and pagu.issued.number != nota.issued.number
    assert doc.number == nota.issued.number  # the document keeps its first number
    assert pagu.issued.number.split("/")[0] == nota.issued.number.split("/")[0]  # same register
    text = flat(pagu.issued)
    assert pagu.issued.number in text and nota.issued.number not in text
    assert "Rp20.000.000" in text
    assert "dua puluh juta rupiah" in text.lower()
    assert "Paguyuban Seni Budaya Untung Suropati" in text
    assert set(
        IssuedDocument.objects.filter(doctype="Hibah Ormas", document_id=doc.pk).values_list("title", flat=True)
    ) == {"Nota Dinas Hibah Ormas", "Pemberitahuan Pagu Hibah"}

    refused(doc, "Terima Usulan Pencairan", "staf_kbk", AttachmentRequired)
    doc = apply(doc, "Terima Usulan Pencairan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    assert doc.workflow_state == "Administrasi Pencairan"

    # the division prepares the disbursement paperwork; its head hands it to the Bagian Keuangan
    refused(doc, "Serahkan ke Bagian Keuangan", "kabid_kbk", ConditionNotMet)
    doc = administrasi(doc)
    refused(doc, "Serahkan ke Bagian Keuangan", "staf_kbk", RoleNotAllowed)
    refused(doc, "Serahkan ke Bagian Keuangan", "kabid_poldagri", OutsideUnitScope)
    admin = apply(doc, "Serahkan ke Bagian Keuangan", "kabid_kbk")
    doc = admin.doc
    assert doc.workflow_state == "Pencairan oleh Bagian Keuangan"
    assert admin.issued.title == "Administrasi Pencairan Hibah"
    assert admin.issued.number not in (nota.issued.number, pagu.issued.number)
    text = flat(admin.issued)
    assert admin.issued.number in text
    assert "Paguyuban Seni Budaya Untung Suropati" in text and "H. Abdul Karim" in text
    assert "NPHD" in text and f"900/NPHD/07/{TAHUN}" in text
    assert f"12 Mei {TAHUN}" in text and f"20 Mei {TAHUN}" in text
    assert "Rp20.000.000" in text and "Dua puluh juta rupiah" in text
    assert "Agus Prasetyo, S.H., M.H." in text  # Kepala Bidang KBK signs

    # the Bagian Keuangan (Pengelola Keuangan) may send the paperwork back, with a reason
    refused(doc, "Kembalikan Administrasi", "keuangan", CommentRequired)
    doc = apply(doc, "Kembalikan Administrasi", "keuangan", comment="Kuitansi belum bermeterai.").doc
    assert doc.workflow_state == "Administrasi Pencairan"
    doc = apply(doc, "Serahkan ke Bagian Keuangan", "kabid_kbk").doc

    refused(doc, "Catat Transfer", "keuangan", ConditionNotMet, attachments=[bukti("keuangan")])
    doc = edit(
        doc,
        "keuangan",
        tanggal_transfer=datetime.date(TAHUN, 6, 2),
        jumlah_transfer=Decimal("20000000.01"),
        referensi_transfer="SP2D-HIBAH-0007",
    )
    refused(doc, "Catat Transfer", "keuangan", ConditionNotMet, attachments=[bukti("keuangan")])
    doc = edit(doc, "keuangan", jumlah_transfer=Decimal("20000000"))
    refused(doc, "Catat Transfer", "keuangan", AttachmentRequired)
    refused(doc, "Catat Transfer", "bendahara", RoleNotAllowed, attachments=[bukti("bendahara")])
    result = apply(doc, "Catat Transfer", "keuangan", attachments=[bukti("keuangan")])
    doc = result.doc
    assert doc.workflow_state == "Dicairkan" and doc.docstatus == 1
    doc.refresh_from_db()
    assert isinstance(doc.jumlah_transfer, Decimal) and doc.jumlah_transfer == Decimal("20000000.00")
    assert available_actions(doc, user("keuangan")) == []


def test_transfer_below_the_pagu_is_accepted():
    doc = to_nota_dinas(proposal_ormas(nama_ormas="LSM Peduli Lingkungan")).doc
    doc = edit(doc, "staf_kbk", pagu_disetujui=Decimal("15000000"), nomor_keputusan_wali_kota="188/1")
    doc = apply(doc, "Catat Persetujuan Wali Kota", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    doc = apply(doc, "Terbitkan Pemberitahuan Pagu", "kaban").doc
    doc = apply(doc, "Terima Usulan Pencairan", "staf_kbk", attachments=[bukti("staf_kbk")]).doc
    doc = apply(administrasi(doc), "Serahkan ke Bagian Keuangan", "kabid_kbk").doc
    doc = edit(
        doc,
        "keuangan",
        tanggal_transfer=datetime.date(TAHUN, 7, 1),
        jumlah_transfer=Decimal("12500000"),
        referensi_transfer="SP2D-1",
    )
    assert apply(doc, "Catat Transfer", "keuangan", attachments=[bukti("keuangan")]).doc.workflow_state == "Dicairkan"


def test_wali_kota_refusal_needs_reason_and_evidence():
    doc = to_nota_dinas(proposal_ormas()).doc
    refused(doc, "Catat Penolakan Wali Kota", "staf_kbk", CommentRequired, attachments=[bukti("staf_kbk")])
    refused(doc, "Catat Penolakan Wali Kota", "staf_kbk", AttachmentRequired, comment="Anggaran tidak tersedia.")
    result = apply(
        doc,
        "Catat Penolakan Wali Kota",
        "staf_kbk",
        comment="Anggaran hibah tahun berjalan tidak tersedia.",
        attachments=[bukti("staf_kbk")],
    )
    assert result.doc.workflow_state == "Tidak Disetujui"
    assert result.log.on_behalf_of == "Wali Kota"
    assert result.log.comment == "Anggaran hibah tahun berjalan tidak tersedia."
    assert available_actions(result.doc, user("staf_kbk")) == []
