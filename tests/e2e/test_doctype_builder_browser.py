"""The low-code journey in a real browser, without code: an administrator
builds "Permohonan Audiensi" (a child table of participants, a Link to Unit,
a Currency, a Date and a depends_on field) in the desk, gives it a naming
series, a two-step workflow with a reason-required return and a print
format listing the participants; a staff member files one, the head
approves it, the PDF carries the number and the participants, and the API
lists it filtered on the Date field."""

import io
import json
import tempfile

import pytest
from django.test import Client
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from apps.docflow import registry
from apps.docflow.models import IssuedDocument
from tests.conftest import user
from tests.e2e.test_desk_browser import WAIT, browser, log_in, press, wait  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHILD = "Peserta Audiensi"
PARENT = "Permohonan Audiensi"


def fill(driver, name, value):
    element = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    if element.tag_name == "select":
        Select(element).select_by_visible_text(value)
    elif element.get_attribute("type") == "checkbox":
        if bool(value) != element.is_selected():
            driver.execute_script("arguments[0].click();", element)
    else:
        element.clear()
        element.send_keys(value)


def add_rows(driver, prefix, rows):
    """Add inline rows with the desk's own "Tambahkan ... lagi" link and fill them."""
    for i, row in enumerate(rows):
        driver.execute_script(
            """let node = document.querySelector(`[name="${arguments[0]}-TOTAL_FORMS"]`);
            while (node && !node.querySelector('.add-row')) node = node.parentElement;
            const link = node.querySelector('.add-row');
            link.scrollIntoView({block: 'center'}); link.click();""",
            prefix,
        )
        wait(driver).until(EC.presence_of_element_located((By.NAME, f"{prefix}-{i}-{next(iter(row))}")))
        for key, value in row.items():
            fill(driver, f"{prefix}-{i}-{key}", value)


def save(driver):
    button = driver.find_element(By.CSS_SELECTOR, 'button[name="_save"], input[name="_save"]')
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    wait(driver).until(EC.staleness_of(button))


def build_doctype(driver, base, values, fields, perms=()):
    driver.get(f"{base}/app/docflow/doctypedef/add/")
    wait(driver).until(EC.presence_of_element_located((By.NAME, "name")))
    for key, value in values.items():
        fill(driver, key, value)
    add_rows(driver, "fields", fields)
    preview = driver.find_element(By.ID, "docflow-doctype-preview").text  # live, before saving
    for field in fields:
        assert field["label"] in preview, (field["label"], preview)
    if perms:
        add_rows(driver, "permissions", perms)
    save(driver)
    errors = driver.find_elements(By.CSS_SELECTOR, ".errornote, .errorlist")
    assert not errors, [e.text for e in errors]


