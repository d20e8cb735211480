"""P8.1 Pelayanan Penerbitan SKT: every transition for the allowed role, and
refusals for a wrong role and a wrong unit, through the real services."""

import datetime
import hashlib

import pytest
from django.contrib.auth.models import Group

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    OutsideUnitScope,
    RoleNotAllowed,
    SelfApprovalNotAllowed,
    StateConflict,
    TransitionNotAvailable,
)
from apps.docflow.issuing import render_pending
from apps.docflow.models import IssuedDocument, Notification, PrintFormat, WorkflowLog
from apps.docflow.services.workflow import apply_action, available_actions
from apps.organisasi.models import Delegasi
from tests.conftest import advance_skt, fill_survey, make_skt, pdf_text, survey_file, user


def apply(doc, action, as_, **kwargs):
    return apply_action(doc=doc, action=action, user=user(as_), **kwargs)


def refused(doc, action, as_, error, **kwargs):
    before = (doc.workflow_state, doc.state_seq)
    logs = WorkflowLog.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").count()
    with pytest.raises(error):
        apply(doc, action, as_, **kwargs)
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.state_seq) == before
    assert WorkflowLog.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").count() == logs


# (from state, action, to state, allowed user, wrong-role user, wrong-unit user, kwargs)
TRANSITIONS = [
    ("Menunggu Verifikasi", "Berkas Lengkap", "Survei Lokasi", "pelayanan_kbk", "staf_kbk", "pelayanan_iwk", {}),
    (
        "Menunggu Verifikasi",
        "Kembalikan ke Pemohon",
        "Dikembalikan ke Pemohon",
        "pelayanan_kbk",
        "staf_kbk",
        "pelayanan_iwk",
        {"comment": "Akta pendirian belum dilegalisasi."},
    ),
    (
        "Survei Lokasi",
        "Laporkan Hasil Survei",
        "Menunggu Persetujuan",
        "pelayanan_kbk",
        "staf_kbk",
        "pelayanan_iwk",
        "survey",
    ),
    ("Menunggu Persetujuan", "Setujui", "SKT Terbit", "kaban", "kabid_kbk", None, {}),
    (
        "Menunggu Persetujuan",
        "Kembalikan ke Petugas",
        "Survei Lokasi",
        "kaban",
        "kabid_kbk",
        None,
        {"comment": "Lengkapi foto."},
    ),
    (
        "Menunggu Persetujuan",
        "Tolak",
        "Ditolak",
        "kaban",
        "sekretaris",
        None,
        {"comment": "Nama sama dengan Ormas lain."},
    ),
    ("SKT Terbit", "Arsipkan", "Diarsipkan", "staf_kbk", "pelayanan_kbk", "staf_iwk", {}),
]


@pytest.mark.parametrize("start,action,target,allowed,wrong_role,wrong_unit,kwargs", TRANSITIONS)
def test_transition(start, action, target, allowed, wrong_role, wrong_unit, kwargs):
    doc = advance_skt(make_skt(), start)
    if action == "Arsipkan":
        doc.lokasi_arsip = "Lemari 1, Rak A"
        doc.save()
    extra = {"attachments": [survey_file()]} if kwargs == "survey" else dict(kwargs)
    if kwargs == "survey":
        fill_survey(doc)
    refused(doc, action, wrong_role, RoleNotAllowed, **extra)
    if wrong_unit:
        refused(doc, action, wrong_unit, OutsideUnitScope, **extra)
    result = apply(doc, action, allowed, **extra)
    assert result.applied
    assert result.doc.workflow_state == target
    log = result.log
    assert (log.from_state, log.to_state, log.action, log.user.username) == (start, target, action, allowed)


def test_hand_over_to_ormas_is_the_last_step():
    doc = advance_skt(make_skt(), "SKT Terbit")
    doc.lokasi_arsip = "Lemari 2"
    doc.save()
    doc = apply(doc, "Arsipkan", "staf_kbk").doc
    refused(doc, "Serahkan ke Ormas", "pelayanan_kbk", ConditionNotMet)  # who received it is not recorded yet
    doc.diterima_oleh = "Ahmad Ketua"
    doc.tanggal_penyerahan = datetime.date(2026, 11, 30)
    doc.save()
    refused(doc, "Serahkan ke Ormas", "staf_kbk", RoleNotAllowed)
    refused(doc, "Serahkan ke Ormas", "pelayanan_iwk", OutsideUnitScope)
    doc = apply(doc, "Serahkan ke Ormas", "pelayanan_kbk").doc
    assert doc.workflow_state == "Diserahkan"
    assert doc.docstatus == 1
    assert doc.due_at is None
    assert available_actions(doc, user("pelayanan_kbk")) == []


