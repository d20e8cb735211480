"""Security issue 9: bad or hostile input answers 4xx with a readable message,
never a 500 or a hung worker (like patterns, numbers out of range, odd JSON,
report parameters, broken print templates)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.docflow.models import PrintFormat
from tests.conftest import make_skt
from tests.docflow.test_api import DOCTYPE, RES, api_login, assert_error, doc_param, listing, names

# --- 1. like runs as SQL LIKE, bounded ---------------------------------------------------


@pytest.mark.engine
def test_like_with_inner_wildcards_is_sql_like_not_a_regex(client):
    long = "a" * 2990 + "xb9"
    hit = make_skt(nama_ormas="Paguyuban Pola", alamat_sekretariat=long)
    make_skt(nama_ormas="Paguyuban Lain", alamat_sekretariat="a" * 3000)
    api_login(client)
    with CaptureQueriesContext(connection) as queries:
        response = listing(client, filters=[["alamat_sekretariat", "like", "%a%a%b_"]])
    assert names(response) == [hit.name]
    sql = " ".join(q["sql"] for q in queries.captured_queries).upper()
    assert "REGEXP" not in sql
    assert " LIKE " in sql
    # not like, a literal escape character, and case-insensitivity
    assert hit.name not in names(listing(client, filters=[["alamat_sekretariat", "not like", "%A%b_"]]))
    make_skt(nama_ormas="Seru! 100_% Pemuda")
    assert len(names(listing(client, filters=[["nama_ormas", "like", "seru!%pemuda"]]))) == 1


@pytest.mark.engine
@pytest.mark.parametrize(
    "pattern",
    ["%a%a%a%a%a%a%a%a%a%b", "_" * 20 + "%x", "%a" + "b" * 200 + "%"],
)
def test_like_pattern_too_long_or_too_many_wildcards_is_refused(client, pattern):
    api_login(client)
    message = assert_error(listing(client, filters=[["nama_ormas", "like", pattern]]), 417, "ValidationError")
    assert "like" in message


@pytest.mark.engine
def test_like_with_inner_wildcards_on_a_non_text_field_is_refused(client):
    api_login(client)
    assert_error(listing(client, filters=[["tanggal_akta", "like", "20%0_%"]]), 417)


# --- 5. answers that were 500 ----------------------------------------------------------


@pytest.mark.engine
@pytest.mark.parametrize(
    "params",
    [
        {"filters": [["unit", "=", "abc"]]},
        {"filters": [["unit", "in", ["abc"]]]},
        {"filters": [["unit", "=", 99999999999999999999]]},
        {"filters": [["docstatus", "=", 99999999999999999999]]},
        {"filters": [["nama_ormas", "=", {"a": 1}]]},
        {"limit_start": "9223372036854775808"},
        {"limit_page_length": "1e400"},
        {"filters": "[[" * 5000},
        {"filters": json.dumps([["nama_ormas", "like", ["x"]]])},
    ],
)
def test_bad_list_parameters_answer_417(client, params):
    api_login(client)
    assert_error(listing(client, **params), 417, "ValidationError")


@pytest.mark.engine
def test_bad_json_bodies_answer_4xx(client):
    api_login(client)
    deep = "[" * 20000 + "]" * 20000
    for body in (
        '{"doctype": "Permohonan SKT", "filters": ' + deep + "}",
        '{"doctype": "Permohonan SKT", "limit": Infinity}',
        '{"doctype": "Permohonan SKT", "limit": NaN}',
        '{"doctype": "Permohonan SKT", "limit": 1e400}',
        '{"doctype": ["a"]}',
        '{"doctype": {"a": 1}}',
    ):
        for url in ("/api/method/frappe.client.get_list", "/api/method/frappe.client.get_count"):
            response = client.post(url, body, content_type="application/json")
            assert 400 <= response.status_code < 500, (url, body[:80], response.content[:300])
            assert_error(response, response.status_code)
    response = client.post(
        "/api/method/frappe.client.get", '{"doctype": "Permohonan SKT", "name": ["x"]}', content_type="application/json"
    )
    assert_error(response, 417)
    response = client.post(RES, '{"data": ' + deep + "}", content_type="application/json")
    assert_error(response, 417)


@pytest.mark.engine
def test_limit_infinity_in_a_json_body(client):
    api_login(client)
    response = client.post(
        "/api/method/frappe.client.get_list",
        '{"doctype": "Permohonan SKT", "limit": Infinity}',
        content_type="application/json",
    )
    assert_error(response, 417, "ValidationError")


def test_apply_workflow_comment_as_an_object(client):
    doc = make_skt()
    api_login(client)
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json.dumps({"doc": doc_param(doc), "action": "Verifikasi", "comment": {"x": 1}}),
        content_type="application/json",
    )
    assert_error(response, 417)
    doc.refresh_from_db()
    assert doc.workflow_state == "Menunggu Verifikasi"


def test_login_with_lists(client):
    for body in ({"usr": ["pelayanan_kbk"], "pwd": ["demo12345"]}, {"usr": "pelayanan_kbk", "pwd": {"a": 1}}):
        response = client.post("/api/method/login", json.dumps(body), content_type="application/json")
        assert 400 <= response.status_code < 500, response.content
        assert_error(response, response.status_code)


@pytest.mark.parametrize(
    "url",
    [
        "/app/laporan/waktu-proses/?tahun=10000",
        "/app/laporan/waktu-proses/?tahun=-1",
        "/app/laporan/waktu-proses/?tahun=99999999999999999999999",
        "/app/laporan/register/skt/?tahun=10000",
        "/app/laporan/register/skt/?tahun=-1",
        "/app/laporan/tertunda/?unit=99999999999999999999",
        "/app/laporan/tertunda/?unit=-5",
    ],
)
def test_report_parameters_out_of_range_answer_400(login_as, url):
    client = login_as("kaban")
    response = client.get(url)
    assert response.status_code == 400, response.status_code
    text = response.content.decode()
    assert "Parameter" in text and "tidak sah" in text


def test_report_with_sane_parameters_still_works(login_as):
    client = login_as("kaban")
    assert client.get("/app/laporan/waktu-proses/?tahun=2026").status_code == 200
    assert client.get("/app/laporan/register/skt/?tahun=2026").status_code == 200
    assert client.get("/app/laporan/tertunda/?unit=1").status_code == 200


def test_print_preview_of_a_broken_template_is_a_readable_400(login_as):
    doc = make_skt()
    PrintFormat.objects.filter(doc_type=DOCTYPE).update(html="{{ doc.tidak_ada_field }} {% for %}")
    client = login_as("pelayanan_kbk")
    for suffix in ("cetak", "pdf"):
        response = client.get(f"/app/perizinan/permohonanskt/{doc.pk}/{suffix}/")
        assert response.status_code == 400, (suffix, response.status_code)
        assert "Format cetak tidak dapat dirender" in response.content.decode()


# --- 3. workflow conditions are bounded ------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "9**3999999 > 0",
        "doc.jumlah_kursi ** 99999 > 0",
        "len('a' * 10**8) > 0",
        "len([0] * 10**7) > 0",
        "1 << 10**6 > 0",
        "len('%099999999d' % 1) > 0",
        "len(doc.nama_ormas.ljust(10**9)) > 0",
        "len(str(10**5000)) > 0",
    ],
)
def test_heavy_conditions_are_refused_on_save_and_false_at_run_time(expression):
    from apps.docflow.conditions import evaluate
    from apps.docflow.services.definitions import validate_spec
    from tests.docflow.test_engine import edit_transition, skt_spec

    spec = edit_transition(skt_spec(), "Berkas Lengkap", condition=expression)
    errors = validate_spec(spec)
    assert any("Syarat transisi" in e and ("terlalu" in e or "tidak diizinkan" in e) for e in errors), errors
    assert evaluate(expression, make_skt()) is False


def test_ordinary_conditions_still_work():
    from apps.docflow.conditions import check_condition, evaluate

    doc = make_skt(nama_ormas="Paguyuban Biasa")
    for expression in (
        "doc.nama_ormas.startswith('Paguyuban')",
        "len(doc.nama_ormas) < 100 and 2**10 == 1024",
        "doc.nama_ormas.lower().endswith('biasa')",
        "'x' * 3 == 'xxx'",
    ):
        assert check_condition(expression, type(doc)) is None, expression
        assert evaluate(expression, doc) is True, expression


# --- 4. print templates see safe views and have limits ----------------------------------


def _render(source, doc):
    from apps.docflow import printing

    pf = PrintFormat(name="Uji", doc_type=DOCTYPE, html=source)
    return printing.render_html(pf, printing.build_context(doc))


@pytest.mark.parametrize(
    "source",
    [
        "{{ doc.created_by.password }}",
        "{{ doc.created_by['password'] }}",
        "{{ doc.modified_by.password }}",
        "{{ doc.created_by.docflow_api_key.secret_hash }}",
        "{{ doc.created_by.username }}{{ doc.created_by.docflow_api_key }}",
        "{{ doc.unit.kepala.password }}",
        "{% for k, v in doc.created_by.__dict__.items() %}{{ v }}{% endfor %}",
        "{{ doc.created_by.groups }}",
    ],
)
def test_prints_cannot_reach_credentials(source):
    from apps.docflow.exceptions import PrintError
    from apps.docflow.models import ApiKey
    from apps.docflow.services.apikeys import api_key_generate
    from tests.conftest import user

    owner = user("pelayanan_kbk")
    api_key_generate(user=owner)
    doc = make_skt()
    secret_hash = ApiKey.objects.get(user=owner).secret_hash
    try:
        html = _render(source, doc)
    except PrintError:
        return
    assert owner.password not in html and secret_hash not in html
    assert "pbkdf2" not in html


def test_prints_see_people_as_name_nip_rank_and_position():
    from apps.docflow.scope import backend
    from tests.conftest import user

    doc = make_skt(nama_ormas="Ormas Tampilan Aman")
    person = backend().person(user("pelayanan_kbk"))
    html = _render(
        "{{ doc.nama_ormas }}|{{ doc.created_by }}|{{ doc.created_by.nama }}|{{ doc.created_by.nip }}"
        "|{{ doc.created_by.jabatan }}|{{ doc.unit.nama }}|{{ doc.get_workflow_state_display() if false else 1 }}",
        doc,
    )
    assert f"Ormas Tampilan Aman|{person.name}|{person.name}|{person.nip}|{person.title}|" in html
    assert str(doc.unit.nama) in html


@pytest.mark.parametrize(
    "source, words",
    [
        ("{{ 'a' * 10**8 }}", "terlalu panjang"),
        ("{{ ('a' * 1000000) + ('a' * 1000001) }}", "terlalu panjang"),
        ("{{ 9 ** 3999999 }}", "pangkat"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "batas"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "batas"),
        ("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}", "berat"),
        ("{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}", ""),
        ("{{ 'x'|center(10**9) }}", "terlalu besar"),
        ("{{ 'x'.ljust(10**9) }}", "terlalu besar"),
        ("{{ ('%0999999999d' % 1)|length }}", "format"),
        ("{{ '{:>999999999}'.format(1) }}", "format"),
        ("{{ ('a' * 1000000).replace('a', 'aaaaaaaaaaaa') }}", "terlalu panjang"),
    ],
)
def test_heavy_templates_end_with_a_clear_error(source, words):
    from apps.docflow.exceptions import PrintError

    with pytest.raises(PrintError) as caught:
        _render(source, make_skt())
    assert "Format cetak tidak dapat dirender" in caught.value.message
    assert words in caught.value.message


def test_render_time_limit(settings):
    from apps.docflow.exceptions import PrintError

    settings.PRINT_TIME_LIMIT = 0.01
    source = "{% for i in range(100000) %}{{ i|string|length }}{% endfor %}" * 2
    with pytest.raises(PrintError) as caught:
        _render(source, make_skt())
    assert "batas waktu" in caught.value.message


def test_pdf_time_limit_holds_in_a_worker_thread(settings):
    """gunicorn's gthread workers (``make run``) render outside the main
    thread, where SIGALRM cannot reach: the limit still stops WeasyPrint."""
    import threading

    from apps.docflow import printing
    from apps.docflow.exceptions import PrintError

    doc = make_skt()
    pf = PrintFormat.objects.get(name="Surat Keterangan Terdaftar")
    context = printing.build_context(doc)
    settings.PRINT_TIME_LIMIT = 0.05
    outcome = {}

    def render():
        try:
            printing.render_pdf(pf, context)
            outcome["result"] = "rendered"
        except PrintError as exc:
            outcome["result"] = exc.message

    worker = threading.Thread(target=render)
    worker.start()
    worker.join(60)
    assert "batas waktu" in outcome["result"]
    settings.PRINT_TIME_LIMIT = 30
    worker = threading.Thread(target=render)
    worker.start()
    worker.join(60)
    assert outcome["result"] == "rendered"  # a timer that has not fired leaves nothing behind


def test_issued_formats_still_render_with_safe_views():
    from apps.docflow import printing
    from tests.conftest import advance_skt, pdf_text

    doc = advance_skt(make_skt(nama_ormas="Paguyuban Cetak Aman"), "SKT Terbit")
    pf = PrintFormat.objects.get(name="Surat Keterangan Terdaftar")
    text = pdf_text(printing.render_pdf(pf, printing.build_context(doc)))
    assert "Paguyuban Cetak Aman" in text


# --- 2. a time budget for the database work of a request --------------------------------

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the progress handler is SQLite's")
HEAVY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) SELECT count(*) FROM c"


@sqlite_only
def test_sqlite_statement_past_the_budget_is_interrupted():
    from django.db import OperationalError

    from apps.docflow import timelimit

    with timelimit.deadline(0.05), pytest.raises(OperationalError) as caught, connection.cursor() as cursor:
        cursor.execute(HEAVY)
    assert timelimit.is_timeout(caught.value)
    with connection.cursor() as cursor:  # outside a request: no budget
        cursor.execute("SELECT count(*) FROM (SELECT 1 UNION SELECT 2)")
        assert cursor.fetchone() == (2,)


@sqlite_only
def test_request_past_its_database_budget_answers_503(client, settings):
    # enough rows that the filtered scan alone runs past SQLite's progress
    # check (every PROGRESS_STEPS instructions), whatever the caches saved
    doc = make_skt(nama_ormas="Ormas Waktu", alamat_sekretariat="a" * 3000)
    for i in range(60):
        doc.pk = doc.id = None
        doc.name = f"PSKT-WAKTU-{i:03}"
        doc.save()
    api_login(client)
    settings.REQUEST_DB_TIME_LIMIT = 1e-9
    response = client.get(RES, {"filters": json.dumps([["alamat_sekretariat", "like", "%a%a%b_"]])})
    assert response.status_code == 503, response.content[:300]
    assert "batas waktu" in response.json()["message"]
    settings.REQUEST_DB_TIME_LIMIT = 30
    assert client.get(RES).status_code == 200
