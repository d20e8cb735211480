"""P5.6.1 Pembinaan Ormas: an attending Ormas is picked from the SKT register
(a Link from a child row of a data-defined doctype to the code-defined
Permohonan SKT), and the Laporan Kegiatan prints its SKT number."""

import datetime

from apps.docflow import registry
from apps.docflow.models import PrintFormat
from apps.docflow.printing import draft_context, render_pdf
from apps.docflow.services.workflow import document_create
from tests.conftest import advance_skt, make_skt, pdf_text, user


def test_an_attending_ormas_links_its_skt_and_the_report_prints_its_number():
    skt = advance_skt(make_skt(nama_ormas="Ormas Terdaftar Pasuruan"), "SKT Terbit")
    assert skt.number
    doc = document_create(
        model=registry.get("Pembinaan Ormas").model,
        user=user("staf_kbk"),
        data={
            "nama_kegiatan": "Pembinaan Ormas Terdaftar",
            "tahun_anggaran": 2026,
            "tanggal_kegiatan": datetime.date(2026, 11, 20),
            "tempat": "Aula Bakesbangpol",
            "peserta_ormas": [
                {
                    "permohonan_skt": skt.pk,
                    "nama_ormas": "Ormas Terdaftar Pasuruan",
                    "jenis": "Ormas",
                    "jumlah_hadir": 2,
                },
                {"nama_ormas": "LSM Belum Terdaftar", "jenis": "LSM", "jumlah_hadir": 1},
            ],
        },
    )
    rows = list(doc.peserta_ormas.order_by("idx"))
    assert rows[0].permohonan_skt == skt and rows[1].permohonan_skt is None
    pf = PrintFormat.objects.get(name="Laporan Kegiatan Pembinaan Ormas")
    text = " ".join(pdf_text(render_pdf(pf, draft_context(doc, pf))).split())
    assert skt.number in text and "Ormas Terdaftar Pasuruan" in text
    assert "LSM Belum Terdaftar" in text and "belum terdaftar" in text