def test_an_administrator_builds_a_process_and_staff_use_it(browser, live_server, settings):  # noqa: F811
    base = live_server.url
    log_in(browser, base, "admin")
    build_doctype(
        browser, base, {"name": CHILD, "module": "Umum", "istable": True},
        [{"fieldname": "nama", "label": "Nama peserta", "fieldtype": "Data", "reqd": True},
         {"fieldname": "jabatan", "label": "Jabatan", "fieldtype": "Data"}],
    )  # fmt: skip
    build_doctype(
        browser, base,
        {"name": PARENT, "module": "Umum", "autoname": "AUD-{YYYY}-{seq:04}", "title_field": "perihal"},
        [{"fieldname": "perihal", "label": "Perihal", "fieldtype": "Data", "reqd": True, "in_list_view": True},
         {"fieldname": "unit_tujuan", "label": "Unit tujuan", "fieldtype": "Link", "options": "Unit"},
         {"fieldname": "biaya", "label": "Perkiraan biaya", "fieldtype": "Currency"},
         {"fieldname": "tanggal", "label": "Tanggal audiensi", "fieldtype": "Date", "in_standard_filter": True},
         {"fieldname": "perlu_ruang", "label": "Perlu ruang rapat", "fieldtype": "Check"},
         {"fieldname": "ruang", "label": "Ruang rapat", "fieldtype": "Data", "depends_on": "eval:doc.perlu_ruang"},
         {"fieldname": "peserta", "label": "Peserta", "fieldtype": "Table", "options": CHILD}],
        [{"role": "Staf Bidang", "read": True, "write": True, "create": True},
         {"role": "Kepala Bidang", "read": True, "submit": True}],
    )  # fmt: skip
    info = registry.get(PARENT)
    assert info.data_defined and "peserta" in info.children

    # the letter number series, the workflow (imported as JSON in the desk) and the print format
    browser.get(f"{base}/app/docflow/namingseries/add/")
    fill(browser, "key", "audiensi")
    fill(browser, "pattern", "{seq:03}/AUD/{YYYY}")
    save(browser)
    browser.get(f"{base}/app/docflow/printformat/add/")
    wait(browser).until(EC.presence_of_element_located((By.NAME, "name")))
    fill(browser, "name", "Surat Audiensi")
    fill(browser, "doc_type", PARENT)
    fill(
        browser,
        "html",
        "<p>Nomor {{ nomor }}: {{ doc.perihal }}</p><ol>{% for p in peserta %}<li>{{ p.nama }} ({{ p.jabatan }})</li>{% endfor %}</ol>",
    )
    fill(browser, "is_default", True)
    save(browser)
    workflow = {
        "workflow_name": PARENT, "document_type": PARENT,
        "states": [{"state": "Draf", "doc_status": 0, "allow_edit": "Staf Bidang"},
                   {"state": "Menunggu Kepala Bidang", "doc_status": 0},
                   {"state": "Disetujui", "doc_status": 1, "is_final": 1, "numbering_series": "audiensi",
                    "print_format": "Surat Audiensi"}],
        "transitions": [{"state": "Draf", "action": "Ajukan", "next_state": "Menunggu Kepala Bidang", "allowed": "Staf Bidang"},
                        {"state": "Menunggu Kepala Bidang", "action": "Setujui", "next_state": "Disetujui", "allowed": "Kepala Bidang"},
                        {"state": "Menunggu Kepala Bidang", "action": "Kembalikan", "next_state": "Draf",
                         "allowed": "Kepala Bidang", "require_comment": 1}],
    }  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(workflow, f)
    browser.get(f"{base}/app/docflow/workflow/impor/")
    browser.find_element(By.NAME, "berkas").send_keys(f.name)
    submit = browser.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data'] [type=submit]")
    browser.execute_script("arguments[0].click();", submit)
    # the new DocType came with a default workflow: the desk shows what changes and asks first
    confirm = wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, 'button[name="konfirmasi"][value="ganti"]'))
    )
    browser.execute_script("arguments[0].click();", confirm)
    wait(browser).until(lambda d: "/impor/" not in d.current_url)

    # a staff member files one; the room field appears only when a room is needed
    meta = registry.get(PARENT).model._meta
    log_in(browser, base, "staf_kbk")
    browser.get(f"{base}/app/{meta.app_label}/{meta.model_name}/add/")
    wait(browser).until(EC.presence_of_element_located((By.NAME, "perihal")))
    ruang = browser.find_element(By.NAME, "ruang")
    assert not ruang.is_displayed()
    fill(browser, "perlu_ruang", True)
    wait(browser).until(lambda d: d.find_element(By.NAME, "ruang").is_displayed())
    fill(browser, "perihal", "Audiensi Paguyuban Bugul")
    fill(browser, "tanggal", "2026-12-15")
    fill(browser, "biaya", "2500000")
    fill(browser, "ruang", "Ruang Rapat Utama")
    prefix = (
        browser.find_element(By.CSS_SELECTOR, "[id$='-TOTAL_FORMS']").get_attribute("name").removesuffix("-TOTAL_FORMS")
    )
    add_rows(
        browser, prefix, [{"nama": "Budi Santoso", "jabatan": "Ketua"}, {"nama": "Sari Dewi", "jabatan": "Sekretaris"}]
    )
    save(browser)
    doc = registry.get(PARENT).model.objects.get()
    assert doc.ruang == "Ruang Rapat Utama" and str(doc.biaya) == "2500000.00"
    browser.get(f"{base}/app/{meta.app_label}/{meta.model_name}/{doc.pk}/change/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "docflow-state")))
    press(browser, "Ajukan")

    # the head approves: the number and the participants are on the PDF
    log_in(browser, base, "kabid_kbk")
    browser.get(f"{base}/app/{meta.app_label}/{meta.model_name}/{doc.pk}/change/")
    wait(browser).until(EC.presence_of_element_located((By.ID, "docflow-state")))
    press(browser, "Setujui")
    assert browser.find_element(By.ID, "docflow-state").text == "Disetujui"
    doc.refresh_from_db()
    assert doc.number.startswith("001/AUD/")
    issued = IssuedDocument.objects.get(doctype=PARENT, document_id=doc.pk)
    with issued.file.open("rb") as fh:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert doc.number in text and "Budi Santoso" in text and "Sari Dewi" in text

    # the API lists it, filtered on its Date field
    client = Client()
    client.force_login(user("staf_kbk"))
    rows = client.get(
        f"/api/resource/{PARENT}",
        {"filters": json.dumps([["tanggal", "=", "2026-12-15"]]), "fields": '["name","number"]'},
    ).json()["data"]
    assert rows == [{"name": doc.name, "number": doc.number}]
    assert (
        client.get(f"/api/resource/{PARENT}", {"filters": json.dumps([["tanggal", "=", "2026-12-16"]])}).json()["data"]
        == []
    )
