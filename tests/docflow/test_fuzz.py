"""Bounded fuzzing (hypothesis) of the API and the portal forms: whatever a
client sends, the answer is never a 500. Few examples, no deadline, so it
stays well under a minute."""

import json

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.portal.layanan import LAYANAN
from tests.conftest import make_skt
from tests.docflow.test_api import DOCTYPE, RES, api_login

FUZZ = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = ["name", "owner", "unit", "nama_ormas", "tanggal_akta", "docstatus", "workflow_state", "creation", "x y"]
OPS = ["=", "!=", "<", ">=", "like", "not like", "in", "not in", "between", "is", "set", "?"]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["%a%b_", "2024-01-01", "abc", "", "set", "not set", "1e400", "9223372036854775808"])
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
conditions = st.one_of(
    st.tuples(st.sampled_from(FIELDS), st.sampled_from(OPS), values).map(list),
    st.tuples(st.sampled_from(FIELDS), values).map(list),
    st.tuples(st.just(DOCTYPE), st.sampled_from(FIELDS), st.sampled_from(OPS), values).map(list),
    values,
)
filters = st.one_of(
    st.lists(conditions, max_size=3), st.dictionaries(st.sampled_from(FIELDS), values, max_size=2), values
)


def _encode(value):
    return value if isinstance(value, str) else json.dumps(value)


def _ok(response):
    assert response.status_code < 500, (response.status_code, response.content[:500])


@pytest.fixture
def api(client):
    cache.clear()
    make_skt(nama_ormas="Ormas Fuzz")
    return api_login(client)


@FUZZ
@given(
    flt=filters,
    or_flt=filters,
    fields=st.one_of(st.lists(st.sampled_from([*FIELDS, "*"]), max_size=3), values),
    order_by=st.one_of(
        st.sampled_from(["nama_ormas asc", "`tabPermohonan SKT`.name desc", "x", ""]), st.text(max_size=20)
    ),
    start=st.one_of(st.integers(min_value=-5, max_value=2**70), st.text(max_size=5)),
    length=st.one_of(st.integers(min_value=-5, max_value=2**70), st.text(max_size=5)),
)
def test_fuzz_resource_list(api, flt, or_flt, fields, order_by, start, length):
    params = {
        "filters": _encode(flt),
        "or_filters": _encode(or_flt),
        "fields": _encode(fields),
        "order_by": order_by,
        "limit_start": str(start),
        "limit_page_length": str(length),
    }
    _ok(api.get(RES, params))
    body = {"doctype": DOCTYPE, "filters": flt, "fields": fields, "limit": length, "limit_start": start}
    _ok(
        api.post(
            "/api/method/frappe.client.get_list", json.dumps(body, allow_nan=True), content_type="application/json"
        )
    )
    _ok(
        api.post(
            "/api/method/frappe.client.get_count", json.dumps(body, allow_nan=True), content_type="application/json"
        )
    )


@FUZZ
@given(
    body=st.dictionaries(
        st.sampled_from([*FIELDS, "data", "doctype", "alamat_sekretariat", "ketua_nik"]), values, max_size=4
    ),
    name=values,
)
def test_fuzz_write_and_get(api, body, name):
    doc = make_skt()
    raw = json.dumps(body, allow_nan=True)
    _ok(api.post(RES, raw, content_type="application/json"))
    _ok(api.put(f"{RES}/{doc.name}", raw, content_type="application/json"))
    _ok(
        api.post(
            "/api/method/frappe.client.get",
            json.dumps({"doctype": DOCTYPE, "name": name}, allow_nan=True),
            content_type="application/json",
        )
    )
    _ok(api.get(f"{RES}/{_encode(name)[:50]}"))


@FUZZ
@given(doc=values, action=values, comment=values, attachments=values, usr=values, pwd=values)
def test_fuzz_method_endpoints(api, doc, action, comment, attachments, usr, pwd):
    real = make_skt()
    for doc_param in (doc, {"doctype": DOCTYPE, "name": real.name, "workflow_state": doc}):
        body = {"doc": doc_param, "action": action, "comment": comment, "attachments": attachments}
        raw = json.dumps(body, allow_nan=True)
        _ok(api.post("/api/method/frappe.model.workflow.get_transitions", raw, content_type="application/json"))
        _ok(api.post("/api/method/frappe.model.workflow.apply_workflow", raw, content_type="application/json"))
    _ok(
        api.post(
            "/api/method/frappe.utils.print_format.download_pdf",
            json.dumps({"doctype": doc, "name": action}, allow_nan=True),
            content_type="application/json",
        )
    )
    cache.clear()
    _ok(
        api.post(
            "/api/method/login", json.dumps({"usr": usr, "pwd": pwd}, allow_nan=True), content_type="application/json"
        )
    )


@FUZZ
@given(
    slug=st.sampled_from(sorted(LAYANAN)),
    data=st.dictionaries(st.text(max_size=10), st.text(max_size=40), max_size=3),
    values_=st.lists(st.text(max_size=60), min_size=20, max_size=20),
    kode=st.text(max_size=20),
)
def test_fuzz_portal_forms(client, slug, data, values_, kode):
    cache.clear()
    spec = LAYANAN[slug]
    payload = {name: values_[i % len(values_)] for i, name in enumerate(spec.fields)}
    payload.update(data)
    _ok(client.post(f"/ajukan/{slug}/", payload))
    _ok(client.get("/lacak/", {"kode": kode}))
    _ok(client.get(f"/lacak/{kode.strip('/') or 'X'}/".replace("//", "/")))
    _ok(client.get(f"/verifikasi/{kode.strip('/') or 'X'}"))
