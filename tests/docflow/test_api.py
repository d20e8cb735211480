"""The Frappe-dialect REST API (/api/method, /api/resource) end to end:
authentication, list queries, CRUD, workflow, files, print, visibility,
refusals of bad input (with nothing changed) and CSRF."""

import datetime
import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow.models import File
from apps.docflow.services.apikeys import api_key_generate
from tests.conftest import PDF_BYTES, advance_skt, fill_survey, make_skt, pdf_text, skt_data, user

RES = "/api/resource/Permohonan%20SKT"
DOCTYPE = "Permohonan SKT"
PASSWORD = "demo12345"


def api_login(client, username="pelayanan_kbk"):
    response = client.post("/api/method/login", {"usr": username, "pwd": PASSWORD})
    assert response.status_code == 200, response.content
    return client


def api_client(username="pelayanan_kbk", **kwargs):
    return api_login(Client(**kwargs), username)


def token_header(username):
    key, secret = api_key_generate(user=user(username))
    return {"HTTP_AUTHORIZATION": f"token {key.api_key}:{secret}"}


def assert_error(response, status, exc_type=None):
    assert response.status_code == status, (response.status_code, response.content)
    body = response.json()
    if exc_type:
        assert body["exc_type"] == exc_type, body
    message = body["message"]
    assert isinstance(message, str) and len(message) > 5, body
    assert "Traceback" not in message
    assert json.loads(json.loads(body["_server_messages"])[0])["message"] == message
    return message


def names(response):
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["data"]]


def listing(client, **params):
    query = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in params.items()}
    return client.get(RES, query)


def detail_url(doc):
    return f"{RES}/{doc.name}"


def state_of(doc):
    return PermohonanSKT.objects.get(pk=doc.pk).workflow_state


def doc_param(doc, **extra):
    return json.dumps({"doctype": DOCTYPE, "name": doc.name, **extra})


# --- ping, login, logout, token -----------------------------------------------------------


def test_ping(client):
    response = client.get("/api/method/ping")
    assert response.status_code == 200
    assert response.json() == {"message": "pong"}


def test_login_form_encoded_opens_a_session(client):
    response = client.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["message"] == "Logged In"
    assert body["full_name"] == "Rudi Hartono"
    response = client.get("/api/method/frappe.auth.get_logged_user")
    assert response.status_code == 200
    assert response.json() == {"message": "pelayanan_kbk"}


def test_login_json_body(client):
    response = client.post(
        "/api/method/login", json.dumps({"usr": "kaban", "pwd": PASSWORD}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Logged In"
    assert client.get("/api/method/frappe.auth.get_logged_user").json() == {"message": "kaban"}


def test_login_wrong_password_is_refused(client):
    response = client.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": "salah-sandi"})
    message = assert_error(response, 401, "AuthenticationError")
    assert "kata sandi salah" in message
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 401, "AuthenticationError")
    # the same request with the right password passes
    api_login(client)


def test_login_unknown_user_and_missing_fields(client):
    assert_error(client.post("/api/method/login", {"usr": "tidak_ada", "pwd": PASSWORD}), 401, "AuthenticationError")
    assert_error(client.post("/api/method/login", {}), 401, "AuthenticationError")
    assert_error(client.post("/api/method/login", "[1, 2]", content_type="application/json"), 417)
    assert_error(client.post("/api/method/login", "{bukan json", content_type="application/json"), 417)


def test_login_by_get_is_not_allowed(client):
    assert_error(client.get("/api/method/login", {"usr": "pelayanan_kbk", "pwd": PASSWORD}), 405)
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 401)


def test_login_locks_the_account_after_ten_failures_not_the_address(client):
    for _ in range(9):
        assert_error(client.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": "salah"}), 401)
    message = assert_error(client.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": "salah"}), 429)
    assert "dikunci" in message
    response = client.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": PASSWORD})
    assert "dikunci" in assert_error(response, 429, "TooManyRequestsError")
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 401)
    # another account from the same address still logs in
    api_login(client, "kaban")


def test_logout_ends_the_session(client):
    api_login(client)
    assert client.get("/api/method/frappe.auth.get_logged_user").json() == {"message": "pelayanan_kbk"}
    response = client.post("/api/method/logout")
    assert response.status_code == 200
    assert response.json() == {"message": "Logged Out"}
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 401, "AuthenticationError")
    assert_error(client.get(RES), 401, "AuthenticationError")


def test_token_auth_without_session(client):
    headers = token_header("pelayanan_kbk")
    response = client.get("/api/method/frappe.auth.get_logged_user", **headers)
    assert response.status_code == 200
    assert response.json() == {"message": "pelayanan_kbk"}
    doc = make_skt()
    assert doc.name in names(client.get(RES, **headers))
    # no session was opened by the token
    assert_error(client.get("/api/method/frappe.auth.get_logged_user"), 401)


def test_token_auth_wrong_secret_or_key(client):
    key, secret = api_key_generate(user=user("pelayanan_kbk"))
    wrong = "0" * len(secret) if secret != "0" * len(secret) else "1" * len(secret)
    for header in (f"token {key.api_key}:{wrong}", f"token tidakada:{secret}", f"token {key.api_key}:", "token x"):
        response = client.get("/api/method/frappe.auth.get_logged_user", HTTP_AUTHORIZATION=header)
        assert_error(response, 401, "AuthenticationError")
    ok = client.get("/api/method/frappe.auth.get_logged_user", HTTP_AUTHORIZATION=f"token {key.api_key}:{secret}")
    assert ok.json() == {"message": "pelayanan_kbk"}


def test_token_regenerated_invalidates_old_secret(client):
    key, old = api_key_generate(user=user("pelayanan_kbk"))
    key2, new = api_key_generate(user=user("pelayanan_kbk"))
    old_header = f"token {key.api_key}:{old}"
    assert_error(client.get("/api/method/frappe.auth.get_logged_user", HTTP_AUTHORIZATION=old_header), 401)
    new_header = f"token {key2.api_key}:{new}"
    assert client.get("/api/method/frappe.auth.get_logged_user", HTTP_AUTHORIZATION=new_header).status_code == 200


def test_token_of_inactive_user_is_refused(client):
    headers = token_header("staf_kbk")
    assert client.get("/api/method/frappe.auth.get_logged_user", **headers).status_code == 200
    u = user("staf_kbk")
    u.is_active = False
    u.save()
    assert_error(client.get("/api/method/frappe.auth.get_logged_user", **headers), 401)


# --- list queries --------------------------------------------------------------------------


