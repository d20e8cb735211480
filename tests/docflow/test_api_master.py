"""Reference data (masters) through the Frappe-style API: read, filter, refuse writes."""

import json


def test_klasifikasi_arsip_is_readable_and_filterable(login_as):
    client = login_as("persuratan")
    data = client.get(
        "/api/resource/Klasifikasi Arsip",
        {"fields": json.dumps(["name", "nama", "retensi_aktif"]), "filters": json.dumps([["kode", "like", "2%"]])},
    ).json()["data"]
    assert [row["name"] for row in data] == ["200", "210", "220", "270"]
    one = client.get("/api/resource/Klasifikasi Arsip/220").json()["data"]
    assert one["nama"] == "Organisasi Kemasyarakatan" and one["induk"] == "200"
    missing = client.get("/api/resource/Klasifikasi Arsip/999")
    assert missing.status_code == 404
    bad = client.get("/api/resource/Klasifikasi Arsip", {"filters": json.dumps([["tidak_ada", "=", 1]])})
    assert bad.status_code == 417 and "tidak dikenal" in bad.json()["message"]
    write = client.post(
        "/api/resource/Klasifikasi Arsip", json.dumps({"kode": "999", "nama": "x"}), content_type="application/json"
    )
    assert write.status_code == 403
    assert client.get("/api/resource/Klasifikasi Arsip/999").status_code == 404
