"""The Lembar Disposisi of a Surat Masuk, rendered and read back."""

import datetime

import time_machine

from apps.bakesbangpol.umum.services import disposisi_buat
from apps.docflow import printing
from apps.docflow.models import PrintFormat
from tests.conftest import pdf_text, user

from .helpers import SENIN, apply, flat, instruksi, no_demo_delegation, unit, verified_surat

KBK = "Bidang Ketahanan Bangsa dan Kemasyarakatan"
IWK = "Bidang Ideologi, Wawasan Kebangsaan dan Kewaspadaan Nasional"


def lembar(surat):
    pf = PrintFormat.objects.get(name="Lembar Disposisi", doc_type="Surat Masuk")
    return flat(pdf_text(printing.render_pdf(pf, printing.build_context(surat))))


def test_lembar_disposisi_shows_the_letter_and_every_disposition():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        surat = verified_surat(
            pengirim="Komisi Pemilihan Umum Kota Pasuruan",
            perihal="Permohonan fasilitasi rapat koordinasi pemilu",
        )
        empty = lembar(surat)  # printed for the Kepala Badan to write on
        assert surat.number in empty and "Tindak lanjuti" not in empty
        kbk, iwk = disposisi_buat(
            surat=surat,
            dari=user("kaban"),
            tujuan=[{"unit": unit("BID_KBK"), "orang": None}, {"unit": unit("BID_IWK"), "orang": None}],
            instruksi=instruksi("Tindak lanjuti", "Koordinasikan"),
            catatan="Fasilitasi sesuai ketentuan.",
            batas_waktu=datetime.date(2026, 12, 4),
        )
        (staf,) = disposisi_buat(
            surat=surat,
            dari=user("kabid_kbk"),
            induk=kbk,
            tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
            instruksi=instruksi("Hadiri/wakili"),
            catatan="Wakili rapat.",
            batas_waktu=datetime.date(2026, 12, 2),
        )
        apply(staf, "Selesai", "staf_kbk", comment="Sudah dihadiri.")
        surat.refresh_from_db()
        text = lembar(surat)
    assert "LEMBAR DISPOSISI" in text
    assert surat.number in text and surat.number.endswith("/SM/2026")
    assert "Komisi Pemilihan Umum Kota Pasuruan" in text
    assert "Permohonan fasilitasi rapat koordinasi pemilu" in text
    assert surat.nomor_surat in text
    assert KBK in text and IWK in text
    assert "Yusuf Effendi" in text  # addressed in person at the third column
    for nama in ("Tindak lanjuti", "Koordinasikan", "Hadiri/wakili"):  # narrow column: compare without spaces
        assert nama.replace(" ", "") in text.replace(" ", ""), nama
    assert "Fasilitasi sesuai ketentuan." in text and "Wakili rapat." in text
    assert "4 Desember 2026" in text and "2 Desember 2026" in text
    assert "Sudah dihadiri." in text
    assert "Drs. Hadi Santoso, M.Si." in text and "Agus Prasetyo, S.H., M.H." in text
    # the chain in order: the Kepala Badan's rows come before the one passed on
    assert text.index("Fasilitasi sesuai ketentuan.") < text.index("Wakili rapat.")