def test_returned_application_is_resubmitted():
    doc = make_skt()
    doc = apply(doc, "Kembalikan ke Pemohon", "pelayanan_kbk", comment="NPWP belum ada.").doc
    refused(doc, "Terima Perbaikan", "staf_kbk", RoleNotAllowed)
    refused(doc, "Terima Perbaikan", "pelayanan_iwk", OutsideUnitScope)
    doc = apply(doc, "Terima Perbaikan", "pelayanan_kbk").doc
    assert doc.workflow_state == "Menunggu Verifikasi"


def test_return_requires_a_reason():
    doc = make_skt()
    refused(doc, "Kembalikan ke Pemohon", "pelayanan_kbk", CommentRequired, comment="   ")
    result = apply(doc, "Kembalikan ke Pemohon", "pelayanan_kbk", comment="Surat domisili kedaluwarsa.")
    assert result.log.comment == "Surat domisili kedaluwarsa."


def test_incomplete_requirements_block_verification():
    doc = make_skt(ada_npwp=False)
    assert "Berkas Lengkap" not in [a.action for a in available_actions(doc, user("pelayanan_kbk"))]
    refused(doc, "Berkas Lengkap", "pelayanan_kbk", ConditionNotMet)
    doc.ada_npwp = True
    doc.save()
    assert apply(doc, "Berkas Lengkap", "pelayanan_kbk").doc.workflow_state == "Survei Lokasi"


def test_survey_report_needs_its_data_and_the_signed_report():
    doc = advance_skt(make_skt(), "Survei Lokasi")
    refused(doc, "Laporkan Hasil Survei", "pelayanan_kbk", ConditionNotMet, attachments=[survey_file()])
    fill_survey(doc)
    refused(doc, "Laporkan Hasil Survei", "pelayanan_kbk", AttachmentRequired)
    result = apply(doc, "Laporkan Hasil Survei", "pelayanan_kbk", attachments=[survey_file()])
    assert list(result.log.attachments.values_list("attached_to_name", flat=True)) == [doc.name]


def test_head_cannot_approve_what_he_registered_himself():
    doc = advance_skt(make_skt(by="kaban"), "Menunggu Persetujuan")
    refused(doc, "Setujui", "kaban", SelfApprovalNotAllowed)
    assert apply(doc, "Tolak", "kaban", comment="Didaftarkan ulang oleh petugas.").applied


def test_stale_state_is_a_conflict():
    doc = make_skt()
    stale = PermohonanSKT.objects.get(pk=doc.pk)
    apply(doc, "Berkas Lengkap", "pelayanan_kbk")
    with pytest.raises(StateConflict):
        apply(stale, "Kembalikan ke Pemohon", "pelayanan_kbk", comment="x", expected_state="Menunggu Verifikasi")
    with pytest.raises(TransitionNotAvailable):
        apply(stale, "Berkas Lengkap", "pelayanan_kbk")
    assert PermohonanSKT.objects.get(pk=doc.pk).workflow_state == "Survei Lokasi"


def test_approval_issues_number_and_qr_pdf():
    doc = advance_skt(make_skt(nama_ormas="Forum Kerukunan Warga Gadingrejo"), "Menunggu Persetujuan")
    result = apply(doc, "Setujui", "kaban")
    doc = result.doc
    year = doc.number_date.year
    assert doc.number.startswith("220/") and doc.number.endswith(f"/423.108/{year}")
    assert doc.docstatus == 1
    assert doc.masa_berlaku_sampai == doc.number_date.replace(year=year + 5) - datetime.timedelta(days=1)
    issued = result.issued
    data = issued.file.read()
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    text = pdf_text(data)
    assert doc.number in text
    assert "Forum Kerukunan Warga Gadingrejo" in text
    bulan = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ]
    tanggal = f"{doc.number_date.day} {bulan[doc.number_date.month - 1]} {year}"
    assert f"pada tanggal {tanggal}" in text
    assert "Drs. Hadi Santoso, M.Si." in text and "19680512 199403 1 007" in text
    assert issued.token in text.replace("\n", "")
    from pypdf import PdfReader

    meta = PdfReader(issued.file.path).metadata
    assert meta["/Subject"] == doc.number
    assert meta["/VerificationToken"] == issued.token
    assert issued.holder == "Forum Kerukunan Warga Gadingrejo"
    assert issued.valid_until == doc.masa_berlaku_sampai


