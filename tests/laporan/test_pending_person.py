"""Dispositions waiting for a person appear per person in the pending report."""

import datetime

import pytest

from apps.bakesbangpol.umum import services
from apps.bakesbangpol.umum.models import InstruksiDisposisi, SuratMasuk
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create
from apps.laporan.selectors import pending_per_person
from apps.organisasi.models import Unit
from tests.conftest import pdf_upload, user

# Reports are aggregate SQL.
pytestmark = pytest.mark.engine


def test_disposition_to_a_person_is_pending_for_that_person(login_as):
    clerk = user("persuratan")
    surat = document_create(
        model=SuratMasuk,
        user=clerk,
        data={
            "pengirim": "Dinas Sosial",
            "nomor_surat": "400/12/2026",
            "tanggal_surat": datetime.date(2026, 11, 20),
            "tanggal_diterima": datetime.date(2026, 11, 23),
            "perihal": "Permintaan data Ormas",
        },
    )
    surat = apply_action(
        doc=surat,
        action="Verifikasi dan Teruskan",
        user=clerk,
        attachments=[file_create(uploaded=pdf_upload(), user=clerk)],
    ).doc
    services.disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": Unit.objects.get(kode="BID_KBK"), "orang": user("staf_kbk")}],
        instruksi=InstruksiDisposisi.objects.filter(nama="Siapkan jawaban"),
    )
    rows = pending_per_person(user("kaban"))
    assert [(r.doctype, r.person, r.count) for r in rows] == [("Disposisi", "Yusuf Effendi", 1)]
    assert pending_per_person(user("kabid_iwk")) == []
    page = login_as("kabid_kbk").get("/app/laporan/tertunda/").content.decode()
    assert "Yusuf Effendi" in page.split('id="pending-person"')[1]