@pytest.fixture
def ormas():
    """Five applications with distinct names, dates and states."""
    docs = {
        "alpha": make_skt(nama_ormas="Alpha Karya Mandiri", singkatan="AKM", tanggal_akta=datetime.date(2020, 1, 10)),
        "bravo": make_skt(nama_ormas="Bravo Peduli Sesama", singkatan="", tanggal_akta=datetime.date(2021, 6, 1)),
        "charlie": make_skt(nama_ormas="Charlie Pemuda Bugul", singkatan="CPB", tanggal_akta=None),
        "delta": make_skt(nama_ormas="Delta Wanita Pasuruan", singkatan="DWP", tanggal_akta=datetime.date(2023, 3, 3)),
        "echo": make_skt(nama_ormas="Echo Karya Bakti", singkatan="", tanggal_akta=datetime.date(2024, 12, 31)),
    }
    docs["delta"] = advance_skt(docs["delta"], "Survei Lokasi")
    return docs


@pytest.mark.engine
def test_list_returns_names_by_default(client, ormas):
    api_login(client)
    response = client.get(RES)
    assert response.status_code == 200
    rows = response.json()["data"]
    assert {r["name"] for r in rows} >= {d.name for d in ormas.values()}
    assert all(set(r) == {"name"} for r in rows)


@pytest.mark.engine
def test_list_fields(client, ormas):
    api_login(client)
    rows = listing(
        client, fields=["name", "nama_ormas", "workflow_state", "owner"], filters=[["singkatan", "=", "AKM"]]
    )
    assert rows.json()["data"] == [
        {
            "name": ormas["alpha"].name,
            "nama_ormas": "Alpha Karya Mandiri",
            "workflow_state": "Menunggu Verifikasi",
            "owner": "pelayanan_kbk",
        }
    ]
    star = listing(client, fields=["*"], filters=[["name", "=", ormas["alpha"].name]]).json()["data"]
    assert len(star) == 1
    assert star[0]["doctype"] == DOCTYPE
    assert star[0]["nama_ormas"] == "Alpha Karya Mandiri"
    assert star[0]["tanggal_akta"] == "2020-01-10"
    assert star[0]["ketua_nik"] == "3575010101010001"
    assert star[0]["docstatus"] == 0


@pytest.mark.engine
def test_filter_forms(client, ormas):
    api_login(client)
    expected = [ormas["bravo"].name]
    assert names(listing(client, filters=[["nama_ormas", "=", "Bravo Peduli Sesama"]])) == expected
    assert names(listing(client, filters=[[DOCTYPE, "nama_ormas", "=", "Bravo Peduli Sesama"]])) == expected
    assert names(listing(client, filters={"nama_ormas": "Bravo Peduli Sesama"})) == expected
    assert names(listing(client, filters=[["nama_ormas", "Bravo Peduli Sesama"]])) == expected
    assert names(listing(client, filters={"nama_ormas": ["like", "%bravo%"]})) == expected
    assert names(listing(client, filters=[["workflow_state", "=", "Survei Lokasi"]])) == [ormas["delta"].name]


@pytest.mark.engine
def test_filter_for_another_doctype_is_refused(client, ormas):
    api_login(client)
    response = listing(client, filters=[["Surat Masuk", "nama_ormas", "=", "x"]])
    assert_error(response, 417, "ValidationError")


@pytest.mark.engine
def test_or_filters(client, ormas):
    api_login(client)
    response = listing(
        client,
        or_filters=[["nama_ormas", "=", "Alpha Karya Mandiri"], ["singkatan", "=", "DWP"]],
        order_by="nama_ormas asc",
    )
    assert names(response) == [ormas["alpha"].name, ormas["delta"].name]
    # combined with filters: AND of the filters and OR of the or_filters
    response = listing(
        client,
        filters=[["workflow_state", "=", "Menunggu Verifikasi"]],
        or_filters={"nama_ormas": "Alpha Karya Mandiri", "singkatan": "DWP"},
    )
    assert names(response) == [ormas["alpha"].name]


@pytest.mark.engine
@pytest.mark.parametrize(
    "flt, expected",
    [
        (["nama_ormas", "!=", "Alpha Karya Mandiri"], {"bravo", "charlie", "delta", "echo"}),
        (["tanggal_akta", "<", "2021-06-01"], {"alpha"}),
        (["tanggal_akta", "<=", "2021-06-01"], {"alpha", "bravo"}),
        (["tanggal_akta", ">", "2023-03-03"], {"echo"}),
        (["tanggal_akta", ">=", "2023-03-03"], {"delta", "echo"}),
        (["nama_ormas", "like", "%karya%"], {"alpha", "echo"}),
        (["nama_ormas", "like", "Alpha%"], {"alpha"}),
        (["nama_ormas", "like", "%Bakti"], {"echo"}),
        (["nama_ormas", "like", "%Pe_uli%"], {"bravo"}),
        (["nama_ormas", "not like", "%karya%"], {"bravo", "charlie", "delta"}),
        (["singkatan", "in", ["AKM", "CPB"]], {"alpha", "charlie"}),
        (["singkatan", "in", "AKM, DWP"], {"alpha", "delta"}),
        (["singkatan", "not in", ["AKM", "CPB"]], {"bravo", "delta", "echo"}),
        (["singkatan", "is", "set"], {"alpha", "charlie", "delta"}),
        (["singkatan", "is", "not set"], {"bravo", "echo"}),
        (["singkatan", "is set", None], {"alpha", "charlie", "delta"}),
        (["tanggal_akta", "is not set", None], {"charlie"}),
        (["tanggal_akta", "is", "set"], {"alpha", "bravo", "delta", "echo"}),
        (["tanggal_akta", "between", ["2021-01-01", "2023-12-31"]], {"bravo", "delta"}),
        (["tanggal_akta", "!=", "2020-01-10"], {"bravo", "charlie", "delta", "echo"}),
        (["workflow_state", "!=", "Menunggu Verifikasi"], {"delta"}),
        (["docstatus", "=", 0], {"alpha", "bravo", "charlie", "delta", "echo"}),
        (["owner", "=", "pelayanan_kbk"], {"alpha", "bravo", "charlie", "delta", "echo"}),
    ],
)
def test_filter_operators(client, ormas, flt, expected):
    api_login(client)
    response = listing(client, filters=[flt], limit_page_length=0)
    assert set(names(response)) == {ormas[k].name for k in expected}


