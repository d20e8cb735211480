"""The public portal in a real browser: an applicant applies, the officers
process the application in the desk, the applicant tracks it, downloads the
letter and checks it; a returned application is completed and resubmitted."""

import os
import re
import urllib.request

import pytest
from django.core.cache import cache

from apps.bakesbangpol.perizinan.models import PermohonanIzinPenelitian
from apps.docflow.models import File, IssuedDocument, WorkflowLog
from apps.portal.models import Pengajuan
from tests.conftest import PDF_BYTES, pdf_text

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(f"needs Debian's Chromium ({CHROMIUM}) and its driver ({CHROMEDRIVER})", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
WAIT = 30
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
CODE_RE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
DESK = "/app/perizinan/permohonanizinpenelitian"


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def attachments(tmp_path):
    paths = {
        "surat_pengantar": tmp_path / "pengantar.pdf",
        "proposal": tmp_path / "proposal.pdf",
        "ktp": tmp_path / "ktp.png",
        "ktp_baru": tmp_path / "ktp-baru.png",
    }
    for key, path in paths.items():
        path.write_bytes(PNG_BYTES if path.suffix == ".png" else PDF_BYTES)
    return {key: str(path) for key, path in paths.items()}


def wait(driver):
    return WebDriverWait(driver, WAIT)


def log_in(driver, base_url, username):
    driver.delete_all_cookies()
    driver.get(f"{base_url}/app/login/")
    wait(driver).until(EC.presence_of_element_located((By.NAME, "username")))
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form [type=submit]").click()
    wait(driver).until(lambda d: "/app/login/" not in d.current_url)
    assert driver.get_cookie("sessionid"), "login failed"


def open_change_page(driver, base_url, doc_pk):
    driver.get(f"{base_url}{DESK}/{doc_pk}/change/")
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def press(driver, action, comment=None):
    button = wait(driver).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f'#docflow-actions button[data-action="{action}"]'))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    if comment is not None:
        form = button.find_element(By.XPATH, "./ancestor::form")
        form.find_element(By.NAME, "comment").send_keys(comment)
    old = driver.find_element(By.ID, "docflow-state")
    asks = button.find_element(By.XPATH, "./ancestor::form").get_attribute("data-confirm")
    button.click()
    if asks:  # an action that uses up a letter number asks first
        wait(driver).until(EC.alert_is_present()).accept()
    wait(driver).until(EC.staleness_of(old))
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def staff_act(driver, base_url, username, doc_pk, action, expect, comment=None):
    log_in(driver, base_url, username)
    open_change_page(driver, base_url, doc_pk)
    press(driver, action, comment)
    assert driver.find_element(By.ID, "docflow-state").text == expect


def set_value(driver, name, value):
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1];", element, value)


def apply_online(driver, base_url, files, nama):
    driver.delete_all_cookies()
    driver.get(f"{base_url}/ajukan/izin-penelitian/")
    wait(driver).until(EC.presence_of_element_located((By.ID, "kirim")))
    text_fields = {
        "nama_peneliti": nama,
        "nik": "3575016502990001",
        "instansi": "Universitas Negeri Malang",
        "program_studi": "Ilmu Politik",
        "alamat": "Jl. Veteran No. 5, Malang",
        "telepon": "081234567890",
        "judul": "Partisipasi Pemilih Pemula di Kota Pasuruan",
        "tujuan": "Menyusun skripsi",
        "lokasi": "KPU Kota Pasuruan",
        "nomor_surat_pengantar": "123/UN32.3/PT/2026",
        "email_pemohon": "peneliti@example.org",
    }
    for name, value in text_fields.items():
        driver.find_element(By.NAME, name).send_keys(value)
    Select(driver.find_element(By.NAME, "status_pemohon")).select_by_value("Mahasiswa S1")
    # date inputs depend on the browser's locale when typed into; set their value
    set_value(driver, "tanggal_mulai", "2026-12-07")
    set_value(driver, "tanggal_selesai", "2027-03-06")
    set_value(driver, "tanggal_surat_pengantar", "2026-11-20")
    for key in ("surat_pengantar", "proposal", "ktp"):
        driver.find_element(By.NAME, f"berkas_{key}").send_keys(files[key])
    submit = driver.find_element(By.ID, "kirim")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", submit)
    submit.click()
    code = wait(driver).until(EC.presence_of_element_located((By.ID, "kode"))).text.strip()
    assert CODE_RE.match(code), code
    assert "/lacak/" in driver.current_url
    assert driver.find_element(By.ID, "status").text == "Menunggu Disposisi"
    pengajuan = Pengajuan.objects.get(kode=code)
    assert File.objects.filter(attached_to_name=pengajuan.document_name).count() == 3
    return pengajuan


