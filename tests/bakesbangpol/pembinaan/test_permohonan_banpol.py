"""P5.4.1 Permohonan dan Perencanaan Banpol: the Tim Verifikasi's quorum, the
Berita Acara, TAPD acting itself or recorded on its behalf, budgeting, and
refusals for the wrong role and the wrong unit."""

import pytest

from apps.bakesbangpol.pembinaan.models import PermohonanBanpol
from apps.docflow.exceptions import (
    AlreadyVoted,
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
)
from apps.docflow.models import IssuedDocument, WorkflowLog, WorkflowVote
from apps.docflow.services.workflow import available_actions
from tests.conftest import pdf_text, user

from .helpers import TAHUN, ajukan, anggarkan, apply, bukti, edit, refused, verifikasi_tim

ANGGOTA = ["Wahyu Hidayat, S.H.", "Ratna Kusuma, S.E.", "Joko Susanto, S.Sos."]


def teruskan(doc):
    return apply(doc, "Teruskan ke Tim Verifikasi", "staf_poldagri").doc


def test_quorum_of_three_members_moves_the_application_and_issues_the_berita_acara():
    doc = teruskan(ajukan("PKB"))
    assert doc.workflow_state == "Verifikasi Tim"

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
    assert second.doc.workflow_state == "Verifikasi Tim"
    offered = [a for a in available_actions(doc, user("timver3")) if a.action == "Setujui Verifikasi"]
    assert [(a.votes, a.quorum) for a in offered] == [(2, 3)]

    third = apply(doc, "Setujui Verifikasi", "timver3")
    assert (third.applied, third.votes, third.quorum) == (True, 3, 3)
    doc = third.doc
    assert doc.workflow_state == "Verifikasi Berkas TAPD"
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
    assert doc.number in flat
    lines = text.splitlines()
    for nama in ANGGOTA:
        assert nama in flat
        row = next(i for i, line in enumerate(lines) if nama in line)
        assert "Setuju" in " ".join(lines[row : row + 4]), nama
    assert "Tidak memberikan suara" not in flat


def test_failing_party_stops_with_a_reason():
    doc = teruskan(ajukan("PAN"))
    apply(doc, "Setujui Verifikasi", "timver1")
    refused(doc, "Nyatakan Tidak Lolos", "timver2", CommentRequired)
    refused(doc, "Nyatakan Tidak Lolos", "timver2", CommentRequired, comment="  ")
    refused(doc, "Nyatakan Tidak Lolos", "staf_poldagri", RoleNotAllowed, comment="x")
    result = apply(doc, "Nyatakan Tidak Lolos", "timver2", comment="Kepengurusan DPC belum disahkan DPP.")
    assert result.applied and result.doc.workflow_state == "Ditolak"
    assert result.doc.docstatus == 1 and result.doc.due_at is None
    log = WorkflowLog.objects.get(doctype="Permohonan Banpol", document_id=doc.pk, action="Nyatakan Tidak Lolos")
    assert log.comment == "Kepengurusan DPC belum disahkan DPP."
    assert available_actions(result.doc, user("timver3")) == []
    # a rejected application does not block a new one for the same year
    again = ajukan("PAN")
    assert again.workflow_state == "Diajukan" and again.pk != doc.pk


def test_tapd_verifies_and_recommends_itself():
    doc = verifikasi_tim(ajukan("PKB")).doc
    refused(doc, "Berkas Lengkap", "staf_poldagri", RoleNotAllowed)
    result = apply(doc, "Berkas Lengkap", "tapd")
    assert result.doc.workflow_state == "Rekomendasi TAPD"
    assert result.log.role == "TAPD" and result.log.on_behalf_of == ""
    doc = result.doc
    assert "Rekomendasikan" not in [a.action for a in available_actions(doc, user("tapd"))]
    refused(doc, "Rekomendasikan", "tapd", ConditionNotMet)
    doc = edit(doc, "staf_poldagri", rekomendasi_tapd="Layak dianggarkan sesuai perolehan suara sah.")
    result = apply(doc, "Rekomendasikan", "tapd")
    assert result.doc.workflow_state == "Penganggaran"
    doc = result.doc
    refused(doc, "Tetapkan dalam Anggaran", "staf_poldagri", RoleNotAllowed, attachments=[bukti()])
    refused(doc, "Tetapkan dalam Anggaran", "kabid_kbk", OutsideUnitScope, attachments=[bukti("kabid_kbk")])
    refused(doc, "Tetapkan dalam Anggaran", "kabid_poldagri", AttachmentRequired)
    result = apply(doc, "Tetapkan dalam Anggaran", "kabid_poldagri", attachments=[bukti("kabid_poldagri")])
    assert result.doc.workflow_state == "Dianggarkan"
    assert result.doc.docstatus == 1
    assert list(result.log.attachments.values_list("attached_to_name", flat=True)) == [doc.name]


def test_staff_records_tapd_on_its_behalf():
    doc = verifikasi_tim(ajukan("GERINDRA")).doc
    refused(doc, "Catat Verifikasi TAPD: Lengkap", "staf_poldagri", AttachmentRequired)
    refused(doc, "Catat Verifikasi TAPD: Lengkap", "staf_kbk", OutsideUnitScope, attachments=[bukti("staf_kbk")])
    result = apply(doc, "Catat Verifikasi TAPD: Lengkap", "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Rekomendasi TAPD"
    assert result.log.on_behalf_of == "TAPD"
    assert result.log.user == user("staf_poldagri")
    doc = result.doc
    refused(doc, "Catat Rekomendasi TAPD", "staf_poldagri", ConditionNotMet, attachments=[bukti()])
    doc = edit(doc, "staf_poldagri", rekomendasi_tapd="Direkomendasikan (surat TAPD terlampir).")
    result = apply(doc, "Catat Rekomendasi TAPD", "staf_poldagri", attachments=[bukti()])
    assert result.doc.workflow_state == "Penganggaran" and result.log.on_behalf_of == "TAPD"


def test_incomplete_documents_at_tapd_need_a_reason():
    doc = verifikasi_tim(ajukan("NASDEM")).doc
    refused(doc, "Berkas Tidak Lengkap", "tapd", CommentRequired)
    refused(doc, "Catat Verifikasi TAPD: Tidak Lengkap", "staf_poldagri", CommentRequired, attachments=[bukti()])
    refused(doc, "Catat Verifikasi TAPD: Tidak Lengkap", "staf_poldagri", AttachmentRequired, comment="x")
    result = apply(doc, "Berkas Tidak Lengkap", "tapd", comment="Rekening atas nama pribadi, bukan partai.")
    assert result.doc.workflow_state == "Ditolak"
    assert result.log.comment == "Rekening atas nama pribadi, bukan partai."


@pytest.mark.parametrize(
    "state,action,kwargs",
    [
        ("Diajukan", "Teruskan ke Tim Verifikasi", {}),
        ("Verifikasi Berkas TAPD", "Catat Verifikasi TAPD: Lengkap", "file"),
    ],
)
def test_wrong_unit_staff_is_refused(state, action, kwargs):
    doc = ajukan("PKB")
    if state != "Diajukan":
        doc = verifikasi_tim(doc).doc
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
        "Setujui Verifikasi",
        "Berkas Lengkap",
        "Rekomendasikan",
        "Tetapkan dalam Anggaran",
    ]
