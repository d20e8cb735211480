"""Faults found when the desk was tried as each user would (issue 13, part 3)."""

import pytest
from django.test import override_settings

from apps.docflow.models import IssuedDocument, LetterHead, PrintFormat
from apps.docflow.services.workflow import available_actions
from tests.bakesbangpol.pembinaan.helpers import ajukan, apply, sampai_keputusan_tim
from tests.conftest import advance_skt, make_skt, pdf_text, user


def change_url(doc):
    return f"/app/{doc._meta.app_label}/{doc._meta.model_name}/{doc.pk}/change/"


def test_numbering_actions_ask_and_reject_buttons_look_different(login_as):
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    actions = {a.action: a for a in available_actions(doc, user("kaban"))}
    assert actions["Setujui"].takes_number and actions["Setujui"].tone == "forward"
    assert actions["Tolak"].tone == "reject" and not actions["Tolak"].takes_number
    assert actions["Kembalikan ke Petugas"].tone == "back"
    page = login_as("kaban").get(change_url(doc)).content.decode()
    assert 'data-confirm="Setujui: dokumen ini akan diberi nomor surat' in page
    assert 'class="docflow-btn docflow-btn-reject" data-action="Tolak"' in page
    assert "data-unsaved-message=" in page and "docflow/desk.js" in page


def test_quorum_completing_member_goes_back_to_the_inbox(login_as):
    doc = sampai_keputusan_tim(ajukan("PKB"))
    apply(doc, "Setujui Verifikasi", "timver1")
    apply(doc, "Setujui Verifikasi", "timver2")
    client = login_as("timver3")
    response = client.post(
        f"{change_url(doc)[:-7]}tindakan/", {"action": "Setujui Verifikasi", "expected_state": "Verifikasi Tim"}
    )
    assert response.status_code == 302 and response.url == "/app/menunggu-tindakan/"
    page = client.get(response.url).content.decode()
    assert "kini berstatus Pengajuan ke Wali Kota" in page


def test_print_preview_is_the_pdf_layout_with_a_toolbar(login_as):
    doc = advance_skt(make_skt(), "SKT Terbit")
    issued = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk)
    page = login_as("kaban").get(f"{change_url(doc)[:-7]}cetak/?format={issued.print_format.name}").content.decode()
    assert 'id="docflow-print-toolbar"' in page and "@media print" in page
    width = {"A4": "210mm", "F4": "215mm"}[issued.print_format.page_size]
    assert f"body {{ width: {width}" in page  # the paper's width, not the browser's
    assert "(nama pejabat)" not in page
    assert issued.signer["nama"] in page and issued.signer_title in page
    # a draft shows who would sign it, in the preview as in the draft PDF
    draft = advance_skt(make_skt(nama_ormas="Paguyuban Draf"), "Menunggu Persetujuan")
    client = login_as("pelayanan_kbk")
    preview = client.get(f"{change_url(draft)[:-7]}cetak/").content.decode()
    pdf = client.get(f"{change_url(draft)[:-7]}pdf/").content
    signer = issued.signer["nama"]
    assert signer in preview and signer in pdf_text(pdf).replace("\n", " ")


def test_print_template_with_unknown_filter_is_refused_at_save(login_as):
    pf = PrintFormat.objects.filter(doc_type="Permohonan SKT").first()
    make_skt()
    client = login_as("admin")
    data = {
        "name": pf.name,
        "doc_type": pf.doc_type,
        "html": pf.html + "{{ doc.nama_ormas | tidakada }}",
        "css": pf.css,
        "page_size": pf.page_size,
        "margin": pf.margin,
        "letter_head": pf.letter_head_id or "",
        "is_default": "on" if pf.is_default else "",
    }
    response = client.post(f"/app/docflow/printformat/{pf.pk}/change/", data)
    assert response.status_code == 200 and "tidakada" in response.content.decode()
    data["html"] = pf.html + "{{ doc.kolom_salah_ketik }}"
    response = client.post(f"/app/docflow/printformat/{pf.pk}/change/", data)
    assert "kolom_salah_ketik" in response.content.decode()
    pf.refresh_from_db()
    assert "tidakada" not in pf.html and "kolom_salah_ketik" not in pf.html


def test_letterhead_emblem_and_contacts_print(settings):
    import base64

    from django.core.files.base import ContentFile

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    )
    head = LetterHead.objects.get(is_default=True)
    head.alamat = "Jl. Pahlawan No. 28, Pasuruan 67115"
    head.telepon = "(0343) 424000"
    head.email = "bakesbangpol@pasuruankota.go.id"
    head.website = "bakesbangpol.pasuruankota.go.id"
    head.lambang.save("lambang.png", ContentFile(png), save=False)
    head.save()
    doc = advance_skt(make_skt(), "SKT Terbit")
    issued = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk)
    from apps.docflow import printing
    from apps.docflow.issuing import issued_context

    html = printing.render_html(issued.print_format, issued_context(issued, doc))
    assert "Jl. Pahlawan No. 28" in html and "(0343) 424000" in html and "bakesbangpol.pasuruankota.go.id" in html
    assert 'src="data:image/png;base64,' in html


def test_verification_link_takes_site_url_else_the_request_host(login_as, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["bakesbangpol.contoh.go.id", "testserver"]
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    login_as("kaban").post(
        f"{change_url(doc)[:-7]}tindakan/",
        {"action": "Setujui", "expected_state": "Menunggu Persetujuan"},
        HTTP_HOST="bakesbangpol.contoh.go.id",
    )
    issued = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk)
    assert issued.verification_url == f"http://bakesbangpol.contoh.go.id/verifikasi/{issued.token}"
    with override_settings(SITE_URL="https://situs.example"):
        assert issued.verification_url.startswith("http://bakesbangpol.contoh.go.id/")  # as issued
        other = advance_skt(make_skt(nama_ormas="Paguyuban Lain"), "SKT Terbit")
        second = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=other.pk)
        assert second.verification_url.startswith("https://situs.example/verifikasi/")


def test_history_page_is_styled_and_indonesian(login_as):
    doc = make_skt()
    page = login_as("pelayanan_kbk").get(f"{change_url(doc)[:-7]}history/").content.decode()
    assert 'id="change-history"' in page
    for english in (">Changes<", ">None<", "Changed by", "Date/time"):
        assert english not in page
    assert "Perubahan" in page and "Dibuat" in page


@pytest.mark.parametrize("who", ["staf_kbk"])
def test_disposition_sender_is_a_name_not_a_link_to_the_account_page(login_as, who):
    import datetime

    from apps.bakesbangpol.umum import services
    from apps.bakesbangpol.umum.models import InstruksiDisposisi, SuratMasuk
    from apps.docflow.services.files import file_create
    from apps.docflow.services.workflow import apply_action, document_create
    from apps.organisasi.models import Unit
    from tests.conftest import pdf_upload

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
    (disposisi,) = services.disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": Unit.objects.get(kode="BID_KBK"), "orang": user(who)}],
        instruksi=InstruksiDisposisi.objects.filter(nama="Siapkan jawaban"),
    )
    page = login_as(who).get(change_url(disposisi)).content.decode()
    assert "/app/auth/user/" not in page and "/app/organisasi/unit/" not in page
    surat_page = login_as("kaban").get(change_url(surat)).content.decode()
    assert "Nomor agenda" in surat_page
    bad = login_as("kaban").post(f"{change_url(surat)[:-7]}disposisi/", {"catatan": "x"}, follow=True)
    text = bad.content.decode()
    assert "Kepada unit wajib diisi." in text and "Instruksi wajib diisi." in text
