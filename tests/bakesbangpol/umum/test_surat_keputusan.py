"""Keputusan Kepala Badan: the SK forming a team is numbered from the decree
register, printed (MEMUTUSKAN, diktum, lampiran of members), and makes its
members act in the team's committee steps until it is revoked."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from apps.bakesbangpol.umum.models import AnggotaTimSK, DiktumSK, SuratKeputusan
from apps.docflow.exceptions import (
    AlreadyVoted,
    CommentRequired,
    OutsideUnitScope,
    RoleNotAllowed,
    SelfApprovalNotAllowed,
)
from apps.docflow.models import IssuedDocument, NamingCounter, Workflow, WorkflowLog
from apps.docflow.scope import backend
from apps.docflow.services.definitions import export_workflow, import_workflow
from apps.docflow.services.workflow import document_create
from apps.organisasi.models import KeanggotaanTim
from tests.conftest import advance_skt, make_skt, pdf_text, user

from .helpers import SENIN, actions, apply, flat, no_demo_delegation, refused

MEMBERS = [("staf_poldagri", "Ketua"), ("staf_kbk", "Anggota"), ("staf_iwk", "Anggota")]
NAMES = {"staf_poldagri": "Fajar Nugroho, S.IP.", "staf_kbk": "Yusuf Effendi", "staf_iwk": "Rina Wulandari, S.Sos."}
TENTANG = "Pembentukan Tim Verifikasi Bantuan Keuangan Partai Politik Tahun 2027"


@pytest.fixture(autouse=True)
def senin():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        yield


def make_sk(members=MEMBERS, by="kabid_poldagri", unit=None, **overrides):
    data = {
        "tentang": TENTANG,
        "menimbang": (
            "bahwa bantuan keuangan partai politik perlu diverifikasi;\n"
            "bahwa untuk itu perlu dibentuk tim verifikasi dengan keputusan Kepala Badan;"
        ),
        "mengingat": (
            "Undang-Undang Nomor 2 Tahun 2011 tentang Partai Politik;\n"
            "Peraturan Pemerintah Nomor 1 Tahun 2018 tentang Bantuan Keuangan kepada Partai Politik;"
        ),
        "menetapkan": "Keputusan Kepala Badan tentang Pembentukan Tim Verifikasi",
        "tembusan": "Wali Kota Pasuruan",
        "tim": Group.objects.get(name="Tim Verifikasi"),
        "tim_mulai": datetime.date(2026, 11, 1),
        "tim_selesai": datetime.date(2026, 12, 31),
    }
    data.update(overrides)
    sk = document_create(model=SuratKeputusan, user=user(by), data=data, unit=unit)
    diktum = [
        "Membentuk Tim Verifikasi dengan susunan sebagaimana tercantum dalam Lampiran.",
        "Tim bertugas memverifikasi kelengkapan permohonan bantuan keuangan partai politik.",
        "Keputusan ini mulai berlaku pada tanggal ditetapkan.",
    ]
    for i, isi in enumerate(diktum, start=1):
        DiktumSK.objects.create(sk=sk, urutan=i, isi=isi)
    for i, (username, kedudukan) in enumerate(members, start=1):
        AnggotaTimSK.objects.create(sk=sk, urutan=i, pengguna=user(username), jabatan_tim=kedudukan)
    return sk


def team_roles(username):
    return {g.role for g in backend().grants(user(username))} & {"Tim Verifikasi"}


def committee_archiving(quorum=2):
    spec = export_workflow(Workflow.objects.get(workflow_name="Permohonan SKT"))
    for t in spec["transitions"]:
        if t["action"] == "Arsipkan":
            t.update(allowed="Tim Verifikasi", quorum=quorum, condition="")
    import_workflow(spec)


def test_sk_is_numbered_printed_and_its_team_votes_until_revoked():
    sk = make_sk()
    assert (sk.workflow_state, sk.unit.kode) == ("Konsep", "BID_POLDAGRI")
    refused(sk, "Ajukan", "persuratan", RoleNotAllowed)
    refused(sk, "Ajukan", "staf_iwk", OutsideUnitScope)
    sk = apply(sk, "Ajukan", "kabid_poldagri").doc
    assert sk.workflow_state == "Koreksi Kepala Badan"
    for username, _kedudukan in MEMBERS:
        assert team_roles(username) == set()
    refused(sk, "Tetapkan", "sekretaris", RoleNotAllowed)
    result = apply(sk, "Tetapkan", "kaban")
    sk = result.doc
    assert (sk.workflow_state, sk.docstatus) == ("Ditetapkan", 1)
    kode, seq, agency, year = sk.number.split("/")
    assert (kode, agency, year) == ("188.4", "423.108", "2026") and len(seq) == 3

    rows = KeanggotaanTim.objects.filter(sumber_doctype="Surat Keputusan", sumber_id=sk.pk)
    assert {(r.anggota.username, r.jabatan_tim, r.tim.name) for r in rows} == {
        (u, k, "Tim Verifikasi") for u, k in MEMBERS
    }
    assert {(r.mulai, r.selesai, r.dasar, r.dicabut) for r in rows} == {
        (datetime.date(2026, 11, 1), datetime.date(2026, 12, 31), sk.number, False)
    }
    for username, _kedudukan in MEMBERS:
        assert team_roles(username) == {"Tim Verifikasi"}, username

    # the PDF
    issued = IssuedDocument.objects.get(doctype="Surat Keputusan", document_id=sk.pk)
    assert issued == result.issued and issued.number == sk.number
    text = flat(pdf_text(issued.file.read()))
    assert sk.number in text
    assert "TENTANG" in text and TENTANG.upper() in text
    assert "Menimbang" in text and "Mengingat" in text
    assert "MEMUTUSKAN" in text
    for label in ("KESATU", "KEDUA", "KETIGA"):
        assert label in text
    assert "KEEMPAT" not in text
    assert "LAMPIRAN" in text
    for name in NAMES.values():
        assert name in text, name
    assert "Ketua" in text and "Anggota" in text
    assert "Drs. Hadi Santoso, M.Si." in text

    # the members now vote on a committee step
    committee_archiving(quorum=2)
    skt = advance_skt(make_skt(), "SKT Terbit")
    refused(skt, "Arsipkan", "pelayanan_kbk", RoleNotAllowed)  # not a member
    assert "Arsipkan" in actions(skt, "staf_poldagri")
    first = apply(skt, "Arsipkan", "staf_poldagri", comment="Berkas sesuai.")
    assert not first.applied and (first.votes, first.quorum) == (1, 2)
    assert first.doc.workflow_state == "SKT Terbit"
    assert "Arsipkan" not in actions(skt, "staf_poldagri")
    with pytest.raises(AlreadyVoted):
        apply(skt, "Arsipkan", "staf_poldagri")
    second = apply(skt, "Arsipkan", "staf_iwk")
    assert second.applied and second.doc.workflow_state == "Diarsipkan"
    assert second.log.role == "Tim Verifikasi"

    # revoking the SK ends the memberships
    refused(sk, "Cabut", "kaban", CommentRequired)
    sk = apply(sk, "Cabut", "kaban", comment="Diganti keputusan baru.").doc
    assert (sk.workflow_state, sk.docstatus) == ("Dicabut", 2)
    assert set(rows.values_list("dicabut", flat=True)) == {True}
    for username, _kedudukan in MEMBERS:
        assert team_roles(username) == set(), username
    other = advance_skt(make_skt(nama_ormas="Paguyuban Kedua"), "SKT Terbit")
    assert "Arsipkan" not in actions(other, "staf_kbk")
    refused(other, "Arsipkan", "staf_kbk", RoleNotAllowed)


def test_members_outside_the_period_hold_no_grant():
    sk = make_sk(tim_mulai=datetime.date(2027, 1, 1), tim_selesai=datetime.date(2027, 12, 31))
    sk = apply(apply(sk, "Ajukan", "kabid_poldagri").doc, "Tetapkan", "kaban").doc
    assert KeanggotaanTim.objects.filter(sumber_id=sk.pk, sumber_doctype="Surat Keputusan").count() == 3
    assert team_roles("staf_kbk") == set()
    with time_machine.travel(datetime.datetime(2027, 3, 1, 9, 0, tzinfo=SENIN.tzinfo), tick=True):
        assert team_roles("staf_kbk") == {"Tim Verifikasi"}


def test_team_sk_without_members_is_refused_and_nothing_changes():
    sk = make_sk(members=[])
    sk = apply(sk, "Ajukan", "kabid_poldagri").doc
    counters = list(NamingCounter.objects.values_list("series__key", "period", "current"))
    logs = WorkflowLog.objects.filter(doctype="Surat Keputusan", document_id=sk.pk).count()
    with pytest.raises(ValidationError):
        apply(sk, "Tetapkan", "kaban")
    sk.refresh_from_db()
    assert (sk.workflow_state, sk.number, sk.docstatus) == ("Koreksi Kepala Badan", "", 0)
    assert list(NamingCounter.objects.values_list("series__key", "period", "current")) == counters
    assert WorkflowLog.objects.filter(doctype="Surat Keputusan", document_id=sk.pk).count() == logs
    assert not IssuedDocument.objects.filter(doctype="Surat Keputusan", document_id=sk.pk).exists()
    assert not KeanggotaanTim.objects.filter(sumber_doctype="Surat Keputusan", sumber_id=sk.pk).exists()


def test_sk_without_a_team_needs_no_members():
    sk = make_sk(members=[], tim=None, tim_mulai=None, tim_selesai=None, tentang="Penetapan Standar Pelayanan")
    sk = apply(apply(sk, "Ajukan", "kabid_poldagri").doc, "Tetapkan", "kaban").doc
    assert sk.workflow_state == "Ditetapkan" and sk.number.startswith("188.4/")
    text = flat(pdf_text(IssuedDocument.objects.get(doctype="Surat Keputusan", document_id=sk.pk).file.read()))
    assert "PENETAPAN STANDAR PELAYANAN" in text and "LAMPIRAN" not in text


def test_decree_register_is_consecutive_and_separate_from_outgoing_letters():
    outgoing = list(NamingCounter.objects.filter(series__key="surat-keluar").values_list("period", "current"))
    numbers = []
    for i in range(3):
        sk = make_sk(members=[], tim=None, tim_mulai=None, tim_selesai=None, tentang=f"Keputusan ke-{i + 1}")
        numbers.append(apply(apply(sk, "Ajukan", "kabid_poldagri").doc, "Tetapkan", "kaban").doc.number)
    seqs = [int(n.split("/")[1]) for n in numbers]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]
    assert list(NamingCounter.objects.filter(series__key="surat-keluar").values_list("period", "current")) == outgoing


def test_head_cannot_decree_what_he_drafted():
    poldagri = user("kabid_poldagri").pegawai.unit
    sk = make_sk(by="kaban", unit=poldagri, members=[], tim=None, tim_mulai=None, tim_selesai=None)
    sk = apply(sk, "Ajukan", "kabid_poldagri").doc
    refused(sk, "Tetapkan", "kaban", SelfApprovalNotAllowed)