@pytest.mark.engine
def test_between_on_datetime_includes_the_whole_end_day(client, ormas):
    """As Frappe: ``creation between [d1, d2]`` with dates covers all of d2."""
    api_login(client)
    today = timezone.localdate().isoformat()
    response = listing(client, filters=[["creation", "between", [today, today]]], limit_page_length=0)
    assert set(names(response)) >= {d.name for d in ormas.values()}
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = listing(client, filters=[["creation", "between", [yesterday, yesterday]]], limit_page_length=0)
    assert not set(names(response)) & {d.name for d in ormas.values()}


@pytest.mark.engine
def test_order_by_and_paging(client, ormas):
    api_login(client)
    everything = [["name", "in", [d.name for d in ormas.values()]]]
    asc = names(listing(client, filters=everything, order_by="nama_ormas asc"))
    assert asc == [ormas[k].name for k in ("alpha", "bravo", "charlie", "delta", "echo")]
    desc = names(listing(client, filters=everything, order_by="nama_ormas desc"))
    assert desc == list(reversed(asc))
    # Frappe writes `tabX`.field
    assert names(listing(client, filters=everything, order_by="`tabPermohonan SKT`.nama_ormas asc")) == asc
    assert names(listing(client, filters=everything, order_by="nama_ormas asc", limit_page_length="2")) == asc[:2]
    page2 = listing(client, filters=everything, order_by="nama_ormas asc", limit_start="2", limit_page_length="2")
    assert names(page2) == asc[2:4]
    assert names(listing(client, filters=everything, order_by="nama_ormas asc", limit="3")) == asc[:3]
    assert names(listing(client, filters=everything, order_by="nama_ormas asc", limit_start="4")) == asc[4:]
    assert names(listing(client, filters=everything, order_by="`tabPermohonan SKT`.`nama_ormas` desc")) == desc
    assert names(listing(client, filters=everything, order_by="workflow_state desc, nama_ormas asc")) == [
        ormas[k].name for k in ("delta", "alpha", "bravo", "charlie", "echo")
    ]
    # default: last modified first (delta moved on last)
    assert names(listing(client, filters=everything)) == [
        ormas[k].name for k in ("delta", "echo", "charlie", "bravo", "alpha")
    ]


@pytest.mark.engine
def test_datetime_comparisons(client, ormas):
    api_login(client)
    all_names = {d.name for d in ormas.values()}
    response = listing(client, filters=[["creation", ">", "2000-01-01 00:00:00"]], limit_page_length=0)
    assert set(names(response)) >= all_names
    response = listing(client, filters=[["modified", "<", "2000-01-01"]], limit_page_length=0)
    assert names(response) == []


@pytest.mark.engine
def test_default_page_length_is_twenty(client):
    for i in range(22):
        make_skt(nama_ormas=f"Ormas Nomor {i:02d}")
    api_login(client)
    assert len(names(client.get(RES))) == 20
    assert len(names(listing(client, limit_page_length="0"))) >= 22