def test_applicant_applies_tracks_downloads_and_verifies(browser, live_server, attachments):
    base = live_server.url
    nama = "Ayu Lestari Peramban"
    pengajuan = apply_online(browser, base, attachments, nama)
    doc_pk = pengajuan.document_id

    staff_act(browser, base, "kaban", doc_pk, "Disposisi ke Bidang", "Diproses Bidang")
    staff_act(browser, base, "staf_iwk", doc_pk, "Ajukan Tanda Tangan", "Menunggu Tanda Tangan")
    staff_act(browser, base, "kaban", doc_pk, "Tandatangani", "Surat Izin Terbit")
    doc = PermohonanIzinPenelitian.objects.get(pk=doc_pk)
    assert doc.number

    # The applicant, not logged in, tracks the application.
    browser.delete_all_cookies()
    browser.get(f"{base}/lacak/{pengajuan.kode.lower()}/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "status")))
    assert browser.find_element(By.ID, "status").text == "Surat Izin Terbit"
    assert doc.number in browser.find_element(By.ID, "terbit").text
    href = browser.find_element(By.ID, "unduh").get_attribute("href")
    assert href.startswith(f"{base}/lacak/{pengajuan.kode}/unduh/")
    with urllib.request.urlopen(href, timeout=WAIT) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        data = response.read()
    assert data.startswith(b"%PDF-")
    text = " ".join(pdf_text(data).split())
    assert nama in text
    assert doc.number in text

    # The QR code leads to the verification page: the letter is genuine.
    issued = IssuedDocument.objects.get(doctype="Permohonan Izin Penelitian", document_id=doc_pk)
    assert issued.token in "".join(text.split())  # a long URL may wrap in the PDF
    browser.get(f"{base}/verifikasi/{issued.token}")
    result = wait(browser).until(EC.presence_of_element_located((By.ID, "hasil"))).text
    assert "Dokumen ini asli" in result
    assert browser.find_element(By.ID, "nomor").text == doc.number
    assert browser.find_element(By.ID, "pemegang").text == nama


def test_returned_application_is_completed_and_resubmitted(browser, live_server, attachments):
    base = live_server.url
    pengajuan = apply_online(browser, base, attachments, "Bima Peneliti Peramban")
    doc_pk = pengajuan.document_id
    reason = "KTP pemohon tidak terbaca, mohon unggah ulang."

    staff_act(browser, base, "kaban", doc_pk, "Disposisi ke Bidang", "Diproses Bidang")
    staff_act(browser, base, "staf_iwk", doc_pk, "Kembalikan ke Pemohon", "Dikembalikan ke Pemohon", comment=reason)

    # The applicant reads the reason and sends the missing document.
    browser.delete_all_cookies()
    browser.get(f"{base}/lacak/{pengajuan.kode}/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "dikembalikan")))
    assert browser.find_element(By.ID, "status").text == "Dikembalikan ke Pemohon"
    assert browser.find_element(By.ID, "alasan").text == reason
    browser.find_element(By.NAME, "catatan").send_keys("KTP sudah dipindai ulang.")
    browser.find_element(By.NAME, "berkas_1").send_keys(attachments["ktp_baru"])
    button = browser.find_element(By.ID, "kirim-perbaikan")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    wait(browser).until(lambda d: "dikirim=1" in d.current_url)
    assert browser.find_element(By.ID, "status").text == "Diproses Bidang"
    assert "Perbaikan berkas telah dikirim" in browser.page_source
    assert not browser.find_elements(By.ID, "kirim-perbaikan")

    doc = PermohonanIzinPenelitian.objects.get(pk=doc_pk)
    assert doc.workflow_state == "Diproses Bidang"
    assert File.objects.filter(attached_to_name=doc.name, file_name="ktp-baru.png").exists()
    entry = WorkflowLog.objects.filter(doctype="Permohonan Izin Penelitian", document_id=doc_pk).latest("pk")
    assert entry.action == "Ajukan Ulang"

    # The officers see it back in their hands.
    log_in(browser, base, "staf_iwk")
    open_change_page(browser, base, doc_pk)
    assert browser.find_element(By.ID, "docflow-state").text == "Diproses Bidang"
    assert browser.find_elements(By.CSS_SELECTOR, '#docflow-actions button[data-action="Ajukan Tanda Tangan"]')
