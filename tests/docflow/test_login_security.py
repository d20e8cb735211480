"""Login protection (django-axes) on the desk and the API: per account and
per account+address, counted in a store all workers share, with the client's
address from the trusted proxy header, and every success and failure in an
audit log the administrator reads in the desk."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory, override_settings

from apps.docflow.security import client_ip
from tests.conftest import user

PASSWORD = "demo12345"
DESK_LOGIN = "/app/login/"


def desk_login(client, username, password=PASSWORD):
    return client.post(DESK_LOGIN, {"username": username, "password": password, "next": "/app/"})


def logged_in_as(client):
    response = client.get("/api/method/frappe.auth.get_logged_user")
    return response.json()["message"] if response.status_code == 200 else None


def fail_ten_times(client, username="kaban"):
    for _ in range(10):
        response = desk_login(client, username, "salah-sandi")
        assert response.status_code in (200, 429)
    return response


DATABASE_HANDLER = override_settings(AXES_HANDLER="axes.handlers.database.AxesDatabaseHandler")


@DATABASE_HANDLER  # (with CACHE_URL set the counts are in the cache: see the cache handler test)
def test_desk_locks_an_account_after_ten_wrong_passwords(client):
    response = fail_ten_times(client)
    assert response.status_code == 429
    response = desk_login(client, "kaban", PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "dikunci sementara" in text and "15 menit" in text
    assert logged_in_as(client) is None
    # the count is in the database, shared by every worker
    assert AccessAttempt.objects.filter(username="kaban", failures_since_start__gte=10).exists()


def test_locked_account_does_not_lock_other_accounts_from_the_same_address(client):
    fail_ten_times(client, "kaban")
    other = Client()  # same address (127.0.0.1), another account
    response = desk_login(other, "pelayanan_kbk")
    assert response.status_code == 302 and response["Location"] == "/app/"
    assert logged_in_as(other) == "pelayanan_kbk"
    response = other.post("/api/method/login", {"usr": "sekretaris", "pwd": PASSWORD})
    assert response.status_code == 200


def test_lock_holds_from_another_address_and_on_the_api(client):
    fail_ten_times(client, "kaban")
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert desk_login(elsewhere, "kaban").status_code == 429
    response = elsewhere.post("/api/method/login", {"usr": "kaban", "pwd": PASSWORD})
    assert response.status_code == 429
    body = response.json()
    assert body["exc_type"] == "TooManyRequestsError" and "dikunci" in body["message"]


def test_desk_and_api_failures_add_up(client):
    for _ in range(5):
        desk_login(client, "kaban", "salah")
    for _ in range(5):
        client.post("/api/method/login", {"usr": "kaban", "pwd": "salah"})
    assert client.post("/api/method/login", {"usr": "kaban", "pwd": PASSWORD}).status_code == 429


def test_success_resets_the_count(client):
    for _ in range(9):
        desk_login(client, "kaban", "salah")
    assert desk_login(client, "kaban").status_code == 302
    Client().post("/app/logout/")
    for _ in range(9):
        desk_login(Client(), "kaban", "salah")
    assert desk_login(Client(), "kaban").status_code == 302


@override_settings(TRUSTED_PROXY_IP_HEADER="HTTP_X_REAL_IP")
def test_client_address_comes_from_the_trusted_proxy_header():
    behind_proxy = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")
    desk_login(behind_proxy, "kaban", "salah")
    assert list(AccessFailureLog.objects.values_list("username", "ip_address")) == [("kaban", "203.0.113.5")]
    factory = RequestFactory()
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"
    # X-Forwarded-For: the right-most address (the one our proxy added), never a spoofed left part
    forwarded = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="1.2.3.4, 203.0.113.9")
    assert client_ip(forwarded) == "203.0.113.9"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="bukan-ip")) == "127.0.0.1"
    assert client_ip(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_without_a_trusted_header_the_forwarded_header_is_ignored():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_REAL_IP="203.0.113.5")
    assert client_ip(request) == "192.0.2.1"


@override_settings(
    AXES_HANDLER="apps.docflow.security.AuditedCacheHandler",
    CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "axes-uji"}},
)
def test_cache_handler_locks_and_still_writes_the_audit_log(client):
    fail_ten_times(client, "kaban")
    assert not AccessAttempt.objects.exists()  # counted in the cache
    assert desk_login(client, "kaban").status_code == 429
    assert desk_login(Client(), "pelayanan_kbk").status_code == 302
    assert AccessFailureLog.objects.filter(username="kaban").count() == 11
    assert AccessLog.objects.filter(username="pelayanan_kbk").exists()


def test_audit_log_records_successes_and_failures(client):
    desk_login(client, "kaban", "salah")
    client.post("/api/method/login", {"usr": "kaban", "pwd": "salah"})
    desk_login(client, "kaban")
    Client().post("/api/method/login", {"usr": "pelayanan_kbk", "pwd": PASSWORD})
    failures = AccessFailureLog.objects.filter(username="kaban")
    assert sorted(failures.values_list("path_info", flat=True)) == ["/api/method/login", DESK_LOGIN]
    assert set(AccessLog.objects.values_list("username", "path_info")) == {
        ("kaban", DESK_LOGIN),
        ("pelayanan_kbk", "/api/method/login"),
    }


@DATABASE_HANDLER
@pytest.mark.parametrize("model", ["accesslog", "accessfailurelog", "accessattempt"])
def test_audit_log_is_read_only_for_the_administrator_only(client, login_as, model):
    desk_login(client, "kaban", "salah")
    desk_login(client, "pelayanan_kbk")
    url = f"/app/axes/{model}/"
    administrator = user("kasubag_umpeg")
    administrator.groups.add(Group.objects.get(name="Administrator Sistem"))
    page = login_as("kasubag_umpeg").get(url)
    assert page.status_code == 200
    assert "kaban" in page.content.decode() or model == "accesslog"
    assert login_as("kasubag_umpeg").get(f"{url}add/").status_code == 403
    entry = {"accesslog": AccessLog, "accessfailurelog": AccessFailureLog, "accessattempt": AccessAttempt}[model]
    obj = entry.objects.first()
    assert login_as("kasubag_umpeg").get(f"{url}{obj.pk}/delete/").status_code == 403
    assert login_as("kasubag_umpeg").get(f"{url}{obj.pk}/change/").status_code == 200  # view only
    assert login_as("admin").get(url).status_code == 200
    for other in ("kaban", "pelayanan_kbk"):
        assert login_as(other).get(url).status_code in (302, 403)


@override_settings(TRUSTED_PROXY_IP_HEADER="HTTP_X_REAL_IP", PORTAL_RATE_VERIFY="2/m")
def test_portal_rate_limits_key_on_the_address_from_the_proxy_header():
    first = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.1")
    assert [first.get("/verifikasi/tidak-ada").status_code for _ in range(3)] == [404, 404, 429]
    second = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.2")  # same proxy, another client
    assert second.get("/verifikasi/tidak-ada").status_code == 404
