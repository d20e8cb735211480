"""P6.1 in a real browser: a member of the public reports a social conflict
on the portal (the identity kept secret), the officers handle it in the desk
(/app/) up to the report to the Province, the letters are downloaded from
the desk and read back, and the public tracking page never shows the
reporter or the internal letters."""

import os
import re
import urllib.request

import pytest
from django.core.cache import cache

from apps.docflow import registry, scenarios
from apps.docflow.models import IssuedDocument
from apps.portal.models import Pengajuan
from tests.conftest import PDF_BYTES, pdf_text

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(f"needs Debian's Chromium ({CHROMIUM}) and its driver ({CHROMEDRIVER})", allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

from tests.e2e.test_desk_browser import WAIT, browser, log_in, wait  # noqa: E402, F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
CODE_RE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
PELAPOR = "Sulastri Peramban"
KONTAK = "0812-7777-1234"
JUDUL = "Bentrok pemuda di Kelurahan Trajeng"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def files(tmp_path):
    foto, bukti = tmp_path / "foto-kejadian.png", tmp_path / "bukti.pdf"
    foto.write_bytes(PNG_BYTES)
    bukti.write_bytes(PDF_BYTES)
    return {"foto": str(foto), "bukti": str(bukti)}


def desk_url(base_url, doc_pk):
    meta = registry.get("Penanganan Konflik").model._meta
    return f"{base_url}/app/{meta.app_label}/{meta.model_name}/{doc_pk}/change/"


def open_change_page(driver, base_url, doc_pk):
    driver.get(desk_url(base_url, doc_pk))
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def set_value(driver, name, value):
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1];", element, value)


def fill(driver, values: dict):
    for name, value in values.items():
        element = driver.find_element(By.NAME, name)
        if element.tag_name == "select":
            Select(element).select_by_value(str(value))
        else:
            element.clear()
            element.send_keys(value)


def save(driver):
    button = driver.find_element(By.NAME, "_continue")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    old = driver.find_element(By.ID, "docflow-state")
    button.click()
    wait(driver).until(EC.staleness_of(old))
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))
    errors = driver.find_elements(By.CSS_SELECTOR, ".errorlist, .errornote")
    assert not [e.text for e in errors if e.text.strip()], [e.text for e in errors]


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
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def staff_act(driver, base_url, username, doc_pk, action, expect, *, edit=None, comment=None, attachment=None):
    log_in(driver, base_url, username)
    open_change_page(driver, base_url, doc_pk)
    if edit:
        fill(driver, edit)
        save(driver)
    press(driver, action, comment, attachment)
    assert driver.find_element(By.ID, "docflow-state").text == expect, driver.find_element(By.ID, "docflow-state").text


