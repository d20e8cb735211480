"""P5.4.1 Permohonan dan Perencanaan Banpol, in the seed's order: the Tim
Verifikasi receives the application and sends it to TAPD; TAPD reports its
verification result with a recommendation (itself or recorded on its
behalf); only then the Tim Verifikasi decides "lolos verifikasi?" (a quorum,
the Berita Acara); the party applies to the Wali Kota through TAPD (recorded
on its behalf), the Wali Kota forwards it, TAPD budgets. Refusals for the
wrong role and the wrong unit."""

import datetime

import pytest

from apps.bakesbangpol.pembinaan.models import PermohonanBanpol
from apps.docflow.exceptions import (
    AlreadyVoted,
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
    TransitionNotAvailable,
)
from apps.docflow.models import IssuedDocument, WorkflowLog, WorkflowVote
from apps.docflow.services.workflow import available_actions
from tests.conftest import pdf_text, user

from .helpers import (
    TAHUN,
    ajukan,
    anggarkan,
    apply,
    bukti,
    edit,
    hasil_tapd,
    ke_tapd,
    refused,
    sampai_keputusan_tim,
    verifikasi_tim,
)

ANGGOTA = ["Wahyu Hidayat, S.H.", "Ratna Kusuma, S.E.", "Joko Susanto, S.Sos."]


def test_team_receives_then_sends_to_tapd_before_any_decision():
    doc = apply(ajukan("PKB"), "Teruskan ke Tim Verifikasi", "staf_poldagri").doc
    assert doc.workflow_state == "Diterima Tim Verifikasi"
    # no decision yet: the team only sends the file to TAPD
    assert {a.action for a in available_actions(doc, user("timver2"))} == {"Kirim ke TAPD"}
    refused(doc, "Setujui Verifikasi", "timver1", TransitionNotAvailable)
    refused(doc, "Kirim ke TAPD", "staf_poldagri", RoleNotAllowed)
    doc = apply(doc, "Kirim ke TAPD", "timver2").doc
    assert doc.workflow_state == "Verifikasi Berkas TAPD" and not doc.number


def test_tapd_reports_result_and_recommendation_to_the_team():
    doc = ke_tapd(ajukan("PKB"))
    refused(doc, "Laporkan Hasil Verifikasi dan Rekomendasi", "tapd", ConditionNotMet)
    refused(doc, "Laporkan Hasil Verifikasi dan Rekomendasi", "timver1", RoleNotAllowed)
    doc = edit(doc, "staf_poldagri", hasil_verifikasi_tapd="Berkas lengkap.")
    refused(doc, "Laporkan Hasil Verifikasi dan Rekomendasi", "tapd", ConditionNotMet)  # no recommendation yet
    doc = edit(doc, "staf_poldagri", rekomendasi_tapd="Layak dianggarkan sesuai perolehan suara sah.")
    result = apply(doc, "Laporkan Hasil Verifikasi dan Rekomendasi", "tapd")
    assert result.doc.workflow_state == "Verifikasi Tim"
    assert result.log.role == "TAPD" and result.log.on_behalf_of == ""
    assert {a.action for a in available_actions(result.doc, user("timver1"))} == {
        "Setujui Verifikasi",
        "Nyatakan Tidak Lolos",
    }


