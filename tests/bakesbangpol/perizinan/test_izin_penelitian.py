"""P8.2 Pelayanan Penerbitan Surat Izin Penelitian: transitions, refusals,
the letter read back, and the register of active permits."""

import datetime

import pytest

from apps.bakesbangpol.perizinan.models import PermohonanIzinPenelitian
from apps.docflow.exceptions import CommentRequired, OutsideUnitScope, RoleNotAllowed, StateConflict
from apps.docflow.services.workflow import apply_action, document_create
from tests.conftest import pdf_text, user


def make_izin(**overrides):
    data = {
        "nama_peneliti": "Nadia Putri Ramadhani",
        "nik": "3575010202950001",
        "status_pemohon": "Mahasiswa S1",
        "instansi": "Universitas Negeri Malang",
        "alamat": "Jl. Veteran No. 5, Malang",
        "telepon": "081234567890",
        "judul": "Partisipasi pemilih pemula di Kota Pasuruan",
        "tujuan": "Penyusunan skripsi",
        "lokasi": "Bakesbangpol Kota Pasuruan\nKecamatan Purworejo",
        "tanggal_mulai": datetime.date(2026, 12, 7),
        "tanggal_selesai": datetime.date(2027, 2, 26),
        "nomor_surat_pengantar": "123/UN32/PP/2026",
        "tanggal_surat_pengantar": datetime.date(2026, 11, 20),
    }
    data.update(overrides)
    return document_create(model=PermohonanIzinPenelitian, user=user("staf_iwk"), data=data)


def apply(doc, action, as_, **kw):
    return apply_action(doc=doc, action=action, user=user(as_), **kw)


def refused(doc, action, as_, error, **kw):
    state = doc.workflow_state
    with pytest.raises(error):
        apply(doc, action, as_, **kw)
    doc.refresh_from_db()
    assert doc.workflow_state == state


def test_full_path_with_refusals_and_the_letter():
    doc = make_izin()
    assert (doc.workflow_state, doc.unit.kode) == ("Menunggu Disposisi", "BID_IWK")
    refused(doc, "Disposisi ke Bidang", "kabid_iwk", RoleNotAllowed)
    doc = apply(doc, "Disposisi ke Bidang", "kaban", comment="Proses.").doc
    assert doc.workflow_state == "Diproses Bidang"
    refused(doc, "Ajukan Tanda Tangan", "pelayanan_kbk", RoleNotAllowed)
    refused(doc, "Ajukan Tanda Tangan", "staf_kbk", OutsideUnitScope)
    doc = apply(doc, "Ajukan Tanda Tangan", "staf_iwk").doc
    refused(doc, "Tandatangani", "staf_iwk", RoleNotAllowed)
    result = apply(doc, "Tandatangani", "kaban")
    doc = result.doc
    assert doc.workflow_state == "Surat Izin Terbit" and doc.docstatus == 1
    assert doc.number.startswith("070/") and doc.number.endswith("/423.108/" + str(doc.number_date.year))
    text = pdf_text(result.issued.file.read())
    assert doc.number in text
    assert "Nadia Putri Ramadhani" in text
    assert "Partisipasi pemilih pemula di Kota Pasuruan" in text
    assert "7 Desember 2026 s.d. 26 Februari 2027" in text
    assert result.issued.valid_until == datetime.date(2027, 2, 26)


def test_return_needs_a_reason_and_staff_can_record_the_fix():
    doc = apply(make_izin(), "Disposisi ke Bidang", "kaban").doc
    refused(doc, "Kembalikan ke Pemohon", "staf_iwk", CommentRequired)
    refused(doc, "Kembalikan ke Pemohon", "staf_kbk", OutsideUnitScope, comment="x")
    doc = apply(doc, "Kembalikan ke Pemohon", "staf_iwk", comment="Proposal belum ditandatangani pembimbing.").doc
    assert doc.workflow_state == "Dikembalikan ke Pemohon"
    with pytest.raises(StateConflict):
        apply(doc, "Terima Perbaikan", "staf_iwk", expected_state="Diproses Bidang")
    assert apply(doc, "Terima Perbaikan", "staf_iwk").doc.workflow_state == "Diproses Bidang"


def test_head_can_send_back_or_refuse_with_a_reason():
    doc = apply(apply(make_izin(), "Disposisi ke Bidang", "kaban").doc, "Ajukan Tanda Tangan", "staf_iwk").doc
    refused(doc, "Kembalikan ke Bidang", "kaban", CommentRequired)
    doc = apply(doc, "Kembalikan ke Bidang", "kaban", comment="Perjelas lokasi.").doc
    doc = apply(doc, "Ajukan Tanda Tangan", "staf_iwk").doc
    doc = apply(doc, "Tolak", "kaban", comment="Lokasi di luar wilayah Kota Pasuruan.").doc
    assert doc.workflow_state == "Ditolak" and doc.number == ""


def test_period_must_be_in_order():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        make_izin(tanggal_mulai=datetime.date(2027, 1, 10), tanggal_selesai=datetime.date(2027, 1, 1))
    assert "tanggal_selesai" in exc.value.message_dict
    assert not PermohonanIzinPenelitian.objects.exists()


def test_register_shows_active_and_expired_permits(login_as):
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 30, 9, 0), tick=True):
        active = make_izin(nama_peneliti="Peneliti Aktif", tanggal_mulai=datetime.date(2026, 11, 1))
        expired = make_izin(
            nama_peneliti="Peneliti Lama",
            tanggal_mulai=datetime.date(2026, 1, 5),
            tanggal_selesai=datetime.date(2026, 3, 5),
        )
        for doc in (active, expired):
            doc = apply(doc, "Disposisi ke Bidang", "kaban").doc
            doc = apply(doc, "Ajukan Tanda Tangan", "staf_iwk").doc
            apply(doc, "Tandatangani", "kaban")
        client = login_as("kabid_iwk")
        page = client.get("/app/perizinan/permohonanizinpenelitian/?status_izin=aktif").content.decode()
        assert "Peneliti Aktif" in page and "Peneliti Lama" not in page
        page = client.get("/app/perizinan/permohonanizinpenelitian/?status_izin=kedaluwarsa").content.decode()
        assert "Peneliti Lama" in page and "Peneliti Aktif" not in page
