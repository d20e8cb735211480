"""Banpol (P5.4.1) and Hibah Ormas (P5.6.2) applied for by the party or the
Ormas through the public portal, with the same tracking, return with a reason
and resubmission as the SKT."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from apps.bakesbangpol.pembinaan.demo import demo_parpol
from apps.bakesbangpol.pembinaan.models import HibahOrmas, Parpol, PermohonanBanpol
from apps.docflow.models import File
from apps.docflow.services.workflow import apply_action
from apps.portal.models import Pengajuan
from tests.conftest import user

from .test_portal import body, jpeg, pdf, png

TAHUN = timezone.localdate().year


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def banpol_data(singkatan="PKB", **overrides):
    demo_parpol()
    data = {
        "parpol": Parpol.objects.get(singkatan=singkatan).pk,
        "tahun_anggaran": TAHUN,
        "nomor_surat_permohonan": f"012/DPC-{singkatan}/I/{TAHUN}",
        "tanggal_surat_permohonan": f"{TAHUN}-01-15",
        "email_pemohon": "dpc@example.org",
        "website": "",
        "berkas_surat_permohonan": pdf("permohonan.pdf"),
        "berkas_sk_kepengurusan": pdf("sk.pdf"),
        "berkas_rekening": png("rekening.png"),
        "berkas_npwp": jpeg("npwp.jpg"),
    }
    data.update(overrides)
    return data


def hibah_data(**overrides):
    data = {
        "nama_ormas": "Paguyuban Seni Portal",
        "ketua": "H. Abdul Karim",
        "alamat": "Jl. Pahlawan No. 12, Pasuruan",
        "judul_proposal": "Festival Budaya Kebangsaan",
        "tahun_anggaran": TAHUN,
        "jumlah_diajukan": "25000000",
        "nama_bank": "Bank Jatim",
        "nomor_rekening": "0012345678",
        "email_pemohon": "",
        "website": "",
        "berkas_proposal": pdf("proposal.pdf"),
        "berkas_legalitas": pdf("skt.pdf"),
        "berkas_ktp_ketua": png("ktp.png"),
    }
    data.update(overrides)
    return data


def test_service_page_lists_banpol_and_hibah(client):
    html = body(client.get("/"))
    assert "Bantuan Keuangan Partai Politik (Banpol)" in html and "Hibah bagi Ormas/LSM" in html
    assert 'href="/ajukan/banpol/"' in html and 'href="/ajukan/hibah-ormas/"' in html
    assert "Peraturan Pemerintah Nomor 1 Tahun 2018" in html


def test_party_applies_for_banpol_tracks_and_resubmits(client, mailoutbox, django_capture_on_commit_callbacks):
    demo_parpol()
    form = body(client.get("/ajukan/banpol/"))
    assert ">PKB</option>" in form and ">PERINDO</option>" not in form  # only parties with a seat
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ajukan/banpol/", banpol_data())
    assert response.status_code == 302, body(response)
    pengajuan = Pengajuan.objects.get()
    doc = PermohonanBanpol.objects.get(pk=pengajuan.document_id)
    assert doc.workflow_state == "Diajukan" and doc.unit.kode == "BID_POLDAGRI"
    assert doc.jumlah_bantuan == 31250 * 4860  # computed, never typed by the applicant
    assert File.objects.filter(attached_to_name=doc.name).count() == 4
    assert pengajuan.kode in mailoutbox[0].body

    # staff returns it with a reason; the party sees the reason and resubmits
    doc = apply_action(
        doc=doc, action="Kembalikan ke Parpol", user=user("staf_poldagri"), comment="SK kepengurusan sudah kedaluwarsa."
    ).doc
    page = body(client.get(f"/lacak/{pengajuan.kode}/"))
    assert "Dikembalikan ke Parpol" in page and "SK kepengurusan sudah kedaluwarsa." in page
    response = client.post(
        f"/lacak/{pengajuan.kode}/",
        {"catatan": "SK terbaru terlampir.", "berkas_1": pdf("sk-baru.pdf"), "website": ""},
    )
    assert response.status_code == 302, body(response)
    doc.refresh_from_db()
    assert doc.workflow_state == "Diajukan"
    # and it goes on to the Tim Verifikasi as any other application
    doc = apply_action(doc=doc, action="Teruskan ke Tim Verifikasi", user=user("staf_poldagri")).doc
    assert "Diterima Tim Verifikasi" in body(client.get(f"/lacak/{pengajuan.kode}/"))


def test_party_without_seat_or_twice_is_refused_with_a_message(client):
    demo_parpol()
    perindo = Parpol.objects.get(singkatan="PERINDO").pk
    response = client.post("/ajukan/banpol/", banpol_data(parpol=perindo))
    assert response.status_code == 200 and not Pengajuan.objects.exists()
    assert client.post("/ajukan/banpol/", banpol_data()).status_code == 302
    response = client.post("/ajukan/banpol/", banpol_data())
    assert response.status_code == 200
    assert "sudah memiliki permohonan Banpol" in body(response)
    assert Pengajuan.objects.count() == 1


def test_ormas_applies_for_hibah_tracks_and_resubmits(client):
    response = client.post("/ajukan/hibah-ormas/", hibah_data())
    assert response.status_code == 302, body(response)
    pengajuan = Pengajuan.objects.get()
    doc = HibahOrmas.objects.get(pk=pengajuan.document_id)
    assert doc.workflow_state == "Proposal Diterima" and doc.unit.kode == "BID_KBK"
    assert File.objects.filter(attached_to_name=doc.name).count() == 3
    doc = apply_action(
        doc=doc, action="Kembalikan ke Ormas", user=user("staf_kbk"), comment="RAB belum dirinci per kegiatan."
    ).doc
    page = body(client.get(f"/lacak/{pengajuan.kode}/"))
    assert "Dikembalikan ke Ormas" in page and "RAB belum dirinci per kegiatan." in page
    response = client.post(f"/lacak/{pengajuan.kode}/", {"berkas_1": pdf("rab.pdf"), "website": ""})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.workflow_state == "Proposal Diterima"
    doc = apply_action(doc=doc, action="Proposal Layak", user=user("staf_kbk")).doc
    assert "Menunggu Nota Dinas" in body(client.get(f"/lacak/{pengajuan.kode}/"))
