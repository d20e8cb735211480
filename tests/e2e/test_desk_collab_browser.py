"""Comments, assignments and the desk's confirmations in a real browser
(issue 13): a mention reaches the mentioned user, an assignment appears in
"Ditugaskan ke Saya", numbering asks first, unsaved edits are not silently
lost, and a broken print template is refused when saved."""

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow.models import Comment, Notification, PrintFormat, ToDo
from tests.conftest import advance_skt, make_skt

from .test_desk_browser import browser, log_in, open_change_page, pytestmark, wait  # noqa: F401

__all__ = ["pytestmark"]


def _alert(driver, timeout=5):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(EC.alert_is_present())


def _button(driver, action):
    button = wait(driver).until(
        EC.element_to_be_clickable((By.CSS_SELECTOR, f'#docflow-actions button[data-action="{action}"]'))
    )
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    return button


def test_a_mention_reaches_the_mentioned_user(browser, live_server):  # noqa: F811
    doc = make_skt(nama_ormas="Paguyuban Sebut Nama")
    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    box = browser.find_element(By.ID, "docflow-comment-input")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", box)
    box.send_keys("Mohon arahan, @kaban: berkas sudah lengkap.")
    browser.find_element(By.CSS_SELECTOR, "#docflow-comments button[type=submit]").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "docflow-timeline"), "Mohon arahan"))
    assert Comment.objects.get(reference_name=doc.name).mentions.get().username == "kaban"

    log_in(browser, live_server.url, "kaban")
    browser.get(f"{live_server.url}/app/docflow/notification/")
    note = Notification.objects.get(user__username="kaban", document_name=doc.name, subject__contains="menyebut")
    link = wait(browser).until(EC.element_to_be_clickable((By.XPATH, f'//tr[contains(., "{note.subject}")]//a')))
    link.click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "docflow-timeline")))
    assert f"/{doc.pk}/change/" in browser.current_url
    assert "Mohon arahan, @kaban" in browser.find_element(By.ID, "docflow-timeline").text


def test_an_assignment_appears_in_ditugaskan_ke_saya(browser, live_server):  # noqa: F811
    doc = make_skt(nama_ormas="Paguyuban Ditugaskan")
    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    form = browser.find_element(By.ID, "docflow-assign-form")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", form)
    Select(form.find_element(By.NAME, "allocated_to")).select_by_visible_text(
        next(o.text for o in Select(form.find_element(By.NAME, "allocated_to")).options if "@staf_kbk" in o.text)
    )
    browser.execute_script("document.querySelector('#docflow-assign-form [name=date]').value = '2099-03-31';")
    form.find_element(By.NAME, "description").send_keys("Siapkan telaah staf")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(browser).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, '#docflow-assign li[data-assignee="staf_kbk"]'))
    )
    assert ToDo.objects.get(reference_name=doc.name).allocated_to.username == "staf_kbk"

    log_in(browser, live_server.url, "staf_kbk")
    browser.get(f"{live_server.url}/app/")
    wait(browser).until(EC.element_to_be_clickable((By.XPATH, '//a[contains(., "Ditugaskan ke Saya")]'))).click()
    table = wait(browser).until(EC.presence_of_element_located((By.ID, "assigned")))
    assert doc.name in table.text and "Siapkan telaah staf" in table.text and "31 Mar 2099" in table.text
    table.find_element(By.LINK_TEXT, doc.name).click()
    wait(browser).until(EC.presence_of_element_located((By.ID, "docflow-state")))
    assert "Paguyuban Ditugaskan" in browser.page_source


def test_numbering_asks_for_confirmation_first(browser, live_server):  # noqa: F811
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Konfirmasi"), "Menunggu Persetujuan")
    log_in(browser, live_server.url, "kaban")
    open_change_page(browser, live_server.url, doc)
    reject = _button(browser, "Tolak")
    assert "docflow-btn-reject" in reject.get_attribute("class")
    assert reject.value_of_css_property("color") != _button(browser, "Setujui").value_of_css_property("color")

    _button(browser, "Setujui").click()
    alert = _alert(browser)
    assert "akan diberi nomor surat" in alert.text
    alert.dismiss()  # nothing happens, no number is used
    assert browser.find_element(By.ID, "docflow-state").text == "Menunggu Persetujuan"
    assert not PermohonanSKT.objects.get(pk=doc.pk).number

    old = browser.find_element(By.ID, "docflow-state")
    _button(browser, "Setujui").click()
    _alert(browser).accept()
    wait(browser).until(EC.staleness_of(old))
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "docflow-state"), "SKT Terbit"))
    assert PermohonanSKT.objects.get(pk=doc.pk).number


def test_unsaved_edits_are_not_lost_silently(browser, live_server):  # noqa: F811
    doc = make_skt(nama_ormas="Paguyuban Belum Disimpan")
    log_in(browser, live_server.url, "pelayanan_kbk")
    open_change_page(browser, live_server.url, doc)
    field = browser.find_element(By.NAME, "bidang_kegiatan")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", field)
    field.send_keys(" dan pendidikan")
    _button(browser, "Berkas Lengkap").click()
    alert = _alert(browser)
    assert "belum disimpan" in alert.text
    alert.dismiss()
    assert browser.find_element(By.NAME, "bidang_kegiatan").get_attribute("value").endswith("dan pendidikan")
    assert PermohonanSKT.objects.get(pk=doc.pk).workflow_state == "Menunggu Verifikasi"
    # without edits there is no question
    open_change_page(browser, live_server.url, doc)
    old = browser.find_element(By.ID, "docflow-state")
    _button(browser, "Berkas Lengkap").click()
    try:
        _alert(browser, timeout=1)
        raise AssertionError("asked although nothing was edited")
    except TimeoutException:
        pass
    wait(browser).until(EC.staleness_of(old))
    assert PermohonanSKT.objects.get(pk=doc.pk).workflow_state == "Survei Lokasi"


def test_a_broken_template_is_refused_at_save(browser, live_server):  # noqa: F811
    make_skt()
    pf = PrintFormat.objects.filter(doc_type="Permohonan SKT").order_by("pk").first()
    original = pf.html
    log_in(browser, live_server.url, "admin")
    browser.get(f"{live_server.url}/app/docflow/printformat/{pf.pk}/change/")
    html = wait(browser).until(EC.presence_of_element_located((By.NAME, "html")))
    browser.execute_script("arguments[0].value += '{{ doc.nama_ormas | huruf_besar }}';", html)
    save = browser.find_element(By.CSS_SELECTOR, "#submit-row [name=_save], [name=_save]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", save)
    save.click()
    wait(browser).until(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "huruf_besar"))
    assert "Templat" in browser.find_element(By.TAG_NAME, "body").text
    pf.refresh_from_db()
    assert pf.html == original
