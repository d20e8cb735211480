"""P3.1 Permohonan Pembayaran in a real browser, in the desk (/app/): the
PPTK files two payment requests with line items on a DPA budget line, the
Bendahara sets LS for one and GU for the other, the PPTK submits the SPJ
with evidence, the Verifikator accepts it, under GU the Bendahara records
the payment first, the Bendahara drafts the SPP and SPM, the PPTK finds them
complete and the Pengguna Anggaran signs both letters; each issued PDF
carries its own number and the total in figures and words."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from apps.bakesbangpol.keuangan.models import AnggaranDPA
from apps.docflow import registry
from apps.docflow.models import IssuedDocument
from tests.conftest import PDF_BYTES
from tests.e2e.test_desk_browser import browser, log_in, wait  # noqa: F401 - the shared fixture
from tests.e2e.test_doctype_builder_browser import add_rows, fill, save

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCTYPE = "Permohonan Pembayaran"


def _url(base, pk=None):
    meta = registry.get(DOCTYPE).model._meta
    tail = f"{pk}/change/" if pk else "add/"
    return f"{base}/app/{meta.app_label}/{meta.model_name}/{tail}"


def open_doc(driver, base, pk):
    driver.get(_url(base, pk))
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def press(driver, action, comment=None, attachment=None):
    button = wait(driver).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f'#docflow-actions button[data-action="{action}"]'))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    form = button.find_element(By.XPATH, "./ancestor::form")
    if comment is not None:
        form.find_element(By.NAME, "comment").send_keys(comment)
    if attachment is not None:
        form.find_element(By.NAME, "attachments").send_keys(attachment)
    old = driver.find_element(By.ID, "docflow-state")
    asks = form.get_attribute("data-confirm")
    button.click()
    if asks:  # an action that uses up a letter number asks first
        wait(driver).until(EC.alert_is_present()).accept()
    wait(driver).until(EC.staleness_of(old))
    return wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state"))).text


def edit(driver, base, pk, values):
    open_doc(driver, base, pk)
    for name, value in values.items():
        fill(driver, name, value)
    save(driver)


def file_request(driver, base, line, perihal, penerima, rows):
    driver.get(_url(base))
    wait(driver).until(EC.presence_of_element_located((By.NAME, "perihal")))
    fill(driver, "perihal", perihal)
    fill(driver, "tahun_anggaran", str(line.tahun))
    fill(driver, "anggaran", str(line))
    fill(driver, "penerima", penerima)
    prefix = (
        driver.find_element(By.CSS_SELECTOR, "[id$='-TOTAL_FORMS']").get_attribute("name").removesuffix("-TOTAL_FORMS")
    )
    add_rows(driver, prefix, rows)
    save(driver)
    return registry.get(DOCTYPE).model.objects.get(perihal=perihal)


def issued_text(doc, title):
    issued = IssuedDocument.objects.get(doctype=DOCTYPE, document_id=doc.pk, title=title)
    with issued.file.open("rb") as fh:
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages).split())
    return issued, text


def test_payment_requests_ls_and_gu_from_the_pptk_to_the_pengguna_anggaran(browser, live_server, tmp_path):  # noqa: F811
    base = live_server.url
    evidence = tmp_path / "bukti.pdf"
    evidence.write_bytes(PDF_BYTES)
    year = timezone.localdate().year
    honor = AnggaranDPA.objects.get(tahun=year, kode_rekening="5.1.02.02.01.0003")
    atk = AnggaranDPA.objects.get(tahun=year, kode_rekening="5.1.02.01.01.0024")

    # the PPTK files both requests with their line items; the total is computed from them
    log_in(browser, base, "pptk")
    ls = file_request(browser, base, honor, "Honorarium narasumber dialog kebangsaan", "Dr. Nur Hidayati, M.Pd.",
                      [{"uraian": "Honorarium narasumber (2 JP)", "kode_rekening": honor.kode_rekening, "jumlah": "1500000"},
                       {"uraian": "Honorarium moderator", "kode_rekening": honor.kode_rekening, "jumlah": "750000"}])  # fmt: skip
    gu = file_request(browser, base, atk, "Alat tulis kantor rapat koordinasi", "Toko Sumber Rejeki Pasuruan",
                      [{"uraian": "Kertas HVS A4, 5 rim", "kode_rekening": atk.kode_rekening, "jumlah": "275000"}])  # fmt: skip
    ls.refresh_from_db()
    gu.refresh_from_db()
    assert ls.jumlah == Decimal("2250000") and gu.jumlah == Decimal("275000")
    for doc in (ls, gu):
        open_doc(browser, base, doc.pk)
        assert press(browser, "Ajukan ke Bendahara") == "Koordinasi Metode Pembayaran"

    # the Bendahara sets the method agreed with the PPTK
    log_in(browser, base, "bendahara")
    for doc, metode in ((ls, "LS"), (gu, "GU")):
        edit(browser, base, doc.pk, {"metode": metode})
        open_doc(browser, base, doc.pk)
        assert press(browser, "Tetapkan Metode Pembayaran") == "Penyusunan SPJ"

    # the PPTK submits the SPJ with its evidence
    log_in(browser, base, "pptk")
    for doc, nomor in ((ls, "SPJ/101/IWK"), (gu, "SPJ/102/IWK")):
        edit(browser, base, doc.pk, {"nomor_spj": nomor, "tanggal_spj": timezone.localdate().isoformat()})
        open_doc(browser, base, doc.pk)
        assert press(browser, "Ajukan Verifikasi SPJ", attachment=str(evidence)) == "Verifikasi SPJ"

    # the Verifikator accepts: LS goes to the SPP/SPM, GU to the Bendahara's payment first
    log_in(browser, base, "verifikator")
    open_doc(browser, base, ls.pk)
    assert press(browser, "Nyatakan SPJ Sesuai") == "Penyusunan SPP dan SPM"
    open_doc(browser, base, gu.pk)
    assert press(browser, "Nyatakan SPJ Sesuai") == "Pembayaran oleh Bendahara (GU)"

    # the Bendahara pays under GU, then drafts SPP and SPM for both
    log_in(browser, base, "bendahara")
    edit(browser, base, gu.pk, {"tanggal_bayar_gu": timezone.localdate().isoformat()})
    open_doc(browser, base, gu.pk)
    assert press(browser, "Catat Pembayaran GU", attachment=str(evidence)) == "Penyusunan SPP dan SPM"
    for doc in (ls, gu):
        edit(browser, base, doc.pk, {"dasar_pembayaran": f"DPA-SKPD Bakesbangpol Tahun Anggaran {year}"})
        open_doc(browser, base, doc.pk)
        assert press(browser, "Ajukan Pemeriksaan Kelengkapan") == "Pemeriksaan Kelengkapan oleh PPTK"

    # the PPTK finds them complete
    log_in(browser, base, "pptk")
    for doc in (ls, gu):
        open_doc(browser, base, doc.pk)
        assert press(browser, "Nyatakan Dokumen Lengkap") == "Tanda Tangan SPP"

    # the Pengguna Anggaran signs the SPP, then the SPM: each letter its own number
    log_in(browser, base, "kaban")
    for doc in (ls, gu):
        open_doc(browser, base, doc.pk)
        assert press(browser, "Tandatangani SPP") == "Tanda Tangan SPM"
        assert press(browser, "Tandatangani SPM") == "Penyerahan ke BPKA"

    for doc, metode, words in ((ls, "LS", "Dua juta dua ratus lima puluh ribu rupiah"),
                               (gu, "GU", "Dua ratus tujuh puluh lima ribu rupiah")):  # fmt: skip
        doc.refresh_from_db()
        spp, spp_text = issued_text(doc, "Surat Permintaan Pembayaran (SPP)")
        spm, spm_text = issued_text(doc, "Surat Perintah Membayar (SPM)")
        assert doc.number == spp.number and spm.number != spp.number
        assert f"/SPP-{metode}/" in spp.number and f"/SPM-{metode}/" in spm.number
        for text in (spp_text, spm_text):
            assert words in text and "Drs. Hadi Santoso, M.Si." in text
        assert spp.number in spp_text and spm.number in spm_text and spp.number in spm_text
