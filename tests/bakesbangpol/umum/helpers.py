"""Shared builders for the P1.2 persuratan tests: every state is reached
through the real services (document_create, apply_action, disposisi_buat)."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest

from apps.bakesbangpol.umum.models import InstruksiDisposisi, KlasifikasiArsip, SuratKeluar, SuratMasuk
from apps.docflow.models import WorkflowLog
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create
from apps.organisasi.models import Delegasi, Unit
from tests.conftest import pdf_upload, user

WIB = ZoneInfo("Asia/Jakarta")
# A Monday, 09:00 local time: working day, far from the year's end.
SENIN = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=WIB)


def apply(doc, action, as_, **kwargs):
    return apply_action(doc=doc, action=action, user=user(as_), **kwargs)


def refused(doc, action, as_, error, **kwargs):
    """The step is refused with ``error``; neither state nor log moved."""
    doctype = doc.doctype
    before = (doc.workflow_state, doc.state_seq, doc.number)
    logs = WorkflowLog.objects.filter(document_id=doc.pk, doctype=doctype).count()
    with pytest.raises(error):
        apply(doc, action, as_, **kwargs)
    doc.refresh_from_db()
    assert (doc.workflow_state, doc.state_seq, doc.number) == before
    assert WorkflowLog.objects.filter(document_id=doc.pk, doctype=doctype).count() == logs


def actions(doc, as_):
    from apps.docflow.services.workflow import available_actions

    return {a.action for a in available_actions(doc, user(as_))}


def unit(kode):
    return Unit.objects.get(kode=kode)


def instruksi(*names):
    found = list(InstruksiDisposisi.objects.filter(nama__in=names))
    assert len(found) == len(names), names
    return found


def klasifikasi(kode):
    return KlasifikasiArsip.objects.get(kode=kode)


def flat(text: str) -> str:
    """PDF text with line breaks and repeated spaces folded to one space."""
    return re.sub(r"\s+", " ", text)


def no_demo_delegation():
    """The demo accounts come with a standing Plh. (kaban -> sekretaris) a month
    ahead; cancel it so a travelled clock never lands in it."""
    Delegasi.objects.update(dibatalkan=True)


# --- Surat Masuk --------------------------------------------------------------------------


def surat_masuk_data(**overrides):
    data = {
        "pengirim": "Kepolisian Resor Kota Pasuruan",
        "nomor_surat": "B/1234/XI/2026/Intelkam",
        "tanggal_surat": datetime.date(2026, 11, 20),
        "tanggal_diterima": datetime.date(2026, 11, 23),
        "perihal": "Permintaan data organisasi kemasyarakatan",
        "sifat": "Biasa",
    }
    data.update(overrides)
    return data


def register_surat(by="persuratan", **overrides):
    return document_create(model=SuratMasuk, user=user(by), data=surat_masuk_data(**overrides))


def scan(by="persuratan"):
    return file_create(uploaded=pdf_upload("scan-surat.pdf"), user=user(by))


def verified_surat(**overrides):
    doc = register_surat(**overrides)
    return apply(doc, "Verifikasi dan Teruskan", "persuratan", attachments=[scan()]).doc


# --- Surat Keluar --------------------------------------------------------------------------


def surat_keluar_data(**overrides):
    data = {
        "jenis": SuratKeluar.Jenis.SURAT_DINAS,
        "klasifikasi": klasifikasi("220"),
        "sifat": "Biasa",
        "hal": "Undangan rapat koordinasi ormas",
        "kepada": "Ketua Forum Kerukunan Umat Beragama\nKetua Paguyuban Warga Gadingrejo",
        "alamat_tujuan": "Tempat",
        "isi": "Dengan hormat, bersama ini kami sampaikan permohonan data.\n\nDemikian atas perhatiannya kami sampaikan terima kasih.",
    }
    data.update(overrides)
    return data


def make_surat_keluar(by="staf_kbk", unit_kode=None, **overrides):
    return document_create(
        model=SuratKeluar,
        user=user(by),
        unit=unit(unit_kode) if unit_kode else None,
        data=surat_keluar_data(**overrides),
    )


SURAT_KELUAR_STEPS = [
    ("Menunggu Persetujuan Permohonan", "Ajukan Permohonan", "staf_kbk"),
    ("Konsep", "Setujui Pembuatan", "kaban"),
    ("Koreksi Kepala Badan", "Ajukan Konsep", "staf_kbk"),
    ("Ditandatangani", "Tandatangani", "kaban"),
    ("Didistribusikan", "Distribusikan", "persuratan"),
    ("Diarsipkan", "Arsipkan", "persuratan"),
]


def advance_surat_keluar(doc, target):
    """Move a Surat Keluar along the reference path up to ``target``."""
    for state, action, who in SURAT_KELUAR_STEPS:
        if doc.workflow_state == target:
            return doc
        doc = apply(doc, action, who).doc
        assert doc.workflow_state == state
    assert doc.workflow_state == target, doc.workflow_state
    return doc
