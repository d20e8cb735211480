"""The public portal: the service page, applying online, tracking with the
code, returning and resubmitting, downloading and verifying the letter."""

import datetime
import hashlib
import io
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import dateformat, timezone, translation
from pypdf import PdfReader, PdfWriter

from apps.bakesbangpol.perizinan.models import PermohonanIzinPenelitian, PermohonanSKT
from apps.docflow.models import File, IssuedDocument, WorkflowLog
from apps.docflow.services.workflow import apply_action
from apps.portal.models import ALPHABET, Pengajuan
from tests.conftest import PDF_BYTES, pdf_text, user

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
CODE_RE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")

PENELITI = "Siti Nurhaliza Peneliti"
JUDUL = "Partisipasi Pemilih Pemula dalam Pemilihan Wali Kota Pasuruan"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def body(response) -> str:
    return response.content.decode()


def pdf(name="berkas.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="ktp.png"):
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def jpeg(name="ktp.jpg"):
    return SimpleUploadedFile(name, JPEG_BYTES, content_type="image/jpeg")


def pip_data(**overrides):
    data = {
        "nama_peneliti": PENELITI,
        "nik": "3575016502990001",
        "status_pemohon": "Mahasiswa S1",
        "instansi": "Universitas Negeri Malang",
        "program_studi": "Ilmu Politik",
        "alamat": "Jl. Veteran No. 5, Malang",
        "telepon": "081234567890",
        "email": "",
        "judul": JUDUL,
        "tujuan": "Menyusun skripsi",
        "lokasi": "Bakesbangpol Kota Pasuruan\nKPU Kota Pasuruan",
        "tanggal_mulai": "2026-12-07",
        "tanggal_selesai": "2027-03-06",
        "anggota": "",
        "pembimbing": "Dr. Bambang Pembimbing",
        "nomor_surat_pengantar": "123/UN32.3/PT/2026",
        "tanggal_surat_pengantar": "2026-11-20",
        "email_pemohon": "",
        "website": "",
    }
    data.update(overrides)
    return data


def pip_files(**overrides):
    files = {
        "berkas_surat_pengantar": pdf("pengantar.pdf"),
        "berkas_proposal": jpeg("proposal.jpg"),
        "berkas_ktp": png("ktp.png"),
    }
    files.update(overrides)
    return {k: v for k, v in files.items() if v is not None}


def skt_form_data(**overrides):
    data = {
        "nama_ormas": "Paguyuban Warga Portal",
        "singkatan": "PWP",
        "bidang_kegiatan": "Sosial kemasyarakatan",
        "alamat_sekretariat": "Jl. Pahlawan No. 7",
        "kelurahan": "Bugul Kidul",
        "kecamatan": "Bugul Kidul",
        "telepon": "0343123456",
        "email": "",
        "nomor_akta": "",
        "tanggal_akta": "",
        "notaris": "",
        "npwp": "",
        "ketua_nama": "Ahmad Ketua",
        "ketua_nik": "3575010101010001",
        "sekretaris_nama": "Budi Sekretaris",
        "bendahara_nama": "Citra Bendahara",
        "nomor_surat_permohonan": "",
        "tanggal_surat_permohonan": "",
        "email_pemohon": "",
        "website": "",
    }
    data.update(overrides)
    return data


def skt_files():
    return {
        "berkas_surat_permohonan": pdf("permohonan.pdf"),
        "berkas_akta_pendirian": pdf("akta.pdf"),
        "berkas_susunan_pengurus": png("pengurus.png"),
        "berkas_surat_domisili": jpeg("domisili.jpg"),
        "berkas_ktp_pengurus": pdf("ktp.pdf"),
    }


def submit(client, data=None, files=None, slug="izin-penelitian"):
    payload = dict(pip_data() if data is None else data)
    payload.update(pip_files() if files is None else files)
    return client.post(f"/ajukan/{slug}/", payload)


def apply_pip(client, **overrides):
    response = submit(client, pip_data(**overrides))
    assert response.status_code == 302, body(response)
    return Pengajuan.objects.latest("pk")


def doc_of(pengajuan):
    return PermohonanIzinPenelitian.objects.get(pk=pengajuan.document_id)


def act(doc, action, username, comment=""):
    return apply_action(doc=doc, action=action, user=user(username), comment=comment).doc


def issue(doc):
    doc = act(doc, "Disposisi ke Bidang", "kaban", comment="Catatan internal rahasia")
    doc = act(doc, "Ajukan Tanda Tangan", "staf_iwk")
    doc = act(doc, "Tandatangani", "kaban")
    assert doc.workflow_state == "Surat Izin Terbit"
    return doc, IssuedDocument.objects.get(doctype="Permohonan Izin Penelitian", document_id=doc.pk)


def nothing_created():
    return not (
        PermohonanIzinPenelitian.objects.exists()
        or PermohonanSKT.objects.filter(nama_ormas="Paguyuban Warga Portal").exists()
        or File.objects.exists()
        or Pengajuan.objects.exists()
    )


# --- the service page ---------------------------------------------------------------


def test_service_page_lists_both_services(client):
    response = client.get("/")
    assert response.status_code == 200
    html = body(response)
    assert "Surat Keterangan Terdaftar (SKT) Ormas/LSM" in html
    assert "Surat Izin Penelitian" in html
    # requirements
    assert "Akta pendirian oleh notaris yang memuat AD atau AD dan ART" in html
    assert "Proposal penelitian" in html
    # legal basis
    assert "Undang-Undang Nomor 17 Tahun 2013" in html
    assert "Peraturan Menteri Dalam Negeri Nomor 3 Tahun 2018" in html
    # service time in working days: the SLA of the states up to the issue
    assert "5 hari kerja" in html  # izin penelitian: 1 + 3 + 1
    assert re.search(r"\d+ hari kerja sejak berkas lengkap", html)
    assert html.count("Gratis") >= 2
    assert 'href="/ajukan/skt/"' in html
    assert 'href="/ajukan/izin-penelitian/"' in html


def test_apply_form_is_shown(client):
    response = client.get("/ajukan/izin-penelitian/")
    assert response.status_code == 200
    html = body(response)
    for name in ("nama_peneliti", "nik", "judul", "berkas_surat_pengantar", "berkas_proposal", "berkas_ktp", "website"):
        assert f'name="{name}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert client.get("/ajukan/tidak-ada/").status_code == 404


# --- applying ---------------------------------------------------------------------


def test_apply_for_research_permit(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, pip_data(email_pemohon="peneliti@example.org"))
    assert response.status_code == 302
    pengajuan = Pengajuan.objects.get()
    assert response["Location"] == f"/lacak/{pengajuan.kode}/?baru=1"
    assert CODE_RE.match(pengajuan.kode), pengajuan.kode
    assert not set(pengajuan.kode.replace("-", "")) & set("01OI")

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = body(page)
    assert pengajuan.kode in html
    assert "Permohonan Anda telah diterima" in html
    assert "Menunggu Disposisi" in html

    doc = doc_of(pengajuan)
    assert doc.workflow_state == "Menunggu Disposisi"
    assert doc.nama_peneliti == PENELITI
    assert doc.tanggal_mulai == datetime.date(2026, 12, 7)
    assert pengajuan.document_name == doc.name
    assert pengajuan.email == "peneliti@example.org"
    assert doc.unit.kode == "BID_IWK"

    files = File.objects.filter(attached_to_doctype="Permohonan Izin Penelitian", attached_to_name=doc.name)
    assert files.count() == 3
    assert sorted(f.content_type for f in files) == ["application/pdf", "image/jpeg", "image/png"]
    assert {f.file_name.split("-", 1)[0] for f in files} == {"surat_pengantar", "proposal", "ktp"}
    pdf_file = files.get(content_type="application/pdf")
    assert pdf_file.content_hash == hashlib.sha256(PDF_BYTES).hexdigest()

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["peneliti@example.org"]
    assert pengajuan.kode in mail.subject
    assert pengajuan.kode in mail.body
    assert doc.name in mail.body
    assert f"/lacak/{pengajuan.kode}/" in mail.body


def test_no_mail_without_address_and_codes_differ(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = apply_pip(client)
        second = apply_pip(client, nama_peneliti="Peneliti Kedua")
    assert mailoutbox == []
    assert first.kode != second.kode
    assert first.document_id != second.document_id
    assert CODE_RE.match(first.kode) and CODE_RE.match(second.kode)


def test_apply_for_skt(client, mailoutbox, django_capture_on_commit_callbacks):
    data = skt_form_data(email="sekretariat@example.org")
    payload = {**data, **skt_files()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/ajukan/skt/", payload)
    assert response.status_code == 302, body(response)
    pengajuan = Pengajuan.objects.get()
    assert response["Location"] == f"/lacak/{pengajuan.kode}/?baru=1"
    assert pengajuan.layanan == "skt"
    doc = PermohonanSKT.objects.get(pk=pengajuan.document_id)
    assert doc.workflow_state == "Menunggu Verifikasi"
    assert doc.nama_ormas == "Paguyuban Warga Portal"
    assert File.objects.filter(attached_to_doctype="Permohonan SKT", attached_to_name=doc.name).count() == 5
    # the organisation's own address is used when no separate one is given
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sekretariat@example.org"]
    assert pengajuan.kode in mailoutbox[0].body
    page = client.get(f"/lacak/{pengajuan.kode}/")
    assert "Menunggu Verifikasi" in body(page)


# --- refusals: nothing is created and the applicant is told why ----------------------------


def refused(response, message):
    assert response.status_code == 200
    html = body(response)
    assert "Permohonan belum dapat dikirim" in html
    assert message in html, html
    assert nothing_created()


def test_disguised_file_is_refused(client):
    fake = SimpleUploadedFile("proposal.pdf", b"ini hanya teks biasa, bukan PDF", content_type="application/pdf")
    response = submit(client, files=pip_files(berkas_proposal=fake))
    refused(response, "bukan PDF, JPEG atau PNG (diperiksa dari isinya, bukan dari namanya)")


def test_file_over_the_limit_is_refused(client, settings):
    settings.DOCFLOW_MAX_UPLOAD_BYTES = 1024
    big = pdf("besar.pdf", PDF_BYTES + b"0" * 2048)
    response = submit(client, files=pip_files(berkas_proposal=big))
    refused(response, "Berkas besar.pdf terlalu besar")


def test_missing_required_field_is_refused(client):
    response = submit(client, pip_data(judul=""))
    refused(response, "Bidang ini tidak boleh kosong")


def test_missing_required_attachment_is_refused(client):
    response = submit(client, files=pip_files(berkas_ktp=None))
    refused(response, "Bidang ini tidak boleh kosong")


def test_invalid_nik_is_refused(client):
    response = submit(client, pip_data(nik="35750165"))
    refused(response, "NIK terdiri dari 16 angka.")


def test_end_before_start_is_refused(client):
    response = submit(client, pip_data(tanggal_mulai="2026-12-07", tanggal_selesai="2026-12-01"))
    refused(response, "Tanggal selesai tidak boleh sebelum tanggal mulai penelitian.")


def test_honeypot_is_refused(client):
    response = submit(client, pip_data(website="http://spam.example"))
    refused(response, "Permohonan tidak dapat diproses.")


def test_rate_limit(client, settings):
    settings.PORTAL_RATE_SUBMIT = "2/m"
    assert submit(client).status_code == 302
    assert submit(client, pip_data(nama_peneliti="Kedua")).status_code == 302
    response = submit(client, pip_data(nama_peneliti="Ketiga"))
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in body(response)
    assert Pengajuan.objects.count() == 2
    assert PermohonanIzinPenelitian.objects.count() == 2
    assert File.objects.count() == 6


def test_track_rate_limit(client, settings):
    settings.PORTAL_RATE_TRACK = "2/m"
    client.get("/lacak/AAAA-BBBB-CCCC/")
    client.get("/lacak/AAAA-BBBB-CCCC/")
    response = client.get("/lacak/AAAA-BBBB-CCCC/")
    assert response.status_code == 429
    assert "Silakan coba lagi" in body(response)


def test_verify_rate_limit(client, settings):
    settings.PORTAL_RATE_VERIFY = "1/m"
    assert client.get("/verifikasi/tidak-ada").status_code == 404
    assert client.get("/verifikasi/tidak-ada").status_code == 429


def test_csrf_is_enforced():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/ajukan/izin-penelitian/").status_code == 200
    response = submit(client)
    assert response.status_code == 403
    assert nothing_created()


def test_csrf_token_from_the_form_is_accepted():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/ajukan/izin-penelitian/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body(page)).group(1)
    response = submit(client, pip_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302


# --- tracking -----------------------------------------------------------------------


def test_unknown_code_is_404(client):
    response = client.get("/lacak/TIDAK-ADA/")
    assert response.status_code == 404
    assert "Kode pelacakan tidak dikenal" in body(response)
    # a well-formed guess is no better
    response = client.get("/lacak/ABCD-EFGH-JKLM/")
    assert response.status_code == 404
    assert "Kode pelacakan tidak dikenal" in body(response)


def test_track_search_form_redirects(client):
    pengajuan = apply_pip(client)
    response = client.get("/lacak/", {"kode": f" {pengajuan.kode.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{pengajuan.kode}/"


def test_lowercase_code_works(client):
    pengajuan = apply_pip(client)
    response = client.get(f"/lacak/{pengajuan.kode.lower()}/")
    assert response.status_code == 200
    assert pengajuan.kode in body(response)


def test_tracking_page_is_public_safe(client):
    pengajuan = apply_pip(client)
    doc = act(doc_of(pengajuan), "Disposisi ke Bidang", "kaban", comment="Catatan internal rahasia")
    html = body(client.get(f"/lacak/{pengajuan.kode}/"))
    assert "Menunggu Disposisi" in html
    assert "Diproses Bidang" in html
    entry = WorkflowLog.objects.filter(document_id=doc.pk, action="Disposisi ke Bidang").get()
    with translation.override("id"):
        assert dateformat.format(timezone.localtime(entry.created_at), "j F Y, H:i") in html
    for secret in ("Catatan internal rahasia", "Hadi Santoso", "Rina Wulandari", "Dewi", "kaban", "staf_iwk"):
        assert secret not in html, secret

    doc = act(doc, "Kembalikan ke Pemohon", "staf_iwk", comment="Proposal belum ditandatangani pembimbing.")
    html = body(client.get(f"/lacak/{pengajuan.kode}/"))
    assert "Dikembalikan ke Pemohon" in html
    assert "Proposal belum ditandatangani pembimbing." in html
    for secret in ("Catatan internal rahasia", "Hadi Santoso", "Rina Wulandari", "Dewi", "staf_iwk"):
        assert secret not in html, secret
    assert 'name="berkas_1"' in html


def test_issued_letter_is_shown_and_downloadable(client):
    pengajuan = apply_pip(client)
    other = apply_pip(client, nama_peneliti="Peneliti Lain")
    doc, issued = issue(doc_of(pengajuan))

    html = body(client.get(f"/lacak/{pengajuan.kode}/"))
    assert "Surat Izin Terbit" in html
    assert doc.number in html
    assert "Hadi Santoso" in html  # the signing official, once the letter is issued
    assert "Catatan internal rahasia" not in html
    assert "Rina Wulandari" not in html
    href = f"/lacak/{pengajuan.kode}/unduh/{issued.pk}/"
    assert f'href="{href}"' in html

    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    issued.refresh_from_db()  # loaded while its PDF was pending; the download rendered it
    assert hashlib.sha256(data).hexdigest() == issued.sha256

    # another application's code does not open this letter
    assert client.get(f"/lacak/{other.kode}/unduh/{issued.pk}/").status_code == 404
    assert client.get(f"/lacak/ABCD-EFGH-JKLM/unduh/{issued.pk}/").status_code == 404
    assert client.get(f"/lacak/{pengajuan.kode}/unduh/{issued.pk + 999}/").status_code == 404
    # nor does the other application show it
    assert href not in body(client.get(f"/lacak/{other.kode}/"))


def test_letter_content(client):
    pengajuan = apply_pip(client)
    doc, issued = issue(doc_of(pengajuan))
    text = " ".join(pdf_text(issued.file.read()).split())
    assert doc.number in text
    assert PENELITI in text
    assert "Partisipasi Pemilih Pemula" in text
    assert "7 Desember 2026" in text
    assert "6 Maret 2027" in text
    assert "Universitas Negeri Malang" in text
    assert issued.token in "".join(text.split())  # the verification address (a long URL may wrap)


# --- return and resubmission ---------------------------------------------------------------


def returned_application(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pengajuan = apply_pip(client, email_pemohon="peneliti@example.org")
        doc = act(doc_of(pengajuan), "Disposisi ke Bidang", "kaban", comment="Catatan internal rahasia")
        doc = act(doc, "Kembalikan ke Pemohon", "staf_iwk", comment="KTP pemohon tidak terbaca, unggah ulang.")
    assert doc.workflow_state == "Dikembalikan ke Pemohon"
    return pengajuan, doc


def test_return_and_resubmit(client, mailoutbox, django_capture_on_commit_callbacks):
    pengajuan, doc = returned_application(client, django_capture_on_commit_callbacks)
    # received, dispositioned, returned
    assert len(mailoutbox) == 3
    mail = mailoutbox[-1]
    assert mail.to == ["peneliti@example.org"]
    assert pengajuan.kode in mail.subject
    assert "Dikembalikan ke Pemohon" in mail.body
    assert "KTP pemohon tidak terbaca, unggah ulang." in mail.body
    assert "Catatan internal rahasia" not in "".join(m.body for m in mailoutbox)

    page = client.get(f"/lacak/{pengajuan.kode}/")
    html = body(page)
    assert "KTP pemohon tidak terbaca, unggah ulang." in html
    assert 'id="kirim-perbaikan"' in html

    before = File.objects.filter(attached_to_name=doc.name).count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/lacak/{pengajuan.kode}/",
            {"catatan": "KTP sudah dipindai ulang.", "berkas_1": png("ktp-baru.png"), "website": ""},
        )
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{pengajuan.kode}/?dikirim=1"
    doc.refresh_from_db()
    assert doc.workflow_state == "Diproses Bidang"
    files = File.objects.filter(attached_to_doctype="Permohonan Izin Penelitian", attached_to_name=doc.name)
    assert files.count() == before + 1
    assert files.filter(file_name="ktp-baru.png", content_type="image/png").exists()
    entry = WorkflowLog.objects.filter(doctype="Permohonan Izin Penelitian", document_id=doc.pk).latest("pk")
    assert entry.action == "Ajukan Ulang"
    assert entry.from_state == "Dikembalikan ke Pemohon"
    assert entry.to_state == "Diproses Bidang"
    assert entry.comment == "KTP sudah dipindai ulang."
    assert list(entry.attachments.values_list("file_name", flat=True)) == ["ktp-baru.png"]

    html = body(client.get(response["Location"]))
    assert "Perbaikan berkas telah dikirim" in html
    assert "perbaikan dari pemohon" in html
    assert 'id="kirim-perbaikan"' not in html
    assert "Diproses Bidang" in mailoutbox[-1].body

    # staff see it back and can carry on
    doc = act(doc, "Ajukan Tanda Tangan", "staf_iwk")
    assert doc.workflow_state == "Menunggu Tanda Tangan"


def test_resubmission_when_not_returned_does_nothing(client):
    pengajuan = apply_pip(client)
    doc = act(doc_of(pengajuan), "Disposisi ke Bidang", "kaban")
    files = File.objects.count()
    logs = WorkflowLog.objects.count()
    response = client.post(f"/lacak/{pengajuan.kode}/", {"catatan": "iseng", "berkas_1": pdf("lagi.pdf")})
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/{pengajuan.kode}/"
    doc.refresh_from_db()
    assert doc.workflow_state == "Diproses Bidang"
    assert File.objects.count() == files
    assert WorkflowLog.objects.count() == logs
    assert 'name="berkas_1"' not in body(client.get(f"/lacak/{pengajuan.kode}/"))


def test_resubmission_with_disguised_file_is_refused(client, django_capture_on_commit_callbacks):
    pengajuan, doc = returned_application(client, django_capture_on_commit_callbacks)
    files = File.objects.count()
    logs = WorkflowLog.objects.count()
    fake = SimpleUploadedFile("ktp.png", b"MZ\x90\x00 bukan gambar", content_type="image/png")
    response = client.post(f"/lacak/{pengajuan.kode}/", {"catatan": "", "berkas_1": fake})
    assert response.status_code == 200
    assert "bukan PDF, JPEG atau PNG" in body(response)
    doc.refresh_from_db()
    assert doc.workflow_state == "Dikembalikan ke Pemohon"
    assert File.objects.count() == files
    assert WorkflowLog.objects.count() == logs


def test_resubmission_needs_a_file(client, django_capture_on_commit_callbacks):
    pengajuan, doc = returned_application(client, django_capture_on_commit_callbacks)
    response = client.post(f"/lacak/{pengajuan.kode}/", {"catatan": "tanpa berkas"})
    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong" in body(response)
    doc.refresh_from_db()
    assert doc.workflow_state == "Dikembalikan ke Pemohon"


def test_resubmission_honeypot_is_refused(client, django_capture_on_commit_callbacks):
    pengajuan, doc = returned_application(client, django_capture_on_commit_callbacks)
    response = client.post(f"/lacak/{pengajuan.kode}/", {"berkas_1": pdf(), "website": "x"})
    assert response.status_code == 200
    assert "Permohonan tidak dapat diproses." in body(response)
    doc.refresh_from_db()
    assert doc.workflow_state == "Dikembalikan ke Pemohon"


# --- verification -----------------------------------------------------------------


def test_verification_of_issued_letter(client):
    pengajuan = apply_pip(client)
    doc, issued = issue(doc_of(pengajuan))
    original = issued.file.read()

    response = client.get(f"/verifikasi/{issued.token}")
    assert response.status_code == 200
    html = body(response)
    assert "Dokumen ini asli" in html
    assert doc.number in html
    assert PENELITI in html
    assert issued.holder == PENELITI
    assert "Hadi Santoso" in html
    assert issued.valid_until == datetime.date(2027, 3, 6)
    assert "6 Maret 2027" in html
    assert "Berlaku" in html
    assert issued.sha256 in html

    response = client.post(f"/verifikasi/{issued.token}", {"berkas": pdf("surat.pdf", original)})
    assert response.status_code == 200
    assert "SAMA PERSIS" in body(response)
    assert "BERBEDA" not in body(response)

    flipped = bytearray(original)
    flipped[len(flipped) // 2] ^= 0x01
    response = client.post(f"/verifikasi/{issued.token}", {"berkas": pdf("surat.pdf", bytes(flipped))})
    assert "BERBEDA" in body(response)
    assert "SAMA PERSIS" not in body(response)

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(original)))
    out = io.BytesIO()
    writer.write(out)
    rewritten = out.getvalue()
    assert PENELITI in pdf_text(rewritten)
    response = client.post(f"/verifikasi/{issued.token}", {"berkas": pdf("surat.pdf", rewritten)})
    assert "BERBEDA" in body(response)
    assert hashlib.sha256(rewritten).hexdigest() in body(response)


def test_unknown_token_is_404(client):
    response = client.get("/verifikasi/token-yang-tidak-pernah-ada")
    assert response.status_code == 404
    assert "Kode verifikasi tidak dikenal." in body(response)
    response = client.post("/verifikasi/token-yang-tidak-pernah-ada", {"berkas": pdf()})
    assert response.status_code == 404


def test_revoked_letter(client):
    pengajuan = apply_pip(client)
    doc, issued = issue(doc_of(pengajuan))
    issued.revoked_at = timezone.now()
    issued.revoked_reason = "Penelitian dibatalkan oleh perguruan tinggi."
    issued.save()

    html = body(client.get(f"/verifikasi/{issued.token}"))
    assert "DICABUT" in html
    assert "Penelitian dibatalkan oleh perguruan tinggi." in html
    assert "Dokumen ini asli" not in html
    # the applicant can no longer download it
    assert client.get(f"/lacak/{pengajuan.kode}/unduh/{issued.pk}/").status_code == 404
    assert f"/unduh/{issued.pk}/" not in body(client.get(f"/lacak/{pengajuan.kode}/"))