def test_staff_records_tapd_on_its_behalf():
    doc = hasil_tapd(ke_tapd(ajukan("GERINDRA")))
    action = "Catat Hasil Verifikasi dan Rekomendasi TAPD"
    refused(doc, action, "staf_poldagri", AttachmentRequired)
    refused(doc, action, "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    result = apply(doc, action, "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Verifikasi Tim"
    assert result.log.on_behalf_of == "TAPD"
    assert result.log.user == user("staf_poldagri")


def test_quorum_of_three_members_after_tapd_issues_the_berita_acara():
    doc = sampai_keputusan_tim(ajukan("PKB"))

    first = apply(doc, "Setujui Verifikasi", "timver1")
    assert (first.applied, first.votes, first.quorum) == (False, 1, 3)
    assert first.doc.workflow_state == "Verifikasi Tim" and first.issued is None
    assert first.log.kind == WorkflowLog.Kind.VOTE

    refused(doc, "Setujui Verifikasi", "timver1", AlreadyVoted)
    assert "Setujui Verifikasi" not in [a.action for a in available_actions(doc, user("timver1"))]
    refused(doc, "Setujui Verifikasi", "staf_kbk", RoleNotAllowed)
    refused(doc, "Setujui Verifikasi", "kabid_poldagri", RoleNotAllowed)

    second = apply(doc, "Setujui Verifikasi", "timver2")
    assert (second.applied, second.votes) == (False, 2)
    offered = [a for a in available_actions(doc, user("timver3")) if a.action == "Setujui Verifikasi"]
    assert [(a.votes, a.quorum) for a in offered] == [(2, 3)]

    third = apply(doc, "Setujui Verifikasi", "timver3")
    assert (third.applied, third.votes, third.quorum) == (True, 3, 3)
    doc = third.doc
    assert doc.workflow_state == "Pengajuan ke Wali Kota"
    assert doc.number
    assert WorkflowVote.objects.filter(doctype="Permohonan Banpol", document_id=doc.pk).count() == 3

    issued = third.issued
    assert issued is not None and issued.title == "Berita Acara Verifikasi Banpol"
    assert IssuedDocument.objects.filter(document_id=doc.pk, doctype="Permohonan Banpol").count() == 1
    text = pdf_text(issued.file.read())
    flat = " ".join(text.split())
    assert "Partai Kebangkitan Bangsa" in flat
    assert "Rp151.875.000" in flat
    assert "seratus lima puluh satu juta delapan ratus tujuh puluh lima ribu rupiah" in flat.lower()
    assert "Berkas lengkap dan sah." in flat and "Direkomendasikan sesuai perolehan suara sah." in flat
    assert "LOLOS VERIFIKASI" in flat
    assert doc.number in flat
    lines = text.splitlines()
    for nama in ANGGOTA:
        assert nama in flat
        row = next(i for i, line in enumerate(lines) if nama in line)
        assert "Setuju" in " ".join(lines[row : row + 4]), nama
    assert "Tidak memberikan suara" not in flat


def test_failing_party_stops_with_a_reason():
    doc = sampai_keputusan_tim(ajukan("PAN"))
    apply(doc, "Setujui Verifikasi", "timver1")
    refused(doc, "Nyatakan Tidak Lolos", "timver2", CommentRequired)
    refused(doc, "Nyatakan Tidak Lolos", "timver2", CommentRequired, comment="  ")
    refused(doc, "Nyatakan Tidak Lolos", "staf_poldagri", RoleNotAllowed, comment="x")
    result = apply(doc, "Nyatakan Tidak Lolos", "timver2", comment="TAPD: kepengurusan DPC belum disahkan DPP.")
    assert result.applied and result.doc.workflow_state == "Ditolak"
    assert result.doc.docstatus == 1 and result.doc.due_at is None
    log = WorkflowLog.objects.get(doctype="Permohonan Banpol", document_id=doc.pk, action="Nyatakan Tidak Lolos")
    assert log.comment == "TAPD: kepengurusan DPC belum disahkan DPP."
    assert available_actions(result.doc, user("timver3")) == []
    # a rejected application does not block a new one for the same year
    again = ajukan("PAN")
    assert again.workflow_state == "Diajukan" and again.pk != doc.pk


def test_party_applies_to_the_wali_kota_through_tapd_and_tapd_budgets():
    doc = verifikasi_tim(ajukan("PKB")).doc
    action = "Catat Pengajuan Parpol ke Wali Kota"
    refused(doc, action, "staf_poldagri", ConditionNotMet, attachments=[bukti()])
    doc = edit(
        doc,
        "staf_poldagri",
        nomor_surat_pengajuan_wali_kota="07/DPC-PKB/II/2026",
        tanggal_surat_pengajuan_wali_kota=datetime.date(TAHUN, 2, 3),
    )
    refused(doc, action, "staf_poldagri", AttachmentRequired)
    refused(doc, action, "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    result = apply(doc, action, "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Disposisi Wali Kota" and result.log.on_behalf_of == "Parpol"
    doc = result.doc
    refused(doc, "Teruskan ke TAPD untuk Penganggaran", "tapd", RoleNotAllowed)
    refused(doc, "Catat Disposisi Wali Kota", "staf_poldagri", AttachmentRequired)
    result = apply(doc, "Catat Disposisi Wali Kota", "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Penganggaran TAPD" and result.log.on_behalf_of == "Wali Kota"
    doc = result.doc
    refused(doc, "Tetapkan dalam Anggaran", "tapd", ConditionNotMet)
    refused(doc, "Tetapkan dalam Anggaran", "kabid_poldagri", RoleNotAllowed)
    doc = edit(
        doc,
        "staf_poldagri",
        nomor_dokumen_anggaran="DPA/2026/07",
        tanggal_penetapan_anggaran=datetime.date(TAHUN, 2, 9),
    )
    refused(doc, "Catat Penganggaran TAPD", "staf_poldagri", AttachmentRequired)
    result = apply(doc, "Catat Penganggaran TAPD", "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Dianggarkan" and result.doc.docstatus == 1
    assert result.log.on_behalf_of == "TAPD"


def test_wali_kota_acts_itself():
    doc = verifikasi_tim(ajukan("GOLKAR")).doc
    doc = edit(
        doc,
        "staf_poldagri",
        nomor_surat_pengajuan_wali_kota="03/DPC-GOLKAR/2026",
        tanggal_surat_pengajuan_wali_kota=datetime.date(TAHUN, 2, 3),
    )
    doc = apply(doc, "Catat Pengajuan Parpol ke Wali Kota", "staf_poldagri", attachments=[bukti()]).doc
    result = apply(doc, "Teruskan ke TAPD untuk Penganggaran", "walikota")
    assert result.doc.workflow_state == "Penganggaran TAPD"
    assert result.log.role == "Wali Kota" and result.log.on_behalf_of == ""


@pytest.mark.parametrize(
    "state,action,kwargs",
    [
        ("Diajukan", "Teruskan ke Tim Verifikasi", {}),
        ("Verifikasi Berkas TAPD", "Catat Hasil Verifikasi dan Rekomendasi TAPD", "file"),
    ],
)
def test_wrong_unit_staff_is_refused(state, action, kwargs):
    doc = ajukan("PKB")
    if state != "Diajukan":
        doc = hasil_tapd(ke_tapd(doc))
    extra = {"attachments": [bukti("staf_kbk")]} if kwargs == "file" else kwargs
    refused(doc, action, "staf_kbk", OutsideUnitScope, **extra)
    refused(doc, action, "staf_iwk", OutsideUnitScope, **extra)
    assert available_actions(doc, user("staf_kbk")) == []
    assert available_actions(doc, user("kabid_kbk")) == []


def test_reference_path_ends_budgeted():
    doc = anggarkan(ajukan("DEMOKRAT", TAHUN - 1))
    assert PermohonanBanpol.objects.get(pk=doc.pk).workflow_state == "Dianggarkan"
    actions = WorkflowLog.objects.filter(doctype="Permohonan Banpol", document_id=doc.pk).order_by("pk")
    assert [a.action for a in actions if a.kind == WorkflowLog.Kind.TRANSITION] == [
        "Teruskan ke Tim Verifikasi",
        "Kirim ke TAPD",
        "Laporkan Hasil Verifikasi dan Rekomendasi",
        "Setujui Verifikasi",
        "Catat Pengajuan Parpol ke Wali Kota",
        "Teruskan ke TAPD untuk Penganggaran",
        "Tetapkan dalam Anggaran",
    ]
