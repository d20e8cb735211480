"""The visual workflow builder, the live map and the phone-width inbox in a
real Chromium: an administrator draws a workflow (states, a dragged arrow,
properties in the side panel, errors on the element before saving), a
document follows it, the live counts equal the pending report."""

import json

import pytest
from selenium.common.exceptions import ElementNotInteractableException, StaleElementReferenceException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow.models import Workflow
from apps.laporan.selectors import pending_per_unit
from tests.conftest import advance_skt, make_skt, user
from tests.e2e.test_desk_browser import (
    CHROMEDRIVER,
    CHROMIUM,
    WAIT,
    log_in,
    open_change_page,
    press,
    pytestmark,  # noqa: F401 - browser tests, transactional
    wait,
)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(arg)
    options.add_argument("--window-size=1400,1000")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()


def settled(driver):
    """Wait until the builder has checked the latest change (it redraws then)."""
    wait(driver).until(lambda d: d.find_element(By.CSS_SELECTOR, ".df-diagram").get_attribute("data-busy") is None)


def node(driver, state):
    return driver.find_element(By.CSS_SELECTOR, f'.df-canvas g.df-node[data-state="{state}"]')


def click_node(driver, state):
    ActionChains(driver).move_to_element(node(driver, state).find_element(By.CSS_SELECTOR, "rect")).click().perform()
    wait(driver).until(lambda d: "df-selected" in node(d, state).get_attribute("class"))


def panel_input(driver, prop):
    return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, f'.df-panel [data-prop="{prop}"]')))


def in_panel(driver, prop, act):
    """Do ``act`` on a side-panel input once the builder has checked the last
    change. The builder redraws its panel when such a check comes back: an
    act that meets a redraw (a stale or hidden input) starts again on the
    new input."""
    settled(driver)

    def done(d):
        try:
            act(panel_input(d, prop))
        except (StaleElementReferenceException, ElementNotInteractableException):
            return False
        return True

    wait(driver).until(done)
    settled(driver)


def set_text(driver, prop, value):
    """Type into a side-panel input as a person does: select all, type, leave the field."""

    def typing(field):
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE if not value else value)
        field.send_keys(Keys.TAB)

    in_panel(driver, prop, typing)


def test_administrator_builds_a_workflow_and_a_document_follows_it(browser, live_server):
    log_in(browser, live_server.url, "admin")
    browser.get(f"{live_server.url}/app/docflow/workflow/diagram/baru/?doctype=Permohonan%20SKT")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".df-canvas svg")))
    name = browser.find_element(By.ID, "df-wf-name")
    name.send_keys("SKT Jalur Cepat")
    browser.execute_script("arguments[0].dispatchEvent(new Event('change'))", name)
    active = browser.find_element(By.ID, "df-wf-active")
    active.click()

    # two states, renamed in the side panel
    browser.find_element(By.CSS_SELECTOR, ".df-add-state").click()
    set_text(browser, "state", "Diperiksa Petugas")
    browser.find_element(By.CSS_SELECTOR, ".df-add-state").click()
    set_text(browser, "state", "Selesai Cepat")
    wait(browser).until(lambda d: node(d, "Selesai Cepat"))
    in_panel(browser, "is_final", lambda field: field.click())
    in_panel(browser, "doc_status", lambda field: Select(field).select_by_value("1"))
    settled(browser)

    # the panel's inputs take its full width
    widths = browser.execute_script(
        "const p = document.querySelector('.df-panel'); const i = p.querySelector('[data-prop=state]');"
        "return [p.clientWidth, i.getBoundingClientRect().width];"
    )
    assert widths[1] >= widths[0] - 40, widths

    # drag an arrow from the first state's handle to the second
    settled(browser)
    handle = browser.find_element(By.CSS_SELECTOR, '.df-handle[data-handle="Diperiksa Petugas"]')
    target = node(browser, "Selesai Cepat").find_element(By.CSS_SELECTOR, "rect")
    ActionChains(browser).click_and_hold(handle).move_by_offset(20, 5).move_to_element(target).release().perform()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, 'g.df-edge[data-transition="0"]')))
    settled(browser)

    # before saving: the arrow without a role is marked, with the message in the panel
    wait(browser).until(
        lambda d: "df-error" in d.find_element(By.CSS_SELECTOR, 'g.df-edge[data-transition="0"]').get_attribute("class")
    )
    assert "tidak menyebut peran" in browser.find_element(By.CSS_SELECTOR, ".df-panel").text
    set_text(browser, "action", "Setujui Cepat")
    in_panel(browser, "allowed", lambda field: Select(field).select_by_visible_text("Petugas Pelayanan"))
    settled(browser)
    set_text(browser, "condition", "doc.nama_ormas ==")
    wait(browser).until(lambda d: "Syarat transisi" in d.find_element(By.CSS_SELECTOR, ".df-panel").text)
    edge = browser.find_element(By.CSS_SELECTOR, 'g.df-edge[data-transition="0"]')
    assert "df-error" in edge.get_attribute("class")
    # fix it with the field picker
    set_text(browser, "condition", "")
    in_panel(browser, "field-picker", lambda field: Select(field).select_by_value("nama_ormas"))
    assert panel_input(browser, "condition").get_attribute("value") == "doc.nama_ormas"
    wait(browser).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".df-problems").text.strip().startswith("Tidak ada kesalahan")
    )
    assert not browser.find_elements(By.CSS_SELECTOR, ".df-canvas .df-error")

    browser.find_element(By.CSS_SELECTOR, ".df-save").click()
    wait(browser).until(lambda d: d.current_url.endswith("/diagram/") and "/baru/" not in d.current_url)
    workflow = Workflow.objects.get(workflow_name="SKT Jalur Cepat")
    assert workflow.is_active
    assert [s.state for s in workflow.states.all()] == ["Diperiksa Petugas", "Selesai Cepat"]
    transition = workflow.transitions.get()
    assert (transition.action, transition.allowed.name, transition.condition) == (
        "Setujui Cepat",
        "Petugas Pelayanan",
        "doc.nama_ormas",
    )

    # a document follows the new workflow
    doc = make_skt(nama_ormas="Paguyuban Jalur Cepat")
    assert doc.workflow_state == "Diperiksa Petugas"
    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    press(browser, "Setujui Cepat")
    assert browser.find_element(By.ID, "docflow-state").text == "Selesai Cepat"
    assert PermohonanSKT.objects.get(pk=doc.pk).workflow_state == "Selesai Cepat"
    # the read-only diagram on the form: current state and the path taken
    wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#docflow-diagram g.df-node.df-current"))
    current = browser.find_element(By.CSS_SELECTOR, "#docflow-diagram g.df-node.df-current")
    assert current.get_attribute("data-state") == "Selesai Cepat"
    assert browser.find_elements(By.CSS_SELECTOR, "#docflow-diagram g.df-edge.df-taken")


