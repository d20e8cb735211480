"""The Content-Security-Policy breaks nothing in a real browser: the desk
(Alpine.js running), the print preview and the portal load without a single
CSP violation in the console."""

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from apps.docflow.models import IssuedDocument
from tests.conftest import advance_skt, make_skt

from .test_desk_browser import CHROMEDRIVER, CHROMIUM, log_in, wait

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def logged_browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def violations(driver):
    return [
        e["message"]
        for e in driver.get_log("browser")
        if "Content Security Policy" in e["message"] or "Refused to" in e["message"]
    ]


def test_pages_load_without_csp_violations(logged_browser, live_server):
    driver, base = logged_browser, live_server.url
    doc = advance_skt(make_skt(), "SKT Terbit")
    issued = IssuedDocument.objects.get(document_id=doc.pk, doctype="Permohonan SKT")
    log_in(driver, base, "pelayanan_kbk")
    seen = {}
    for path in (
        "/app/",
        "/app/perizinan/permohonanskt/",
        f"/app/perizinan/permohonanskt/{doc.pk}/change/",
        f"/app/perizinan/permohonanskt/{doc.pk}/cetak/",
    ):
        driver.get(base + path)
        wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
        if path != f"/app/perizinan/permohonanskt/{doc.pk}/cetak/":
            # Alpine.js started (it evaluates x-data, hence the desk's 'unsafe-eval')
            wait(driver).until(lambda d: d.execute_script("return !!document.documentElement._x_dataStack"))
        seen[path] = violations(driver)
    driver.delete_all_cookies()
    for path in ("/", "/ajukan/skt/", f"/verifikasi/{issued.token}"):
        driver.get(base + path)
        wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
        seen[path] = violations(driver)
    assert all(not v for v in seen.values()), seen
