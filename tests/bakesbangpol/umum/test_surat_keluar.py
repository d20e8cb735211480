"""P1.2.1.1 Pelayanan Surat Keluar: request, approval, draft with a correction
loop kept in the history, signature (also by a Plh.), the number from the
agency's one outgoing register, the issued PDF, distribution, receipts and
filing. Refusals for the wrong role and the wrong unit at every step."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.bakesbangpol.umum.models import Arsip, PenerimaSurat, SuratKeluar
from apps.docflow.exceptions import (
    CommentRequired,
    OutsideUnitScope,
    RoleNotAllowed,
    SelfApprovalNotAllowed,
    WorkflowPermissionError,
)
from apps.docflow.models import IssuedDocument
from apps.docflow.services.workflow import document_update
from apps.organisasi.models import Delegasi
from tests.conftest import pdf_text, user

from .helpers import (
    SENIN,
    actions,
    advance_surat_keluar,
    apply,
    flat,
    make_surat_keluar,
    no_demo_delegation,
    refused,
)

KABAN = "Drs. Hadi Santoso, M.Si."
SEKRETARIS = "Siti Rahmawati, S.Sos., M.M."


@pytest.fixture(autouse=True)
def senin():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        yield


# (from state, action, to state, allowed, wrong role, wrong unit, kwargs)
TRANSITIONS = [
    ("Permohonan", "Ajukan Permohonan", "Menunggu Persetujuan Permohonan", "staf_kbk", "persuratan", "staf_iwk", {}),
    (
        "Permohonan",
        "Ajukan Permohonan",
        "Menunggu Persetujuan Permohonan",
        "kabid_kbk",
        "pelayanan_kbk",
        "staf_iwk",
        {},
    ),
    ("Menunggu Persetujuan Permohonan", "Setujui Pembuatan", "Konsep", "kaban", "kabid_kbk", None, {}),
    (
        "Menunggu Persetujuan Permohonan",
        "Batalkan",
        "Dibatalkan",
        "kaban",
        "sekretaris",
        None,
        {"comment": "Cukup disampaikan lisan."},
    ),
    ("Konsep", "Ajukan Konsep", "Koreksi Kepala Badan", "staf_kbk", "persuratan", "staf_iwk", {}),
    (
        "Koreksi Kepala Badan",
        "Kembalikan untuk Perbaikan",
        "Konsep",
        "kaban",
        "kabid_kbk",
        None,
        {"comment": "Perbaiki paragraf kedua."},
    ),
    ("Koreksi Kepala Badan", "Tandatangani", "Ditandatangani", "kaban", "sekretaris", None, {}),
    pytest.param(
        "Ditandatangani",
        "Distribusikan",
        "Didistribusikan",
        "persuratan",
        "staf_kbk",
        None,
        {},
    ),
    pytest.param("Didistribusikan", "Arsipkan", "Diarsipkan", "persuratan", "kasubag_umpeg", None, {}),
]


@pytest.mark.parametrize("start,action,target,allowed,wrong_role,wrong_unit,kwargs", TRANSITIONS)
def test_transition(start, action, target, allowed, wrong_role, wrong_unit, kwargs):
    doc = advance_surat_keluar(make_surat_keluar(), start)
    refused(doc, action, wrong_role, RoleNotAllowed, **kwargs)
    if wrong_unit:
        refused(doc, action, wrong_unit, OutsideUnitScope, **kwargs)
    result = apply(doc, action, allowed, **kwargs)
    assert result.applied and result.doc.workflow_state == target
    log = result.log
    assert (log.from_state, log.to_state, log.action, log.user.username) == (start, target, action, allowed)


def test_request_draft_and_correction_loop_keep_every_revision():
    doc = make_surat_keluar()
    assert (doc.workflow_state, doc.unit.kode, doc.number) == ("Permohonan", "BID_KBK", "")
    doc = apply(doc, "Ajukan Permohonan", "staf_kbk").doc
    doc = apply(doc, "Setujui Pembuatan", "kaban").doc
    assert doc.workflow_state == "Konsep"

    # the draft cannot lose its content
    with pytest.raises(ValidationError):
        document_update(doc=doc, user=user("staf_kbk"), data={"isi": ""})
    first_text = "Dengan hormat, mohon kehadiran Saudara.\n\nDemikian untuk menjadi perhatian."
    doc = document_update(doc=doc, user=user("staf_kbk"), data={"isi": first_text})
    with pytest.raises(WorkflowPermissionError):
        document_update(doc=doc, user=user("staf_iwk"), data={"isi": "Bukan urusan bidang IWK."})
    doc = apply(doc, "Ajukan Konsep", "staf_kbk").doc
    assert doc.workflow_state == "Koreksi Kepala Badan"
    with pytest.raises(WorkflowPermissionError):  # no edits while the head reviews it
        document_update(doc=doc, user=user("staf_kbk"), data={"isi": "Diam-diam diubah."})

    refused(doc, "Kembalikan untuk Perbaikan", "kaban", CommentRequired)
    result = apply(doc, "Kembalikan untuk Perbaikan", "kaban", comment="Tambahkan waktu dan tempat.")
    doc = result.doc
    assert (doc.workflow_state, result.log.comment) == ("Konsep", "Tambahkan waktu dan tempat.")

    revisions = doc.history.count()
    second_text = "Dengan hormat, mohon kehadiran Saudara pada Senin pukul 09.00 di aula.\n\nDemikian."
    doc = document_update(doc=doc, user=user("staf_kbk"), data={"isi": second_text})
    assert doc.history.count() == revisions + 1
    kept = set(doc.history.values_list("isi", flat=True))
    assert {first_text, second_text} <= kept
    assert doc.history.first().isi == second_text  # newest first
    assert doc.history.first().modified_by_id == user("staf_kbk").pk
    doc = apply(doc, "Ajukan Konsep", "staf_kbk").doc
    assert doc.workflow_state == "Koreksi Kepala Badan" and doc.number == ""


def test_signing_numbers_from_the_outgoing_register_and_issues_the_pdf():
    doc = advance_surat_keluar(make_surat_keluar(), "Koreksi Kepala Badan")
    result = apply(doc, "Tandatangani", "kaban")
    doc = result.doc
    assert (doc.workflow_state, doc.docstatus) == ("Ditandatangani", 1)
    kode, seq, agency, year = doc.number.split("/")
    assert (kode, agency, year) == ("220", "423.108", "2026")
    assert len(seq) == 3 and seq.isdigit()
    assert doc.number_date == datetime.date(2026, 11, 30)
    issued = IssuedDocument.objects.get(doctype="Surat Keluar", document_id=doc.pk)
    assert issued == result.issued
    assert (issued.number, issued.title, issued.signer_name) == (doc.number, "Surat Dinas", KABAN)
    text = flat(pdf_text(issued.file.read()))
    assert doc.number in text
    assert "Undangan rapat koordinasi ormas" in text
    assert "Ketua Forum Kerukunan Umat Beragama" in text
    assert "30 November 2026" in text
    assert KABAN in text and "19680512 199403 1 007" in text
    assert "DRAF" not in text
    assert issued.token in text.replace(" ", "")


@pytest.mark.parametrize(
    "jenis,title",
    [(SuratKeluar.Jenis.NOTA_DINAS, "Nota Dinas"), (SuratKeluar.Jenis.UNDANGAN, "Surat Undangan")],
)
def test_each_kind_prints_with_its_own_format(jenis, title):
    doc = make_surat_keluar(
        jenis=jenis,
        acara_hari_tanggal=datetime.date(2026, 12, 7),
        acara_waktu="09.00 WIB s.d. selesai",
        acara_tempat="Aula Bakesbangpol",
    )
    doc = advance_surat_keluar(doc, "Ditandatangani")
    issued = IssuedDocument.objects.get(doctype="Surat Keluar", document_id=doc.pk)
    assert issued.title == title
    text = flat(pdf_text(issued.file.read()))
    assert doc.number in text
    if jenis == SuratKeluar.Jenis.UNDANGAN:
        assert "Senin, 7 Desember 2026" in text and "Aula Bakesbangpol" in text


def test_head_cannot_sign_a_letter_he_created():
    doc = make_surat_keluar(by="kaban", unit_kode="BID_KBK")
    doc = advance_surat_keluar(doc, "Koreksi Kepala Badan")
    assert "Tandatangani" not in actions(doc, "kaban")
    refused(doc, "Tandatangani", "kaban", SelfApprovalNotAllowed)
    assert not IssuedDocument.objects.filter(doctype="Surat Keluar", document_id=doc.pk).exists()
    # sending it back stays possible
    assert apply(doc, "Kembalikan untuk Perbaikan", "kaban", comment="Ditandatangani pejabat lain.").applied


def test_distribution_receipts_and_filing():
    doc = advance_surat_keluar(make_surat_keluar(), "Ditandatangani")
    refused(doc, "Distribusikan", "staf_kbk", RoleNotAllowed)
    doc = apply(doc, "Distribusikan", "persuratan").doc
    assert doc.workflow_state == "Didistribusikan"
    for nama in doc.daftar_kepada:
        PenerimaSurat.objects.create(surat=doc, nama=nama, dikirim_pada=datetime.date(2026, 11, 30))
    assert doc.penerima.count() == 2
    penerima = doc.penerima.get(nama="Ketua Forum Kerukunan Umat Beragama")
    penerima.diterima_pada = datetime.date(2026, 12, 1)
    penerima.diterima_oleh = "Ahmad, staf sekretariat FKUB"
    penerima.save()
    assert penerima.history.count() == 2
    assert doc.penerima.filter(diterima_pada__isnull=False).count() == 1

    refused(doc, "Arsipkan", "staf_kbk", RoleNotAllowed)
    doc = apply(doc, "Arsipkan", "persuratan").doc
    assert (doc.workflow_state, doc.docstatus, doc.due_at) == ("Diarsipkan", 1, None)
    arsip = Arsip.objects.get(sumber_doctype="Surat Keluar", sumber_id=doc.pk)
    assert (arsip.nomor_surat, arsip.tanggal_surat, arsip.perihal, arsip.klasifikasi.kode) == (
        doc.number,
        datetime.date(2026, 11, 30),
        doc.hal,
        "220",
    )
    assert arsip.pengirim_penerima == "Ketua Forum Kerukunan Umat Beragama; Ketua Paguyuban Warga Gadingrejo"
    assert (arsip.aktif_sampai, arsip.inaktif_sampai, arsip.nasib_akhir) == (
        datetime.date(2028, 11, 30),
        datetime.date(2033, 11, 30),
        "Permanen",
    )


def test_plh_signs_for_the_head():
    doc = advance_surat_keluar(make_surat_keluar(), "Koreksi Kepala Badan")
    refused(doc, "Tandatangani", "sekretaris", RoleNotAllowed)
    today = datetime.date(2026, 11, 30)
    plh = Delegasi.objects.create(
        jenis=Delegasi.Jenis.PLH,
        pejabat=user("kaban"),
        pelaksana=user("sekretaris"),
        mulai=today - datetime.timedelta(days=1),
        selesai=today + datetime.timedelta(days=2),
        dasar="Surat Perintah Nomor 800/17/423.108/2026",
    )
    plh.peran.set(Group.objects.filter(name="Kepala Badan"))
    assert "Tandatangani" in actions(doc, "sekretaris")
    result = apply(doc, "Tandatangani", "sekretaris")
    assert result.doc.workflow_state == "Ditandatangani"
    assert result.log.on_behalf_of_user == user("kaban")
    assert result.log.delegation_label.startswith("Plh. Kepala Badan")
    assert result.issued.signer_name == SEKRETARIS
    text = flat(pdf_text(result.issued.file.read()))
    assert "Plh. Kepala Badan" in text
    assert SEKRETARIS in text
    assert KABAN not in text
    assert result.doc.number in text
