"""P1.2.1.2 Pelayanan Surat Masuk: registration with the yearly agenda number,
verification, return to sender, the Kepala Badan's disposition and the chain
of further dispositions down to a member of staff, closing bottom-up, and
filing into the archive. Everything through the real services."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.bakesbangpol.umum.models import Arsip, Disposisi, SuratMasuk
from apps.bakesbangpol.umum.services import disposisi_buat
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    DocflowError,
    RoleNotAllowed,
    TransitionNotAvailable,
    WorkflowPermissionError,
)
from apps.docflow.models import WorkflowLog
from apps.docflow.selectors import inbox_for_user
from apps.laporan.selectors import pending_per_unit
from apps.organisasi.models import Delegasi
from tests.conftest import user

from .helpers import (
    SENIN,
    WIB,
    actions,
    apply,
    instruksi,
    klasifikasi,
    no_demo_delegation,
    refused,
    register_surat,
    scan,
    unit,
    verified_surat,
)


@pytest.fixture
def senin():
    with time_machine.travel(SENIN, tick=True):
        yield


def nothing_created(surat, before_state):
    surat.refresh_from_db()
    assert surat.workflow_state == before_state
    assert surat.disposisi_terbuka == 0
    assert not Disposisi.objects.filter(surat_masuk=surat).exists()


# --- registration and verification ----------------------------------------------------


def test_registration_takes_the_yearly_agenda_number(senin):
    first = register_surat()
    second = register_surat(perihal="Undangan sosialisasi")
    assert (first.workflow_state, first.unit.kode, first.docstatus) == ("Diregistrasi", "SUBBAG_UMPEG", 0)
    assert re.fullmatch(r"\d{4}/SM/2026", first.number), first.number
    seq = int(first.number.split("/")[0])
    assert second.number == f"{seq + 1:04d}/SM/2026"
    assert first.number_date == datetime.date(2026, 11, 30)
    assert first.name.startswith("SM-2026-")
    log = WorkflowLog.objects.get(doctype="Surat Masuk", document_id=first.pk)
    assert (log.kind, log.user.username) == (WorkflowLog.Kind.CREATE, "persuratan")


def test_agenda_number_restarts_every_year():
    with time_machine.travel(datetime.datetime(2026, 12, 31, 15, 0, tzinfo=WIB), tick=False):
        december = register_surat()
    with time_machine.travel(datetime.datetime(2027, 1, 2, 9, 0, tzinfo=WIB), tick=False):
        january = register_surat()
    assert december.number.endswith("/SM/2026")
    assert january.number == "0001/SM/2027"


def test_verification_needs_the_scan_and_the_mail_officer(senin):
    doc = register_surat()
    refused(doc, "Verifikasi dan Teruskan", "persuratan", AttachmentRequired)
    refused(doc, "Verifikasi dan Teruskan", "kasubag_umpeg", RoleNotAllowed, attachments=[scan()])
    refused(doc, "Verifikasi dan Teruskan", "kaban", RoleNotAllowed, attachments=[scan()])
    result = apply(doc, "Verifikasi dan Teruskan", "persuratan", attachments=[scan()])
    assert result.doc.workflow_state == "Menunggu Disposisi"
    assert list(result.log.attachments.values_list("attached_to_name", flat=True)) == [doc.name]
    assert {n.username for n in result.notified} == {"kaban"}


def test_return_to_sender_needs_a_reason(senin):
    doc = register_surat()
    refused(doc, "Kembalikan ke Pengirim", "persuratan", CommentRequired)
    refused(doc, "Kembalikan ke Pengirim", "persuratan", CommentRequired, comment="   ")
    refused(doc, "Kembalikan ke Pengirim", "staf_kbk", RoleNotAllowed, comment="Salah alamat.")
    result = apply(doc, "Kembalikan ke Pengirim", "persuratan", comment="Salah alamat, bukan untuk Bakesbangpol.")
    assert (result.doc.workflow_state, result.doc.docstatus, result.doc.due_at) == ("Dikembalikan ke Pengirim", 1, None)
    assert result.log.comment == "Salah alamat, bukan untuk Bakesbangpol."
    assert actions(result.doc, "persuratan") == set()


# --- the Kepala Badan's disposition -----------------------------------------------------------


def test_bare_disposition_step_is_not_offered_without_dispositions(senin):
    doc = verified_surat()
    assert "Disposisi" not in actions(doc, "kaban")
    refused(doc, "Disposisi", "kaban", ConditionNotMet)


def test_disposition_refusals_create_nothing(senin):
    surat = verified_surat()
    kbk = unit("BID_KBK")
    with pytest.raises(ValidationError):
        disposisi_buat(surat=surat, dari=user("kaban"), tujuan=[], instruksi=instruksi("Tindak lanjuti"))
    nothing_created(surat, "Menunggu Disposisi")
    with pytest.raises(ValidationError):
        disposisi_buat(surat=surat, dari=user("kaban"), tujuan=[{"unit": kbk, "orang": None}], instruksi=[])
    nothing_created(surat, "Menunggu Disposisi")
    for giver in ("sekretaris", "kabid_kbk", "persuratan"):
        with pytest.raises(WorkflowPermissionError):
            disposisi_buat(
                surat=surat,
                dari=user(giver),
                tujuan=[{"unit": kbk, "orang": None}],
                instruksi=instruksi("Tindak lanjuti"),
            )
        nothing_created(surat, "Menunggu Disposisi")
    # not yet verified: no disposition either
    fresh = register_surat()
    with pytest.raises(DocflowError):
        disposisi_buat(surat=fresh, dari=user("kaban"), tujuan=[{"unit": kbk}], instruksi=instruksi("Tindak lanjuti"))
    nothing_created(fresh, "Diregistrasi")


def test_disposition_moves_the_letter_and_counts_open_ones(senin):
    surat = verified_surat()
    made = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}, {"unit": unit("BID_IWK"), "orang": None}],
        instruksi=instruksi("Tindak lanjuti", "Koordinasikan"),
        catatan="Segera ditindaklanjuti.",
        batas_waktu=datetime.date(2026, 12, 4),
    )
    surat.refresh_from_db()
    assert (surat.workflow_state, surat.disposisi_terbuka) == ("Dalam Tindak Lanjut", 2)
    assert {d.kepada_unit.kode for d in made} == {"BID_KBK", "BID_IWK"}
    for d in made:
        assert (d.unit_id, d.tingkat, d.workflow_state, d.dari.username) == (d.kepada_unit_id, 1, "Diterima", "kaban")
        assert d.dari_jabatan.startswith("Kepala Badan")
        assert set(d.instruksi.values_list("nama", flat=True)) == {"Tindak lanjuti", "Koordinasikan"}
    log = WorkflowLog.objects.get(doctype="Surat Masuk", document_id=surat.pk, action="Disposisi")
    assert (log.user.username, log.comment) == ("kaban", "Segera ditindaklanjuti.")
    # the letter's step is taken once; later dispositions come from the chain
    with pytest.raises(DocflowError):
        disposisi_buat(
            surat=surat,
            dari=user("kaban"),
            tujuan=[{"unit": unit("BID_POLDAGRI")}],
            instruksi=instruksi("Tindak lanjuti"),
        )
    surat.refresh_from_db()
    assert surat.disposisi_terbuka == 2


def test_due_date_follows_batas_waktu(senin):
    surat = verified_surat()
    (with_date,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}],
        instruksi=instruksi("Siapkan jawaban"),
        batas_waktu=datetime.date(2026, 12, 10),
    )
    assert with_date.due_at == datetime.datetime(2026, 12, 10, 23, 59, 59, tzinfo=WIB)
    (without,) = disposisi_buat(
        surat=surat,
        dari=user("kabid_kbk"),
        induk=with_date,
        tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
        instruksi=instruksi("Siapkan jawaban"),
    )
    # no date given: the state's SLA (3 working days from Monday 30 November)
    assert without.due_at == datetime.datetime(2026, 12, 3, 23, 59, 59, tzinfo=WIB)
    closed = apply(without, "Selesai", "staf_kbk", comment="Konsep jawaban sudah diserahkan.").doc
    assert closed.due_at is None


# --- the three-level chain ------------------------------------------------------------------------


def test_three_level_chain_closes_bottom_up_and_the_letter_is_filed(senin):
    surat = verified_surat(tanggal_surat=datetime.date(2026, 11, 20))
    (d1,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("SEKRETARIAT"), "orang": user("sekretaris")}],
        instruksi=instruksi("Koordinasikan"),
        catatan="Koordinasikan dengan bidang terkait.",
        batas_waktu=datetime.date(2026, 12, 11),
    )
    # only whoever may close a disposition passes it on
    for outsider in ("kabid_kbk", "staf_kbk", "persuratan"):
        with pytest.raises(WorkflowPermissionError):
            disposisi_buat(
                surat=surat,
                dari=user(outsider),
                induk=d1,
                tujuan=[{"unit": unit("BID_KBK")}],
                instruksi=instruksi("Tindak lanjuti"),
            )
    (d2,) = disposisi_buat(
        surat=surat,
        dari=user("sekretaris"),
        induk=d1,
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}],
        instruksi=instruksi("Tindak lanjuti", "Siapkan jawaban"),
        catatan="Siapkan data ormas.",
        batas_waktu=datetime.date(2026, 12, 9),
    )
    (d3,) = disposisi_buat(
        surat=surat,
        dari=user("kabid_kbk"),
        induk=d2,
        tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
        instruksi=instruksi("Siapkan jawaban"),
        catatan="Rekap data SKT 2026.",
        batas_waktu=datetime.date(2026, 12, 7),
    )
    for d in (d1, d2, d3):
        d.refresh_from_db()
    assert [d.tingkat for d in (d1, d2, d3)] == [1, 2, 3]
    assert (d2.induk_id, d3.induk_id) == (d1.pk, d2.pk)
    assert [d.lanjutan_terbuka for d in (d1, d2, d3)] == [1, 1, 0]
    assert [d.unit.kode for d in (d1, d2, d3)] == ["SEKRETARIAT", "BID_KBK", "BID_KBK"]
    surat.refresh_from_db()
    assert surat.disposisi_terbuka == 3

    # a parent stays open while its child is open
    assert "Selesai" not in actions(d2, "kabid_kbk")
    refused(d2, "Selesai", "kabid_kbk", ConditionNotMet, comment="Sudah.")
    assert "Selesai" not in actions(d1, "sekretaris")
    # the most relevant refusal among the five same-named transitions: the
    # Sekretaris' own, whose condition waits for the child (not "only Kepala Bidang")
    refused(d1, "Selesai", "sekretaris", ConditionNotMet, comment="Sudah.")

    # the child: only the addressed member of staff, and only with a note
    assert actions(d3, "staf_kbk") == {"Selesai"}
    refused(d3, "Selesai", "staf_kbk", CommentRequired)
    refused(d3, "Selesai", "staf_iwk", WorkflowPermissionError, comment="Bukan bagian saya.")
    refused(d3, "Selesai", "kabid_iwk", WorkflowPermissionError, comment="Bukan bagian saya.")
    d3 = apply(d3, "Selesai", "staf_kbk", comment="Rekap 42 ormas terlampir.").doc
    assert (d3.workflow_state, d3.catatan_selesai, d3.docstatus) == ("Selesai", "Rekap 42 ormas terlampir.", 1)

    d2.refresh_from_db()
    assert d2.lanjutan_terbuka == 0
    assert "Selesai" not in actions(d1, "sekretaris")  # still waits for d2
    refused(d2, "Selesai", "kabid_kbk", CommentRequired)
    d2 = apply(d2, "Selesai", "kabid_kbk", comment="Jawaban disiapkan bidang.").doc
    d1.refresh_from_db()
    assert d1.lanjutan_terbuka == 0
    assert "Selesai" not in actions(d1, "kabid_kbk")  # addressed to the Sekretaris in person
    d1 = apply(d1, "Selesai", "sekretaris", comment="Selesai dikoordinasikan.").doc
    assert d1.workflow_state == "Selesai"

    surat.refresh_from_db()
    assert surat.disposisi_terbuka == 0
    refused(surat, "Tandai Selesai Ditindaklanjuti", "kasubag_umpeg", RoleNotAllowed)
    surat = apply(surat, "Tandai Selesai Ditindaklanjuti", "persuratan").doc
    assert surat.workflow_state == "Selesai Ditindaklanjuti"

    # filing needs the classification
    assert "Arsipkan" not in actions(surat, "persuratan")
    refused(surat, "Arsipkan", "persuratan", ConditionNotMet)
    surat.klasifikasi = klasifikasi("220")
    surat.save()
    surat = apply(surat, "Arsipkan", "persuratan").doc
    assert (surat.workflow_state, surat.docstatus) == ("Diarsipkan", 1)
    arsip = Arsip.objects.get(sumber_doctype="Surat Masuk", sumber_id=surat.pk)
    assert (arsip.sumber_nama, arsip.nomor_surat, arsip.perihal, arsip.pengirim_penerima) == (
        surat.name,
        surat.nomor_surat,
        surat.perihal,
        surat.pengirim,
    )
    # 220 Organisasi Kemasyarakatan: 2 years active, 5 inactive, permanent
    assert arsip.klasifikasi.kode == "220"
    assert (arsip.aktif_sampai, arsip.inaktif_sampai, arsip.nasib_akhir) == (
        datetime.date(2028, 11, 20),
        datetime.date(2033, 11, 20),
        "Permanen",
    )
    assert (arsip.workflow_state, arsip.unit.kode, arsip.created_by.username) == ("Aktif", "SUBBAG_UMPEG", "persuratan")


def test_letter_cannot_be_marked_done_while_a_disposition_is_open(senin):
    surat = verified_surat()
    (d,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_IWK"), "orang": None}],
        instruksi=instruksi("Untuk diketahui"),
    )
    surat.refresh_from_db()
    assert "Tandai Selesai Ditindaklanjuti" not in actions(surat, "persuratan")
    refused(surat, "Tandai Selesai Ditindaklanjuti", "persuratan", ConditionNotMet)
    with pytest.raises(TransitionNotAvailable):
        apply(surat, "Arsipkan", "persuratan")
    apply(d, "Selesai", "kabid_iwk", comment="Sudah diketahui.")
    surat.refresh_from_db()
    assert surat.disposisi_terbuka == 0
    assert "Tandai Selesai Ditindaklanjuti" in actions(surat, "persuratan")


def test_pending_per_unit_and_personal_inbox(senin):
    surat = verified_surat()
    (to_kbk,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}],
        instruksi=instruksi("Tindak lanjuti"),
    )
    (to_staf,) = disposisi_buat(
        surat=surat,
        dari=user("kabid_kbk"),
        induk=to_kbk,
        tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
        instruksi=instruksi("Siapkan jawaban"),
    )
    kbk = "Bidang Ketahanan Bangsa dan Kemasyarakatan"
    rows = {(r.unit, r.state): r.count for r in pending_per_unit(user("kaban")) if r.doctype == "Disposisi"}
    assert rows == {(kbk, "Diterima"): 2}
    assert {(r.unit, r.count) for r in pending_per_unit(user("kabid_kbk")) if r.doctype == "Disposisi"} == {(kbk, 2)}
    assert not [r for r in pending_per_unit(user("kabid_iwk")) if r.doctype == "Disposisi"]

    def inbox(username):
        return {doc.name for info, doc, _acts in inbox_for_user(user(username)) if info.doctype == "Disposisi"}

    assert inbox("staf_kbk") == {to_staf.name}
    assert inbox("staf_iwk") == set()
    assert inbox("kabid_iwk") == set()
    assert inbox("kabid_kbk") == set()  # waits for the child it passed on
    apply(to_staf, "Selesai", "staf_kbk", comment="Selesai.")
    assert inbox("staf_kbk") == set()
    assert inbox("kabid_kbk") == {to_kbk.name}
    rows = {(r.unit, r.state): r.count for r in pending_per_unit(user("kaban")) if r.doctype == "Disposisi"}
    assert rows == {(kbk, "Diterima"): 1}
    assert SuratMasuk.objects.get(pk=surat.pk).disposisi_terbuka == 1


def test_closed_disposition_cannot_be_passed_on(senin):
    surat = verified_surat()
    (d,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}],
        instruksi=instruksi("Untuk diketahui"),
    )
    apply(d, "Selesai", "kabid_kbk", comment="Sudah diketahui.")
    with pytest.raises(WorkflowPermissionError):
        disposisi_buat(
            surat=surat,
            dari=user("kabid_kbk"),
            induk=d,
            tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
            instruksi=instruksi("Tindak lanjuti"),
        )
    assert Disposisi.objects.filter(surat_masuk=surat).count() == 1


def test_person_outside_the_target_unit_is_refused(senin):
    surat = verified_surat()
    with pytest.raises(ValidationError):
        disposisi_buat(
            surat=surat,
            dari=user("kaban"),
            tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_iwk")}],
            instruksi=instruksi("Tindak lanjuti"),
        )
    nothing_created(surat, "Menunggu Disposisi")


def test_plh_dispositions_as_plh_kepala_badan(senin):
    no_demo_delegation()
    plh = Delegasi.objects.create(
        pejabat=user("kaban"),
        pelaksana=user("sekretaris"),
        mulai=datetime.date(2026, 11, 29),
        selesai=datetime.date(2026, 12, 2),
    )
    plh.peran.set(Group.objects.filter(name="Kepala Badan"))
    surat = verified_surat()
    (d,) = disposisi_buat(
        surat=surat,
        dari=user("sekretaris"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": None}],
        instruksi=instruksi("Tindak lanjuti"),
    )
    log = WorkflowLog.objects.get(doctype="Surat Masuk", document_id=surat.pk, action="Disposisi")
    assert log.delegation_label.startswith("Plh. Kepala Badan")  # the engine records the capacity
    assert d.dari_jabatan.startswith("Plh. Kepala Badan"), d.dari_jabatan  # the sheet prints this one
