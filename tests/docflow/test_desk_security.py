"""Security issue 9 (desk): history pages, registers, form choices and
attachments all answer to the one visibility selector and the write rules."""

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.bakesbangpol.pembinaan.demo import demo_parpol
from apps.bakesbangpol.pembinaan.models import Parpol
from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.bakesbangpol.umum.models import SuratMasuk
from apps.docflow.models import File, WorkflowLog
from apps.laporan.selectors import unit_pending
from tests.bakesbangpol.pembinaan.helpers import TAHUN, dicairkan
from tests.bakesbangpol.umum.helpers import SENIN, no_demo_delegation, verified_surat
from tests.conftest import PDF_BYTES, advance_skt, make_skt, user

SKT_URL = "/app/perizinan/permohonanskt/"
NIK = "3575010101010001"


def first_version(doc):
    return doc.history.order_by("history_date").first().history_id


# --- 1. history pages ---------------------------------------------------------------------


def test_history_of_a_document_outside_the_users_view_is_404(login_as):
    doc = advance_skt(make_skt(), "SKT Terbit")
    hid = first_version(doc)
    client = login_as("staf_poldagri")
    for url in (f"{SKT_URL}{doc.pk}/history/", f"{SKT_URL}{doc.pk}/history/{hid}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert NIK not in response.content.decode(errors="replace")


def test_history_of_a_secret_letter_is_404_outside_the_chain(login_as):
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        secret = verified_surat(sifat="Rahasia", perihal="Laporan intelijen tertutup", ringkasan="Isi rahasia")
    hid = first_version(secret)
    base = f"/app/umum/suratmasuk/{secret.pk}/"
    for outsider in ("kabid_iwk", "sekretaris"):
        client = login_as(outsider)
        for url in (f"{base}history/", f"{base}history/{hid}/", f"{base}change/"):
            response = client.get(url)
            assert response.status_code == 404, (outsider, url)
            assert "Laporan intelijen tertutup" not in response.content.decode(errors="replace")
    # one who may see it reads the history
    response = login_as("persuratan").get(f"{base}history/")
    assert response.status_code == 200
    assert SuratMasuk.objects.get(pk=secret.pk).workflow_state == secret.workflow_state


def test_nobody_reverts_a_workflow_document_through_its_history(login_as):
    doc = advance_skt(make_skt(), "SKT Terbit")
    assert doc.docstatus == 1 and doc.number
    hid = first_version(doc)
    logs = WorkflowLog.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").count()
    for username in ("kabid_kbk", "pelayanan_kbk", "admin"):
        client = login_as(username)
        response = client.post(f"{SKT_URL}{doc.pk}/history/{hid}/", {})
        assert response.status_code == 405, username
        fresh = PermohonanSKT.objects.get(pk=doc.pk)
        assert (fresh.workflow_state, fresh.docstatus, fresh.number) == ("SKT Terbit", 1, doc.number), username
    # someone who cannot see it at all gets 404, not 405
    assert login_as("staf_poldagri").post(f"{SKT_URL}{doc.pk}/history/{hid}/", {}).status_code == 404
    assert WorkflowLog.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").count() == logs


def test_history_pages_stay_readable_without_a_revert_form(login_as):
    doc = advance_skt(make_skt(), "SKT Terbit")
    hid = first_version(doc)
    for username in ("staf_kbk", "pelayanan_kbk", "admin"):
        client = login_as(username)
        listing = client.get(f"{SKT_URL}{doc.pk}/history/")
        assert listing.status_code == 200, username
        page = client.get(f"{SKT_URL}{doc.pk}/history/{hid}/")
        assert page.status_code == 200, username
        html = page.content.decode()
        assert NIK in html
        submit_row = html.split('class="submit-row"', 1)[1].split("</div>", 1)[0]
        assert "<input" not in submit_row and "<button" not in submit_row, username
        form = page.context["adminform"].form
        assert not form.fields, username  # every field read-only


def test_reverting_configuration_needs_change_rights(login_as):
    demo_parpol()
    pkb = Parpol.objects.get(singkatan="PKB")
    pkb.jumlah_suara = 40000
    pkb.save()
    hid = pkb.history.order_by("history_date").first().history_id
    url = f"/app/pembinaan/parpol/{pkb.pk}/history/{hid}/"
    viewer = login_as("staf_poldagri")  # may view parties, not change them
    assert viewer.get(url).status_code == 200
    assert viewer.post(url, {}).status_code == 403
    assert Parpol.objects.get(pk=pkb.pk).jumlah_suara == 40000


# --- 2. registers ---------------------------------------------------------------------------


def test_banpol_register_shows_amounts_only_to_those_who_see_the_documents(
    login_as, django_capture_on_commit_callbacks
):
    dicairkan("PKB", TAHUN - 1, django_capture_on_commit_callbacks)
    url = f"/app/pembinaan/register-banpol/?tahun={TAHUN - 1}"
    html = login_as("kabid_poldagri").get(url).content.decode()
    assert "Dianggarkan" in html and "Belum diterima" in html
    for outsider in ("walikota", "tapd", "staf_iwk"):
        response = login_as(outsider).get(url)
        html = response.content.decode()
        assert "Dianggarkan" not in html and "Belum diterima" not in html, outsider
        assert "151.875.000" not in html and "151875000" not in html and "151,875,000" not in html, outsider
        sheet = login_as(outsider).get(url + "&format=xlsx")
        assert b"Dianggarkan" not in sheet.content


def test_unit_inbox_leaves_out_secret_letters_the_head_cannot_see():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        secret = verified_surat(sifat="Rahasia", perihal="Laporan tertutup")
    names = {doc.name for _info, doc, _roles in unit_pending(user("kasubag_umpeg"))}
    assert secret.name not in names
    assert secret.name in {doc.name for _info, doc, _roles in unit_pending(user("kaban"))}


# --- 3. choices of document fields -----------------------------------------------------------


def test_add_form_lists_only_visible_documents_as_choices(login_as):
    skt = make_skt(nama_ormas="Ormas Bidang KBK")
    response = login_as("staf_iwk").get("/app/pembinaan/hibahormas/add/")
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields["skt"].queryset.filter(pk=skt.pk).exists()
    assert "Ormas Bidang KBK" not in response.content.decode()
    response = login_as("staf_kbk").get("/app/pembinaan/hibahormas/add/")
    assert response.context["adminform"].form.fields["skt"].queryset.filter(pk=skt.pk).exists()


# --- 4. attachments --------------------------------------------------------------------------


def upload(client, doc):
    pdf = SimpleUploadedFile("lampiran.pdf", PDF_BYTES, content_type="application/pdf")
    return client.post("/api/method/upload_file", {"file": pdf, "doctype": "Permohonan SKT", "docname": doc.name})


def test_attaching_a_file_needs_edit_rights(login_as):
    final = advance_skt(make_skt(), "SKT Terbit")
    before = File.objects.filter(attached_to_name=final.name).count()
    response = upload(login_as("kabid_kbk"), final)
    assert response.status_code == 403, response.content
    assert File.objects.filter(attached_to_name=final.name).count() == before
    draft = make_skt()
    assert upload(login_as("kabid_kbk"), draft).status_code == 403
    assert upload(login_as("pelayanan_kbk"), draft).status_code == 200
    assert upload(login_as("staf_poldagri"), draft).status_code == 404