def download(driver, url):
    """A letter from the desk, with the browser's session."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={driver.get_cookie('sessionid')['value']}"})
    with urllib.request.urlopen(request, timeout=WAIT) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        data = response.read()
    assert data.startswith(b"%PDF-")
    return " ".join(pdf_text(data).split())


def report_online(driver, base_url, files):
    driver.delete_all_cookies()
    driver.get(f"{base_url}/")
    wait(driver).until(EC.presence_of_element_located((By.ID, "layanan-laporan-konflik")))
    driver.find_element(By.CSS_SELECTOR, '#layanan-laporan-konflik a[href="/ajukan/laporan-konflik/"]').click()
    wait(driver).until(EC.presence_of_element_located((By.ID, "kirim")))
    for name, value in {
        "judul_kejadian": JUDUL,
        "lokasi": "Jl. Hasanudin, depan lapangan Trajeng",
        "kelurahan": "Trajeng",
        "uraian_laporan": "Dua kelompok pemuda saling lempar batu selepas pertandingan sepak bola.",
        "pihak_terlibat": "Pemuda RW 03 dan RW 05",
        "nama_pelapor": PELAPOR,
        "kontak_pelapor": KONTAK,
    }.items():
        driver.find_element(By.NAME, name).send_keys(value)
    Select(driver.find_element(By.NAME, "jenis_konflik")).select_by_value("Konflik antarwarga")
    Select(driver.find_element(By.NAME, "kecamatan")).select_by_value("Panggungrejo")
    set_value(driver, "tanggal_kejadian", "2026-11-28")
    driver.find_element(By.NAME, "berkas_bukti").send_keys(files["foto"])
    submit = driver.find_element(By.ID, "kirim")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", submit)
    submit.click()
    code = wait(driver).until(EC.presence_of_element_located((By.ID, "kode"))).text.strip()
    assert CODE_RE.match(code), code
    assert driver.find_element(By.ID, "status").text == "Laporan Masuk"
    assert PELAPOR not in driver.page_source and KONTAK not in driver.page_source
    return Pengajuan.objects.get(kode=code)


def test_conflict_report_from_the_portal_to_the_province(browser, live_server, files):  # noqa: F811
    base = live_server.url
    spec = next(s for s in scenarios.scenarios() if s["doctype"] == "Penanganan Konflik")
    sk = scenarios.replay_requires(spec)["sk_konflik"]  # the SK in force forming the team
    pengajuan = report_online(browser, base, files)
    pk = pengajuan.document_id

    # Staf Bidang does not see who reported; the team does.
    log_in(browser, base, "staf_iwk")
    open_change_page(browser, base, pk)
    assert JUDUL in browser.page_source and PELAPOR not in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, '#docflow-actions button[data-action="Tindak Lanjuti Laporan"]')
    fill(browser, {"sk_penanganan": sk.pk, "koordinasi_awal": "Dibahas bersama Polsek, Koramil dan Lurah Trajeng."})
    save(browser)

    log_in(browser, base, "konflik1")
    open_change_page(browser, base, pk)
    assert PELAPOR in browser.page_source
    press(browser, "Tindak Lanjuti Laporan")
    assert browser.find_element(By.ID, "docflow-state").text == "Pengamatan dan Kronologi"
    # one row of the chronology, in the grid
    add = browser.find_element(By.CSS_SELECTOR, "[id$='-group'] .add-row a, [id$='-group'] a.add-row")
    browser.execute_script("arguments[0].click();", add)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[name$='-0-uraian']")))
    row_date = browser.find_element(By.CSS_SELECTOR, "[name$='-0-tanggal']").get_attribute("name")
    set_value(browser, row_date, "2026-11-28")
    browser.find_element(By.CSS_SELECTOR, "[name$='-0-jam']").send_keys("21.00 WIB")
    browser.find_element(By.CSS_SELECTOR, "[name$='-0-uraian']").send_keys("Pelemparan batu di Jl. Hasanudin.")
    browser.find_element(By.CSS_SELECTOR, "[name$='-0-sumber']").send_keys("Intelkam Polres Pasuruan Kota")
    fill(browser, {"hasil_pengamatan": "Dendam lama antarkelompok suporter; tanpa muatan SARA."})
    save(browser)
    press(browser, "Laporkan ke Kepala Badan")
    assert browser.find_element(By.ID, "docflow-state").text == "Telaah Kepala Badan"

    staff_act(
        browser, base, "kaban", pk, "Laporkan ke Wali Kota", "Menunggu Arahan Wali Kota", attachment=files["bukti"]
    )
    staff_act(
        browser, base, "staf_iwk", pk, "Catat Arahan Wali Kota", "Koordinasi Intelkam dan Forpimda",
        edit={"arahan_walikota": "Selesaikan secara musyawarah melalui tokoh masyarakat."}, attachment=files["bukti"],
    )  # fmt: skip
    staff_act(
        browser, base, "konflik1", pk, "Catat Kebijakan Forpimda", "Dokumentasi dan Analisis",
        edit={"kebijakan_penyelesaian": "Deklarasi damai disaksikan Forpimda; patroli gabungan."},
        attachment=files["bukti"],
    )  # fmt: skip
    staff_act(
        browser, base, "konflik1", pk, "Ajukan Laporan ke Provinsi", "Tanda Tangan Laporan Provinsi",
        edit={"analisis": "Dipicu fanatisme suporter.", "langkah_pencegahan": "Jadwal pertandingan dikoordinasikan.",
              "status_konflik": "Mereda"},
        attachment=files["bukti"],
    )  # fmt: skip
    staff_act(browser, base, "kaban", pk, "Tandatangani Laporan Provinsi", "Dilaporkan ke Provinsi")

    # The letters, downloaded from the desk and read back.
    model = registry.get("Penanganan Konflik").model
    doc = model.objects.get(pk=pk)
    letters = {i.title: i for i in IssuedDocument.objects.filter(doctype="Penanganan Konflik", document_id=pk)}
    assert set(letters) == {
        "Laporan Kejadian Konflik kepada Wali Kota",
        "Laporan Kejadian Konflik kepada Bakesbangpol Provinsi",
    }
    links = {a.text: a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a[href*='/terbit/']")}
    texts = {}
    for title, issued in letters.items():
        href = next(h for label, h in links.items() if label.startswith(title))
        texts[title] = download(browser, href)
        assert issued.number in texts[title]
        assert JUDUL in texts[title] and "Pelemparan batu di Jl. Hasanudin." in texts[title]
        assert sk.number in texts[title]
        assert PELAPOR not in texts[title] and KONTAK not in texts[title]
        assert "Drs. Hadi Santoso, M.Si." in texts[title]
    walikota = texts["Laporan Kejadian Konflik kepada Wali Kota"]
    assert "Yth. Wali Kota Pasuruan" in walikota and "Dendam lama antarkelompok suporter" in walikota
    provinsi = texts["Laporan Kejadian Konflik kepada Bakesbangpol Provinsi"]
    assert "Provinsi Jawa Timur" in provinsi and "Deklarasi damai disaksikan Forpimda" in provinsi
    assert "Selesaikan secara musyawarah" in provinsi and "Mereda" in provinsi
    assert letters["Laporan Kejadian Konflik kepada Bakesbangpol Provinsi"].number != doc.number  # each its own number

    # The public tracking page: the state, never the letters nor the reporter.
    browser.delete_all_cookies()
    browser.get(f"{base}/lacak/{pengajuan.kode}/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "status")))
    assert browser.find_element(By.ID, "status").text == "Dilaporkan ke Provinsi"
    assert not browser.find_elements(By.ID, "terbit") and not browser.find_elements(By.ID, "nomor")
    for secret in (PELAPOR, KONTAK, doc.number):
        assert secret not in browser.page_source