def test_live_counts_on_the_map_match_the_pending_report(browser, live_server):
    for _ in range(3):
        make_skt()
    advance_skt(make_skt(), "Survei Lokasi")
    advance_skt(make_skt(), "Menunggu Persetujuan")
    workflow = Workflow.objects.get(document_type="Permohonan SKT", is_active=True)
    kaban = user("kaban")
    expected: dict[str, int] = {}
    for row in pending_per_unit(kaban, process_code="P8.1"):
        expected[row.state] = expected.get(row.state, 0) + row.count

    log_in(browser, live_server.url, "kaban")
    browser.get(f"{live_server.url}/app/docflow/workflow/{workflow.pk}/peta/")
    wait(browser).until(lambda d: d.find_element(By.ID, "df-map").get_attribute("data-stats-loaded") == "1")
    shown = {}
    for g in browser.find_elements(By.CSS_SELECTOR, "#df-map g.df-node"):
        text = g.find_element(By.CSS_SELECTOR, ".df-node-stats").text
        shown[g.get_attribute("data-state")] = int(text.split()[0])
    for state, count in expected.items():
        assert shown[state] == count, (state, shown, expected)
    assert expected["Menunggu Verifikasi"] >= 3

    # the report page says the same
    browser.get(f"{live_server.url}/app/laporan/tertunda/?proses=P8.1")
    page = browser.page_source
    assert str(sum(expected.values())) in page

    # clicking a state opens the desk list filtered to it
    browser.get(f"{live_server.url}/app/docflow/workflow/{workflow.pk}/peta/")
    wait(browser).until(lambda d: d.find_element(By.ID, "df-map").get_attribute("data-stats-loaded") == "1")
    ActionChains(browser).move_to_element(
        node(browser, "Menunggu Verifikasi").find_element(By.CSS_SELECTOR, "rect")
    ).click().perform()
    wait(browser).until(lambda d: "workflow_state=Menunggu+Verifikasi" in d.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == expected["Menunggu Verifikasi"]


def test_phone_width_inbox_does_not_scroll_sideways(browser, live_server):
    for _ in range(3):
        make_skt(nama_ormas="Perkumpulan Dengan Nama Yang Sangat Panjang Sekali Untuk Menguji Lebar Layar")
    browser.set_window_size(390, 844)
    log_in(browser, live_server.url, "pelayanan_kbk")
    browser.get(f"{live_server.url}/app/menunggu-tindakan/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "inbox")))
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth, window.innerWidth,"
        " document.getElementById('inbox').getBoundingClientRect().right];"
    )
    assert widths[0] <= widths[1], json.dumps(widths)
    assert widths[3] <= widths[1] + 1, json.dumps(widths)


def test_phone_width_disposition_form_does_not_scroll_sideways(browser, live_server):
    from tests.bakesbangpol.umum.helpers import no_demo_delegation, verified_surat

    no_demo_delegation()
    surat = verified_surat(perihal="Undangan rapat koordinasi kewaspadaan dini dengan judul yang panjang sekali")
    browser.set_window_size(390, 844)
    log_in(browser, live_server.url, "kaban")
    browser.get(f"{live_server.url}/app/umum/suratmasuk/{surat.pk}/change/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "form-disposisi")))
    widths = browser.execute_script(
        "const f = document.getElementById('form-disposisi');"
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
        " f.getBoundingClientRect().right, f.scrollWidth, f.clientWidth];"
    )
    assert widths[0] <= widths[1], json.dumps(widths)
    assert widths[2] <= widths[1] + 1, json.dumps(widths)