def test_plh_approves_and_signs_as_plh():
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    refused(doc, "Setujui", "sekretaris", RoleNotAllowed)
    today = datetime.date.today()
    past = Delegasi.objects.create(
        pejabat=user("kaban"),
        pelaksana=user("sekretaris"),
        mulai=today - datetime.timedelta(days=10),
        selesai=today - datetime.timedelta(days=2),
    )
    past.peran.set(Group.objects.filter(name="Kepala Badan"))
    refused(doc, "Setujui", "sekretaris", RoleNotAllowed)  # the period is over
    plh = Delegasi.objects.create(
        pejabat=user("kaban"),
        pelaksana=user("sekretaris"),
        mulai=today - datetime.timedelta(days=1),
        selesai=today + datetime.timedelta(days=1),
    )
    plh.peran.set(Group.objects.filter(name="Kepala Badan"))
    assert [a.acting_as for a in available_actions(doc, user("sekretaris")) if a.action == "Setujui"][0].startswith(
        "Plh. "
    )
    result = apply(doc, "Setujui", "sekretaris")
    assert result.log.on_behalf_of_user == user("kaban")
    assert result.log.delegation_label.startswith("Plh. Kepala Badan")
    text = pdf_text(result.issued.file.read())
    assert "Plh. Kepala Badan" in text
    assert "Siti Rahmawati, S.Sos., M.M." in text
    assert result.issued.signer_name == "Siti Rahmawati, S.Sos., M.M."


def test_failed_render_keeps_the_step_and_is_retried(django_capture_on_commit_callbacks):
    """The step, its number and the issued record commit; a PDF that fails to
    render leaves the record pending with the error, and the retry issues it."""
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    pf = PrintFormat.objects.get(name="Surat Keterangan Terdaftar")
    good_html = pf.html
    PrintFormat.objects.filter(pk=pf.pk).update(html="{{ doc.field_yang_tidak_ada }}")
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(doc, "Setujui", "kaban")
    doc.refresh_from_db()
    assert doc.workflow_state == "SKT Terbit" and doc.number
    assert WorkflowLog.objects.filter(document_id=doc.pk, action="Setujui").exists()
    issued = IssuedDocument.objects.get(pk=result.issued.pk)
    assert issued.status == IssuedDocument.Status.PENDING and not issued.file and not issued.sha256
    assert "field_yang_tidak_ada" in issued.render_error and issued.render_attempts == 1

    PrintFormat.objects.filter(pk=pf.pk).update(html=good_html)
    assert render_pending() == (1, 0)
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.ISSUED and issued.render_error == ""
    data = issued.file.read()
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert doc.number in pdf_text(data)
    assert render_pending() == (0, 0)


def test_those_who_act_next_are_notified_and_due_dates_set():
    doc = advance_skt(make_skt(), "Survei Lokasi")
    assert doc.due_at is not None and doc.due_at > doc.state_entered_at
    Notification.objects.all().delete()
    apply(fill_survey(doc), "Laporkan Hasil Survei", "pelayanan_kbk", attachments=[survey_file()])
    assert set(Notification.objects.values_list("user__username", flat=True)) == {"kaban"}
    assert Notification.objects.get().document_name == doc.name


def test_desk_and_runtime_agree_on_actions():
    doc = make_skt()
    assert {a.action for a in available_actions(doc, user("pelayanan_kbk"))} == {
        "Berkas Lengkap",
        "Kembalikan ke Pemohon",
    }
    assert available_actions(doc, user("pelayanan_iwk")) == []
    assert available_actions(doc, user("kaban")) == []
