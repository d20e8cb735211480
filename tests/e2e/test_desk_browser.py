"""The desk in a real browser: log in through the login form, press the
workflow buttons, see the state, the number and the issued PDF link."""

import os

import pytest

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow.models import IssuedDocument
from tests.conftest import advance_skt, make_skt

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(f"needs Debian's Chromium ({CHROMIUM}) and its driver ({CHROMEDRIVER})", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "demo12345"
WAIT = 30


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


def open_change_page(driver, base_url, doc):
    driver.get(f"{base_url}/app/perizinan/permohonanskt/{doc.pk}/change/")
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def press(driver, action):
    button = wait(driver).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f'#docflow-actions button[data-action="{action}"]'))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    old = driver.find_element(By.ID, "docflow-state")
    asks = button.find_element(By.XPATH, "./ancestor::form").get_attribute("data-confirm")
    button.click()
    if asks:  # an action that uses up a letter number asks first
        wait(driver).until(EC.alert_is_present()).accept()
    wait(driver).until(EC.staleness_of(old))
    wait(driver).until(EC.presence_of_element_located((By.ID, "docflow-state")))


def test_officers_move_an_skt_application_in_the_browser(browser, live_server):
    fresh = make_skt(nama_ormas="Paguyuban Uji Peramban")
    waiting = advance_skt(make_skt(nama_ormas="Paguyuban Menunggu Tanda Tangan"), "Menunggu Persetujuan")

    # The service officer checks the file and sends it to the site survey.
    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, fresh)
    assert browser.find_element(By.ID, "docflow-state").text == "Menunggu Verifikasi"
    assert "Paguyuban Uji Peramban" in browser.page_source
    press(browser, "Berkas Lengkap")
    assert browser.find_element(By.ID, "docflow-state").text == "Survei Lokasi"
    assert "kini berstatus Survei Lokasi" in browser.page_source
    assert PermohonanSKT.objects.get(pk=fresh.pk).workflow_state == "Survei Lokasi"
    assert not browser.find_elements(By.CSS_SELECTOR, 'button[data-action="Berkas Lengkap"]')
    # The officer cannot approve.
    open_change_page(browser, live_server.url, waiting)
    assert not browser.find_elements(By.CSS_SELECTOR, 'button[data-action="Setujui"]')

    # The head of the agency approves: the letter gets its number and its PDF.
    log_in(browser, live_server.url, "kaban")
    open_change_page(browser, live_server.url, waiting)
    assert browser.find_element(By.ID, "docflow-state").text == "Menunggu Persetujuan"
    press(browser, "Setujui")
    assert browser.find_element(By.ID, "docflow-state").text == "SKT Terbit"

    doc = PermohonanSKT.objects.get(pk=waiting.pk)
    assert doc.workflow_state == "SKT Terbit"
    assert doc.number
    issued = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk)
    panel = browser.find_element(By.ID, "docflow-panel").text
    assert f"Nomor {doc.number}" in panel
    link = browser.find_element(By.CSS_SELECTOR, f'#docflow-panel a[href="/terbit/{issued.pk}/"]')
    assert doc.number in link.text


def test_a_subtask_is_sent_answered_and_opens_the_step_in_the_browser(browser, live_server):
    """The holder of the step sends a sub-task on the form, sees the step
    blocked with whose request is open; the assignee answers from the same
    form; the step is then a button."""
    from apps.docflow.models import Workflow
    from apps.docflow.services.definitions import export_workflow, import_workflow
    from apps.organisasi.models import Unit
    from tests.conftest import fill_survey

    spec = export_workflow(Workflow.objects.get(workflow_name="Permohonan SKT"))
    for t in spec["transitions"]:
        if t["action"] == "Laporkan Hasil Survei":
            t["require_subtasks_done"] = True
    import_workflow(spec)
    doc = fill_survey(advance_skt(make_skt(nama_ormas="Paguyuban Permintaan Data"), "Survei Lokasi"))
    iwk = Unit.objects.get(kode="BID_IWK")

    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    browser.execute_script("document.getElementById('docflow-subtasks').open = true")
    form = browser.find_element(By.ID, "docflow-subtask-new")
    form.find_element(By.CSS_SELECTOR, f'select[name=unit] option[value="{iwk.pk}"]').click()
    form.find_element(By.NAME, "due_days").send_keys("2")
    form.find_element(By.NAME, "instruction").send_keys("Rekap kegiatan Ormas di wilayah IWK")
    old = browser.find_element(By.ID, "docflow-state")
    browser.execute_script("arguments[0].submit()", form)
    wait(browser).until(EC.staleness_of(old))
    blocked = wait(browser).until(EC.presence_of_element_located((By.ID, "docflow-blocked"))).text
    assert "Laporkan Hasil Survei" in blocked and "Bidang" in blocked
    assert not browser.find_elements(By.CSS_SELECTOR, '#docflow-actions button[data-action="Laporkan Hasil Survei"]')

    log_in(browser, live_server.url, "staf_iwk")
    browser.get(f"{live_server.url}/app/menunggu-tindakan/")
    assert doc.name in wait(browser).until(EC.presence_of_element_located((By.ID, "inbox"))).text
    open_change_page(browser, live_server.url, doc)
    answer = browser.find_element(By.CSS_SELECTOR, ".docflow-subtask-answer")
    browser.execute_script("arguments[0].closest('details').open = true", answer)
    answer.find_element(By.NAME, "answer").send_keys("Terlampir 12 kegiatan.")
    old = browser.find_element(By.ID, "docflow-state")
    browser.execute_script("arguments[0].submit()", answer)
    wait(browser).until(EC.staleness_of(old))
    assert "Terlampir 12 kegiatan." in browser.find_element(By.ID, "docflow-subtasks").get_attribute("textContent")

    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    assert browser.find_elements(By.CSS_SELECTOR, '#docflow-actions button[data-action="Laporkan Hasil Survei"]')