@pytest.mark.engine
def test_list_via_post_body(client, ormas):
    api_login(client)
    response = client.post(
        "/api/method/frappe.client.get_list",
        json.dumps({"doctype": DOCTYPE, "filters": {"singkatan": "CPB"}, "fields": ["name", "nama_ormas"]}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"message": [{"name": ormas["charlie"].name, "nama_ormas": "Charlie Pemuda Bugul"}]}


# --- detail, create, update, delete ---------------------------------------------------------


def test_get_document(client):
    doc = make_skt(nama_ormas="Forum Detail")
    api_login(client)
    response = client.get(detail_url(doc))
    assert response.status_code == 200
    data = response.json()["data"]
    assert data["doctype"] == DOCTYPE
    assert data["name"] == doc.name
    assert data["workflow_state"] == "Menunggu Verifikasi"
    assert data["docstatus"] == 0
    assert data["owner"] == "pelayanan_kbk"
    assert data["modified_by"] == "pelayanan_kbk"
    assert data["nama_ormas"] == "Forum Detail"
    assert data["ketua_nik"] == "3575010101010001"
    assert data["ada_npwp"] is True
    assert "id" not in data and "created_by" not in data


def test_get_unknown_document_is_404(client):
    api_login(client)
    assert_error(client.get(f"{RES}/TIDAK-ADA-123"), 404, "DoesNotExistError")


def test_create_with_json_fields(client):
    api_login(client)
    before = PermohonanSKT.objects.count()
    payload = skt_data(nama_ormas="Ormas Lewat API", tanggal_akta="2022-02-02")
    response = client.post(RES, json.dumps(payload), content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["doctype"] == DOCTYPE
    assert data["workflow_state"] == "Menunggu Verifikasi"
    assert data["owner"] == "pelayanan_kbk"
    assert data["tanggal_akta"] == "2022-02-02"
    assert PermohonanSKT.objects.count() == before + 1
    doc = PermohonanSKT.objects.get(name=data["name"])
    assert doc.unit.kode == "BID_KBK"
    assert doc.nama_ormas == "Ormas Lewat API"
    assert doc.tanggal_akta == datetime.date(2022, 2, 2)
    assert doc.created_by.username == "pelayanan_kbk"


def test_create_with_frappe_client_data_field(client):
    """frappeclient.insert posts form field ``data`` holding the document as JSON,
    with doctype and a new document's empty engine fields."""
    api_login(client)
    payload = {"doctype": DOCTYPE, "__islocal": 1, "docstatus": 0, "name": "", **skt_data(nama_ormas="Ormas Frappe")}
    response = client.post(RES, {"data": json.dumps(payload)})
    assert response.status_code == 200, response.content
    doc = PermohonanSKT.objects.get(name=response.json()["data"]["name"])
    assert doc.nama_ormas == "Ormas Frappe"
    assert doc.workflow_state == "Menunggu Verifikasi" and doc.docstatus == 0
    assert doc.unit.kode == "BID_KBK"


def test_create_with_engine_fields_is_refused(client):
    """Engine fields are the engine's: sent with a value, the document is refused, naming them."""
    api_login(client)
    before = snapshot()
    payload = {"doctype": DOCTYPE, **skt_data(nama_ormas="Ormas Frappe Client")}
    payload.update({"workflow_state": "SKT Terbit", "docstatus": 1, "name": "PALSU-1", "number": "999"})
    message = assert_error(client.post(RES, {"data": json.dumps(payload)}), 417, "ValidationError")
    for field in ("workflow_state", "docstatus", "name", "number"):
        assert field in message
    assert "tidak dapat diisi" in message
    assert snapshot() == before


def test_create_by_token(client):
    headers = token_header("pelayanan_kbk")
    response = client.post(
        RES, json.dumps(skt_data(nama_ormas="Ormas Token")), content_type="application/json", **headers
    )
    assert response.status_code == 200, response.content
    assert PermohonanSKT.objects.get(name=response.json()["data"]["name"]).nama_ormas == "Ormas Token"


def test_update_with_json(client):
    doc = make_skt(nama_ormas="Sebelum Diubah")
    api_login(client)
    response = client.put(
        detail_url(doc),
        json.dumps({"nama_ormas": "Sesudah Diubah", "telepon": "0343-123"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["nama_ormas"] == "Sesudah Diubah"
    doc.refresh_from_db()
    assert doc.nama_ormas == "Sesudah Diubah"
    assert doc.telepon == "0343-123"
    assert doc.workflow_state == "Menunggu Verifikasi"


def test_update_with_frappe_client_form_data(client):
    """frappeclient.update sends PUT with form field ``data`` = JSON document."""
    doc = make_skt(nama_ormas="Sebelum Form")
    api_login(client)
    body = {"doctype": DOCTYPE, "name": doc.name, "workflow_state": doc.workflow_state, "nama_ormas": "Sesudah Form"}
    response = client.put(
        detail_url(doc),
        f"data={json.dumps(body)}".replace("&", "%26"),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.content
    doc.refresh_from_db()
    assert doc.nama_ormas == "Sesudah Form"


@pytest.mark.engine
def test_update_with_stale_state_is_409(client):
    doc = make_skt(nama_ormas="Tetap")
    api_login(client)
    response = client.put(
        detail_url(doc),
        json.dumps({"nama_ormas": "Berubah", "workflow_state": "Survei Lokasi"}),
        content_type="application/json",
    )
    assert_error(response, 409, "TimestampMismatchError")
    doc.refresh_from_db()
    assert doc.nama_ormas == "Tetap"


def test_update_refused_in_state_without_edit_right(client):
    doc = advance_skt(make_skt(nama_ormas="Sudah Terbit"), "SKT Terbit")
    api_login(client)
    response = client.put(detail_url(doc), json.dumps({"nama_ormas": "Diubah"}), content_type="application/json")
    assert_error(response, 403, "PermissionError")
    doc.refresh_from_db()
    assert doc.nama_ormas == "Sudah Terbit"


def test_update_non_editable_field_is_refused(client):
    doc = make_skt()
    api_login(client)
    response = client.put(
        detail_url(doc), json.dumps({"masa_berlaku_sampai": "2030-01-01"}), content_type="application/json"
    )
    assert_error(response, 417)
    doc.refresh_from_db()
    assert doc.masa_berlaku_sampai is None


def grant_delete(username="pelayanan_kbk"):
    """No role may delete SKT applications; the API honours a per-user grant."""
    u = user(username)
    u.user_permissions.add(Permission.objects.get(codename="delete_permohonanskt"))


def test_delete_needs_the_delete_permission(client):
    doc = make_skt()
    api_login(client)
    assert_error(client.delete(detail_url(doc)), 403, "PermissionError")
    assert PermohonanSKT.objects.filter(pk=doc.pk).exists()


def test_delete_fresh_draft(client):
    doc = make_skt()
    grant_delete()
    api_login(client)
    response = client.delete(detail_url(doc))
    assert response.status_code == 200, response.content
    assert response.json() == {"message": "ok"}
    assert not PermohonanSKT.objects.filter(pk=doc.pk).exists()


def test_delete_processed_document_is_refused(client):
    doc = advance_skt(make_skt(), "Survei Lokasi")
    grant_delete()
    api_login(client)
    message = assert_error(client.delete(detail_url(doc)), 403, "PermissionError")
    assert "draf" in message
    assert PermohonanSKT.objects.filter(pk=doc.pk).exists()


def test_delete_by_other_unit_is_404(client):
    doc = make_skt()
    grant_delete("pelayanan_iwk")
    api_login(client, "pelayanan_iwk")
    assert_error(client.delete(detail_url(doc)), 404, "DoesNotExistError")
    assert PermohonanSKT.objects.filter(pk=doc.pk).exists()


def test_method_not_allowed(client):
    doc = make_skt()
    api_login(client)
    assert_error(client.post(detail_url(doc), {}), 405)
    assert_error(client.delete(RES), 405)


# --- frappe.client ---------------------------------------------------------------------


@pytest.mark.engine
def test_client_get_count_list_get(client, ormas):
    api_login(client)
    total = PermohonanSKT.objects.filter(unit__kode="BID_KBK").count()
    response = client.get("/api/method/frappe.client.get_count", {"doctype": DOCTYPE})
    assert response.json() == {"message": total}
    response = client.get(
        "/api/method/frappe.client.get_count",
        {"doctype": DOCTYPE, "filters": json.dumps([["nama_ormas", "like", "%karya%"]])},
    )
    assert response.json() == {"message": 2}
    response = client.get(
        "/api/method/frappe.client.get_count", {"doctype": DOCTYPE, "filters": json.dumps({"singkatan": "DWP"})}
    )
    assert response.json() == {"message": 1}

    response = client.get(
        "/api/method/frappe.client.get_list",
        {
            "doctype": DOCTYPE,
            "fields": json.dumps(["name", "singkatan"]),
            "filters": json.dumps([["singkatan", "in", ["AKM", "CPB"]]]),
            "order_by": "singkatan desc",
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "message": [
            {"name": ormas["charlie"].name, "singkatan": "CPB"},
            {"name": ormas["alpha"].name, "singkatan": "AKM"},
        ]
    }

    response = client.get("/api/method/frappe.client.get", {"doctype": DOCTYPE, "name": ormas["bravo"].name})
    assert response.status_code == 200
    message = response.json()["message"]
    assert message["name"] == ormas["bravo"].name
    assert message["nama_ormas"] == "Bravo Peduli Sesama"
    assert message["doctype"] == DOCTYPE


def test_client_get_unknown_name(client):
    api_login(client)
    assert_error(client.get("/api/method/frappe.client.get", {"doctype": DOCTYPE, "name": "X"}), 404)
    assert_error(client.get("/api/method/frappe.client.get", {"doctype": DOCTYPE}), 404)


# --- workflow -----------------------------------------------------------------------------


def test_get_transitions(client):
    doc = make_skt()
    api_login(client)
    response = client.get("/api/method/frappe.model.workflow.get_transitions", {"doc": doc_param(doc)})
    assert response.status_code == 200
    transitions = response.json()["message"]
    by_action = {t["action"]: t for t in transitions}
    assert set(by_action) == {"Berkas Lengkap", "Kembalikan ke Pemohon"}
    assert by_action["Berkas Lengkap"]["next_state"] == "Survei Lokasi"
    assert by_action["Berkas Lengkap"]["state"] == "Menunggu Verifikasi"
    assert by_action["Berkas Lengkap"]["allowed"] == "Petugas Pelayanan"
    assert by_action["Kembalikan ke Pemohon"]["require_comment"] == 1
    assert by_action["Kembalikan ke Pemohon"]["next_state"] == "Dikembalikan ke Pemohon"


def test_get_transitions_condition_not_met_hides_action(client):
    doc = make_skt(ada_npwp=False)
    api_login(client)
    response = client.get("/api/method/frappe.model.workflow.get_transitions", {"doc": doc_param(doc)})
    assert [t["action"] for t in response.json()["message"]] == ["Kembalikan ke Pemohon"]


def test_get_transitions_empty_for_other_role(client):
    doc = make_skt()
    api_login(client, "staf_kbk")
    response = client.get("/api/method/frappe.model.workflow.get_transitions", {"doc": doc_param(doc)})
    assert response.status_code == 200
    assert response.json() == {"message": []}


def test_get_transitions_bad_doc_param(client):
    doc = make_skt()
    api_login(client)
    url = "/api/method/frappe.model.workflow.get_transitions"
    assert_error(client.get(url, {"doc": "{bukan json"}), 417)
    assert_error(client.get(url, {"doc": json.dumps({"doctype": DOCTYPE})}), 417)
    assert_error(client.get(url), 417)
    assert_error(client.get(url, {"doc": json.dumps({"doctype": "Tidak Ada", "name": doc.name})}), 404)


def test_apply_workflow(client):
    doc = make_skt()
    api_login(client)
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"},
    )
    assert response.status_code == 200, response.content
    message = response.json()["message"]
    assert message["workflow_state"] == "Survei Lokasi"
    assert message["name"] == doc.name
    assert state_of(doc) == "Survei Lokasi"


def test_apply_workflow_json_body(client):
    doc = make_skt()
    api_login(client)
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json.dumps(
            {
                "doc": {"doctype": DOCTYPE, "name": doc.name, "workflow_state": doc.workflow_state},
                "action": "Berkas Lengkap",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"


def test_apply_workflow_wrong_role_is_403(client):
    doc = make_skt()
    staf = api_client("staf_kbk")
    response = staf.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"},
    )
    assert_error(response, 403, "PermissionError")
    assert state_of(doc) == "Menunggu Verifikasi"
    # the same request by the right role passes
    api_login(client)
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"},
    )
    assert response.status_code == 200
    assert state_of(doc) == "Survei Lokasi"


def test_apply_workflow_other_unit_is_404(client):
    doc = make_skt()
    api_login(client, "pelayanan_iwk")
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"},
    )
    assert_error(response, 404, "DoesNotExistError")
    assert state_of(doc) == "Menunggu Verifikasi"


@pytest.mark.engine
def test_apply_workflow_stale_state_is_409(client):
    doc = make_skt()
    api_login(client)
    url = "/api/method/frappe.model.workflow.apply_workflow"
    response = client.post(url, {"doc": doc_param(doc, workflow_state="Survei Lokasi"), "action": "Berkas Lengkap"})
    message = assert_error(response, 409)
    assert "Muat ulang" in message
    assert state_of(doc) == "Menunggu Verifikasi"
    response = client.post(
        url, {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"}
    )
    assert response.status_code == 200
    assert state_of(doc) == "Survei Lokasi"


def test_apply_workflow_comment_required(client):
    doc = make_skt()
    api_login(client)
    url = "/api/method/frappe.model.workflow.apply_workflow"
    data = {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Kembalikan ke Pemohon"}
    message = assert_error(client.post(url, data), 417, "MandatoryError")
    assert "alasan" in message
    assert state_of(doc) == "Menunggu Verifikasi"
    assert_error(client.post(url, {**data, "comment": "   "}), 417, "MandatoryError")
    assert state_of(doc) == "Menunggu Verifikasi"
    response = client.post(url, {**data, "comment": "Akta pendirian belum dilegalisir."})
    assert response.status_code == 200, response.content
    assert response.json()["message"]["workflow_state"] == "Dikembalikan ke Pemohon"
    assert state_of(doc) == "Dikembalikan ke Pemohon"


def test_apply_workflow_unknown_action_and_missing_action(client):
    doc = make_skt()
    api_login(client)
    url = "/api/method/frappe.model.workflow.apply_workflow"
    assert_error(client.post(url, {"doc": doc_param(doc), "action": "Terbang"}), 417)
    assert_error(client.post(url, {"doc": doc_param(doc)}), 417)
    assert_error(client.post(url, {"doc": doc_param(doc), "action": "Setujui"}), 417)
    assert state_of(doc) == "Menunggu Verifikasi"


def test_apply_workflow_condition_not_met(client):
    doc = make_skt(ada_npwp=False)
    api_login(client)
    response = client.post(
        "/api/method/frappe.model.workflow.apply_workflow", {"doc": doc_param(doc), "action": "Berkas Lengkap"}
    )
    assert_error(response, 417)
    assert state_of(doc) == "Menunggu Verifikasi"


def test_apply_workflow_with_uploaded_attachment(client):
    doc = fill_survey_doc()
    api_login(client)
    url = "/api/method/frappe.model.workflow.apply_workflow"
    data = {"doc": doc_param(doc, workflow_state="Survei Lokasi"), "action": "Laporkan Hasil Survei"}
    assert_error(client.post(url, data), 417, "MandatoryError")
    assert state_of(doc) == "Survei Lokasi"
    upload = client.post(
        "/api/method/upload_file",
        {"file": pdf_file("ba.pdf"), "doctype": DOCTYPE, "docname": doc.name},
    )
    file_id = upload.json()["message"]["name"]
    # someone else's upload cannot be passed off as one's own
    other = File.objects.create(
        file="x.pdf", file_name="x.pdf", content_type="application/pdf", file_size=1, content_hash="0",
        uploaded_by=user("kaban"),
    )  # fmt: skip
    assert_error(client.post(url, {**data, "attachments": json.dumps([other.pk])}), 417)
    assert_error(client.post(url, {**data, "attachments": "bukan daftar"}), 417)
    assert state_of(doc) == "Survei Lokasi"
    response = client.post(url, {**data, "attachments": json.dumps([file_id])})
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Menunggu Persetujuan"


def fill_survey_doc():
    return fill_survey(advance_skt(make_skt(), "Survei Lokasi"))


def pdf_file(name, content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- files ------------------------------------------------------------------------------


def test_upload_real_pdf(client):
    doc = make_skt()
    api_login(client)
    before = File.objects.count()
    response = client.post(
        "/api/method/upload_file", {"file": pdf_file("akta.pdf"), "doctype": DOCTYPE, "docname": doc.name}
    )
    assert response.status_code == 200, response.content
    message = response.json()["message"]
    assert message["file_url"] == f"/files/{message['name']}/"
    assert message["file_name"] == "akta.pdf"
    assert message["attached_to_doctype"] == DOCTYPE
    assert message["attached_to_name"] == doc.name
    assert message["file_size"] == len(PDF_BYTES)
    assert File.objects.count() == before + 1
    record = File.objects.get(pk=int(message["name"]))
    assert record.content_type == "application/pdf"
    assert record.uploaded_by.username == "pelayanan_kbk"
    # Frappe's own path works as well
    response = client.post("/api/method/frappe.handler.upload_file", {"file": pdf_file("lain.pdf")})
    assert response.status_code == 200
    assert File.objects.count() == before + 2


def test_upload_text_renamed_pdf_is_refused(client):
    doc = make_skt()
    api_login(client)
    before = File.objects.count()
    fake = pdf_file("akta.pdf", b"ini hanya teks biasa, bukan PDF\n")
    response = client.post("/api/method/upload_file", {"file": fake, "doctype": DOCTYPE, "docname": doc.name})
    message = assert_error(response, 417)
    assert "bukan PDF" in message
    assert File.objects.count() == before


def test_upload_refusals(client):
    doc = make_skt()
    before = File.objects.count()
    assert_error(client.post("/api/method/upload_file", {"file": pdf_file("a.pdf")}), 401)
    api_login(client)
    assert_error(client.post("/api/method/upload_file", {"doctype": DOCTYPE, "docname": doc.name}), 417)
    assert_error(client.post("/api/method/upload_file", {"file": pdf_file("kosong.pdf", b"")}), 417)
    response = client.post(
        "/api/method/upload_file", {"file": pdf_file("a.pdf"), "doctype": "Tidak Ada", "docname": "x"}
    )
    assert_error(response, 404)
    assert File.objects.count() == before
    iwk = api_client("pelayanan_iwk")
    response = iwk.post("/api/method/upload_file", {"file": pdf_file("a.pdf"), "doctype": DOCTYPE, "docname": doc.name})
    assert_error(response, 404, "DoesNotExistError")
    assert File.objects.count() == before


# --- print ----------------------------------------------------------------------------


PDF_URL = "/api/method/frappe.utils.print_format.download_pdf"


def test_download_pdf_issued(client):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Cetak Terbit"), "SKT Terbit")
    assert doc.number
    api_login(client)
    response = client.get(PDF_URL, {"doctype": DOCTYPE, "name": doc.name, "format": "Surat Keterangan Terdaftar"})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert doc.number in text
    assert "Paguyuban Cetak Terbit" in text


def test_download_pdf_draft_and_unknown_format(client):
    doc = make_skt(nama_ormas="Paguyuban Draf")
    api_login(client)
    response = client.get(PDF_URL, {"doctype": DOCTYPE, "name": doc.name, "format": "Surat Keterangan Terdaftar"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    response = client.get(PDF_URL, {"doctype": DOCTYPE, "name": doc.name, "format": "Format Tidak Ada"})
    assert_error(response, 404, "DoesNotExistError")


# --- visibility --------------------------------------------------------------------------


@pytest.mark.engine
def test_other_unit_sees_nothing_of_bid_kbk(client, ormas):
    kbk_names = {d.name for d in ormas.values()}
    issued = advance_skt(make_skt(nama_ormas="Terbit Rahasia"), "SKT Terbit")
    kbk_names.add(issued.name)

    iwk = api_client("pelayanan_iwk")
    assert not set(names(listing(iwk, limit_page_length="0"))) & kbk_names
    assert names(listing(iwk, filters=[["name", "in", sorted(kbk_names)]])) == []
    assert_error(iwk.get(f"{RES}/{issued.name}"), 404, "DoesNotExistError")
    assert_error(iwk.get("/api/method/frappe.client.get", {"doctype": DOCTYPE, "name": issued.name}), 404)
    count = iwk.get(
        "/api/method/frappe.client.get_count",
        {"doctype": DOCTYPE, "filters": json.dumps([["name", "in", sorted(kbk_names)]])},
    )
    assert count.json() == {"message": 0}
    response = iwk.get(PDF_URL, {"doctype": DOCTYPE, "name": issued.name, "format": "Surat Keterangan Terdaftar"})
    assert_error(response, 404, "DoesNotExistError")
    response = iwk.get("/api/method/frappe.model.workflow.get_transitions", {"doc": doc_param(issued)})
    assert_error(response, 404)

    for username in ("kaban", "pelayanan_kbk"):
        other = api_client(username)
        assert set(names(listing(other, filters=[["name", "in", sorted(kbk_names)]]))) == kbk_names
        assert other.get(f"{RES}/{issued.name}").status_code == 200
        count = other.get(
            "/api/method/frappe.client.get_count",
            {"doctype": DOCTYPE, "filters": json.dumps([["name", "in", sorted(kbk_names)]])},
        )
        assert count.json() == {"message": len(kbk_names)}
        response = other.get(PDF_URL, {"doctype": DOCTYPE, "name": issued.name, "format": "Surat Keterangan Terdaftar"})
        assert response.status_code == 200


def test_other_unit_cannot_update(client):
    doc = make_skt(nama_ormas="Milik KBK")
    iwk = api_client("pelayanan_iwk")
    response = iwk.put(detail_url(doc), json.dumps({"nama_ormas": "Dibajak"}), content_type="application/json")
    assert_error(response, 404)
    doc.refresh_from_db()
    assert doc.nama_ormas == "Milik KBK"


# --- bad input ----------------------------------------------------------------------------


def snapshot():
    return (
        PermohonanSKT.objects.count(),
        sorted(PermohonanSKT.objects.values_list("name", "workflow_state", "nama_ormas", "modified_at")),
        File.objects.count(),
    )


def test_unknown_doctype(client):
    api_login(client)
    before = snapshot()
    message = assert_error(client.get("/api/resource/Tidak%20Ada"), 404, "DoesNotExistError")
    assert "Tidak Ada" in message
    assert_error(client.post("/api/resource/Tidak%20Ada", json.dumps({"x": 1}), content_type="application/json"), 404)
    assert_error(client.get("/api/method/frappe.client.get_count", {"doctype": "Tidak Ada"}), 404)
    assert_error(client.get("/api/method/frappe.client.get_list", {"doctype": "Tidak Ada"}), 404)
    assert snapshot() == before


@pytest.mark.engine
@pytest.mark.parametrize(
    "params, needle",
    [
        ({"filters": '[["nama_ormas", "="'}, "JSON"),
        ({"or_filters": "{bukan json"}, "JSON"),
        ({"fields": "nama_ormas"}, "JSON"),
        ({"fields": json.dumps(["tidak_ada"])}, "tidak_ada"),
        ({"fields": json.dumps("name")}, "fields"),
        ({"filters": json.dumps([["tidak_ada", "=", "x"]])}, "tidak_ada"),
        ({"filters": json.dumps({"tidak_ada": "x"})}, "tidak_ada"),
        ({"filters": json.dumps([["history", "=", "x"]])}, "history"),
        ({"filters": json.dumps([["unit__nama", "=", "x"]])}, "unit__nama"),
        ({"filters": json.dumps([["created_by__password", "like", "%"]])}, "created_by__password"),
        ({"filters": json.dumps([["nama_ormas", "~", "x"]])}, "~"),
        ({"filters": json.dumps([["nama_ormas", "regexp", ".*"]])}, "regexp"),
        ({"filters": json.dumps([["nama_ormas", 5, "x"]])}, "Operator"),
        ({"filters": json.dumps([["tanggal_akta", "=", "bukan tanggal"]])}, "bukan tanggal"),
        ({"filters": json.dumps([["tanggal_akta", ">", "2024-13-45"]])}, "tanggal_akta"),
        ({"filters": json.dumps([["tanggal_akta", "between", ["2024-01-01"]]])}, "between"),
        ({"filters": json.dumps([["tanggal_akta", "between", ["2024-01-01", "kemarin"]]])}, "kemarin"),
        ({"filters": json.dumps([["tanggal_akta", "in", ["2024-01-01", "x"]]])}, "tanggal_akta"),
        ({"filters": json.dumps([["singkatan", "in", 5]])}, "daftar"),
        ({"filters": json.dumps([["singkatan", "is", "maybe"]])}, "set"),
        ({"filters": json.dumps([["docstatus", "=", "satu"]])}, "docstatus"),
        ({"filters": json.dumps([["nama_ormas", "=", "x", "y", "z"]])}, "Filter"),
        ({"filters": json.dumps(["nama_ormas"])}, "Filter"),
        ({"filters": json.dumps(5)}, "filters"),
        ({"order_by": "name; drop table docflow_file"}, "order_by"),
        ({"order_by": "name;"}, "name;"),
        ({"order_by": "nama_ormas sideways"}, "order_by"),
        ({"order_by": "tidak_ada asc"}, "tidak_ada"),
        ({"order_by": "(select 1)"}, "select"),
        ({"order_by": "`tabSurat Masuk`.name asc"}, "order_by"),
        ({"order_by": "`tabPermohonan SKT`.name asc; delete"}, "order_by"),
        ({"order_by": "nama_ormas -- x"}, "order_by"),
        ({"limit_page_length": "-1"}, "negatif"),
        ({"limit_start": "-5"}, "negatif"),
        ({"limit": "-1"}, "negatif"),
        ({"limit_page_length": "dua puluh"}, "bilangan bulat"),
    ],
)
def test_bad_list_queries_are_refused(client, ormas, params, needle):
    api_login(client)
    before = snapshot()
    message = assert_error(client.get(RES, params), 417, "ValidationError")
    assert needle.lower() in message.lower()
    assert_error(client.get("/api/method/frappe.client.get_list", {"doctype": DOCTYPE, **params}), 417)
    assert snapshot() == before


@pytest.mark.engine
def test_bad_count_filters_are_refused(client, ormas):
    api_login(client)
    url = "/api/method/frappe.client.get_count"
    assert_error(client.get(url, {"doctype": DOCTYPE, "filters": "[["}), 417)
    assert_error(client.get(url, {"doctype": DOCTYPE, "filters": json.dumps([["tidak_ada", "=", 1]])}), 417)
    assert_error(client.get(url, {"doctype": DOCTYPE, "filters": json.dumps([["tanggal_akta", "<", "x"]])}), 417)
    ok = client.get(url, {"doctype": DOCTYPE, "filters": json.dumps([["tanggal_akta", "<", "2021-01-01"]])})
    assert ok.json() == {"message": 1}


@pytest.mark.engine
def test_the_good_version_of_each_refused_query_passes(client, ormas):
    """So the refusals above are about the bad part, not the request's shape."""
    api_login(client)
    good = [
        {"filters": json.dumps([["nama_ormas", "=", "Alpha Karya Mandiri"]])},
        {"fields": json.dumps(["nama_ormas"])},
        {"filters": json.dumps([["tanggal_akta", "=", "2020-01-10"]])},
        {"filters": json.dumps([["tanggal_akta", "between", ["2020-01-01", "2020-12-31"]]])},
        {"order_by": "name desc"},
        {"limit_page_length": "1"},
        {"limit_start": "0"},
    ]
    for params in good:
        response = client.get(RES, params)
        assert response.status_code == 200, (params, response.content)
        assert response.json()["data"]


def post_skt(client, **overrides):
    return client.post(RES, json.dumps(skt_data(**overrides)), content_type="application/json")


@pytest.mark.parametrize(
    "payload, needle",
    [
        ({"kolom_palsu": "x"}, "kolom_palsu"),
        ({"tanggal_akta": "not a date"}, "tanggal_akta"),
        ({"tanggal_akta": "2024-02-30"}, "tanggal_akta"),
        ({"ketua_nik": "123"}, "NIK"),
        ({"ketua_nik": "35750101010100AB"}, "NIK"),
        ({"email": "bukan-surel"}, "email"),
        ({"npwp": "abc"}, "NPWP"),
        ({"nama_ormas": ""}, "nama_ormas"),
        ({"nama_ormas": None}, "nama_ormas"),
        ({"nama_ormas": ["daftar"]}, "nama_ormas"),
        ({"ada_npwp": "mungkin"}, "ada_npwp"),
        ({"nama_ormas": "x" * 300}, "nama_ormas"),
        ({"masa_berlaku_sampai": "2030-01-01"}, "masa_berlaku_sampai"),
        ({"unit__nama": "x"}, "unit__nama"),
    ],
)
def test_bad_create_is_refused(client, payload, needle):
    api_login(client)
    before = snapshot()
    response = post_skt(client, **payload)
    message = assert_error(response, 417)
    assert needle.lower() in message.lower()
    assert snapshot() == before


def test_good_create_passes_where_bad_ones_fail(client):
    api_login(client)
    before = PermohonanSKT.objects.count()
    response = post_skt(
        client, tanggal_akta="2024-02-29", ketua_nik="3575010101010002", email="a@b.id", npwp="01.234.567.8-901.000"
    )
    assert response.status_code == 200, response.content
    assert PermohonanSKT.objects.count() == before + 1


def test_bad_create_bodies(client):
    api_login(client)
    before = snapshot()
    assert_error(client.post(RES, "{bukan json", content_type="application/json"), 417)
    assert_error(client.post(RES, "[1]", content_type="application/json"), 417)
    assert_error(client.post(RES, {"data": "{bukan json"}), 417)
    assert_error(client.post(RES, {"data": "[1, 2]"}), 417)
    assert snapshot() == before


def test_bad_update_changes_nothing(client):
    doc = make_skt(nama_ormas="Tidak Berubah")
    api_login(client)
    before = snapshot()
    for payload in (
        {"ketua_nik": "123"},
        {"tanggal_akta": "not a date"},
        {"kolom_palsu": 1},
        {"nama_ormas": "Baru", "ketua_nik": "1"},
    ):
        response = client.put(detail_url(doc), json.dumps(payload), content_type="application/json")
        assert_error(response, 417)
    assert snapshot() == before
    doc.refresh_from_db()
    assert doc.nama_ormas == "Tidak Berubah" and doc.ketua_nik == "3575010101010001"


def test_role_without_add_permission_cannot_create(client):
    api_login(client, "staf_kbk")
    before = snapshot()
    assert_error(post_skt(client, nama_ormas="Oleh Staf"), 403, "PermissionError")
    assert snapshot() == before
    assert post_skt(api_client("pelayanan_kbk"), nama_ormas="Oleh Petugas").status_code == 200


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", RES),
        ("get", f"{RES}/X"),
        ("post", RES),
        ("put", f"{RES}/X"),
        ("delete", f"{RES}/X"),
        ("get", "/api/method/frappe.client.get_list?doctype=Permohonan%20SKT"),
        ("get", "/api/method/frappe.client.get_count?doctype=Permohonan%20SKT"),
        ("get", "/api/method/frappe.client.get?doctype=Permohonan%20SKT&name=X"),
        ("get", "/api/method/frappe.model.workflow.get_transitions"),
        ("post", "/api/method/frappe.model.workflow.apply_workflow"),
        ("get", PDF_URL + "?doctype=Permohonan%20SKT&name=X"),
        ("post", "/api/method/upload_file"),
    ],
)
def test_unauthenticated_is_401(client, method, url):
    doc = make_skt()
    before = snapshot()
    url = url.replace("/X", f"/{doc.name}").replace("name=X", f"name={doc.name}")
    kwargs = (
        {"data": json.dumps({"nama_ormas": "Anonim"}), "content_type": "application/json"}
        if method in ("post", "put")
        else {}
    )
    message = assert_error(getattr(client, method)(url, **kwargs), 401, "AuthenticationError")
    assert "masuk" in message.lower()
    assert snapshot() == before


def test_unknown_method_is_404(client):
    message = assert_error(client.get("/api/method/foo"), 404, "DoesNotExistError")
    assert "foo" in message
    assert_error(client.post("/api/method/frappe.client.delete", {"doctype": DOCTYPE, "name": "x"}), 404)
    api_login(client)
    assert_error(client.get("/api/method/foo"), 404, "DoesNotExistError")


# --- CSRF -------------------------------------------------------------------------------


def apply_berkas_lengkap(c, doc, **extra):
    return c.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        {"doc": doc_param(doc, workflow_state="Menunggu Verifikasi"), "action": "Berkas Lengkap"},
        **extra,
    )


def test_desk_session_needs_csrf_token():
    doc = make_skt()
    desk = Client(enforce_csrf_checks=True)
    desk.force_login(user("pelayanan_kbk"))
    assert_error(apply_berkas_lengkap(desk, doc), 403, "CSRFTokenError")
    assert state_of(doc) == "Menunggu Verifikasi"
    # reads need none
    assert desk.get(detail_url(doc)).status_code == 200
    # a wrong token is refused as well
    desk.cookies["csrftoken"] = "a" * 32
    assert_error(apply_berkas_lengkap(desk, doc, HTTP_X_FRAPPE_CSRF_TOKEN="b" * 32), 403, "CSRFTokenError")
    assert_error(desk.put(detail_url(doc), json.dumps({"nama_ormas": "CSRF"}), content_type="application/json"), 403)
    assert_error(desk.delete(detail_url(doc)), 403)
    assert state_of(doc) == "Menunggu Verifikasi"
    assert PermohonanSKT.objects.get(pk=doc.pk).nama_ormas != "CSRF"
    # with the token (Frappe's header) the same request passes
    response = apply_berkas_lengkap(desk, doc, HTTP_X_FRAPPE_CSRF_TOKEN="a" * 32)
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"


def test_desk_session_with_django_csrf_header():
    doc = make_skt()
    desk = Client(enforce_csrf_checks=True)
    desk.force_login(user("pelayanan_kbk"))
    desk.cookies["csrftoken"] = "c" * 32
    response = apply_berkas_lengkap(desk, doc, HTTP_X_CSRFTOKEN="c" * 32)
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"


def test_api_login_session_needs_no_csrf():
    doc = make_skt()
    c = Client(enforce_csrf_checks=True)
    response = c.post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": PASSWORD})
    assert response.status_code == 200
    response = apply_berkas_lengkap(c, doc)
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"


def test_token_auth_needs_no_csrf():
    doc = make_skt()
    c = Client(enforce_csrf_checks=True)
    response = apply_berkas_lengkap(c, doc, **token_header("pelayanan_kbk"))
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"


def test_desk_session_with_token_header_uses_the_token():
    """A desk cookie plus a valid token: the token decides, no CSRF needed."""
    doc = make_skt()
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("staf_kbk"))
    response = apply_berkas_lengkap(c, doc, **token_header("pelayanan_kbk"))
    assert response.status_code == 200, response.content
    assert state_of(doc) == "Survei Lokasi"
