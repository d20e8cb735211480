"""The public conflict report (P6.1), a portal service defined as data
(``konflik/portal/laporan-konflik.json``): reporting without an account,
tracking with the code, and the reporter's identity kept from everybody but
the conflict team, the Kepala Bidang and the Kepala Badan (permission level
1): not on the tracking page, not in the letters, not through the API, the
desk form or the Excel export of other staff."""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.docflow import registry, scenarios
from apps.docflow.models import IssuedDocument
from apps.docflow.services.workflow import apply_action, document_update
from apps.portal.layanan import LAYANAN, layanan_from_json
from apps.portal.models import Pengajuan
from tests.conftest import PDF_BYTES, pdf_text, user

PELAPOR = "Sulastri Wahyuningsih"
KONTAK = "0812-3300-4411"
JUDUL = "Bentrok pemuda di Kelurahan Trajeng"


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def laporan(**overrides):
    data = {
        "judul_kejadian": JUDUL,
        "jenis_konflik": "Konflik antarwarga",
        "tanggal_kejadian": "2026-11-28",
        "lokasi": "Jl. Hasanudin, depan lapangan Trajeng",
        "kelurahan": "Trajeng",
        "kecamatan": "Panggungrejo",
        "uraian_laporan": "Dua kelompok pemuda saling lempar batu selepas pertandingan sepak bola.",
        "pihak_terlibat": "Pemuda RW 03 dan RW 05",
        "nama_pelapor": PELAPOR,
        "kontak_pelapor": KONTAK,
    }
    data.update(overrides)
    return data


def report(client, **overrides):
    payload = laporan(**overrides)
    payload["berkas_bukti"] = SimpleUploadedFile("foto.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post("/ajukan/laporan-konflik/", payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    pengajuan = Pengajuan.objects.latest("pk")
    return pengajuan, registry.get("Penanganan Konflik").model.objects.get(pk=pengajuan.document_id)


def act(doc, action, username, **kwargs):
    return apply_action(doc=doc, action=action, user=user(username), **kwargs).doc


def to_the_wali_kota(doc):
    """The SK in force (from the scenario's requires), then the steps up to the letter to the Wali Kota."""
    spec = next(s for s in scenarios.scenarios() if s["doctype"] == "Penanganan Konflik")
    sk = scenarios.replay_requires(spec)["sk_konflik"]
    doc = document_update(
        doc=doc, user=user("staf_iwk"), data={"sk_penanganan": sk, "koordinasi_awal": "Dibahas bersama Polsek."}
    )
    doc = act(doc, "Tindak Lanjuti Laporan", "konflik1")
    doc = document_update(doc=doc, user=user("konflik1"), data={"hasil_pengamatan": "Dendam lama antarkelompok."})
    doc = act(doc, "Laporkan ke Kepala Badan", "konflik1")
    bukti = scenarios.evidence(user("kaban"))
    return act(doc, "Laporkan ke Wali Kota", "kaban", attachments=[bukti])


def test_json_services_follow_the_python_entries(client):
    slugs = list(LAYANAN)
    assert slugs[:2] == ["skt", "izin-penelitian"]
    assert "laporan-konflik" in slugs
    spec = LAYANAN["laporan-konflik"]
    assert spec.doctype == "Penanganan Konflik" and spec.attachments[0].required is False
    html = client.get("/").content.decode()
    assert "Laporan Konflik Sosial" in html
    assert 'href="/ajukan/laporan-konflik/"' in html
    assert "Undang-Undang Nomor 7 Tahun 2012" in html


def test_a_json_service_is_checked():
    good = {"doctype": "Penanganan Konflik", "title": "X", "fields": ["judul_kejadian"]}
    assert layanan_from_json(good, slug="x").slug == "x"
    with pytest.raises(ValueError, match="unknown keys"):
        layanan_from_json({**good, "judul": "X"}, slug="x")
    with pytest.raises(ValueError, match="differs"):
        layanan_from_json({**good, "slug": "y"}, slug="x")
    with pytest.raises(ValueError, match="missing"):
        layanan_from_json({"title": "X"}, slug="x")


def test_report_without_an_account_and_track_it(client):
    form = client.get("/ajukan/laporan-konflik/").content.decode()
    for name in ("judul_kejadian", "uraian_laporan", "nama_pelapor", "kontak_pelapor", "berkas_bukti"):
        assert f'name="{name}"' in form
    pengajuan, doc = report(client)
    assert doc.workflow_state == "Laporan Masuk"
    assert doc.nama_pelapor == PELAPOR and doc.unit.kode == "BID_IWK"
    page = client.get(f"/lacak/{pengajuan.kode}/").content.decode()
    assert pengajuan.kode in page and "Laporan Masuk" in page and doc.name in page
    for secret in (PELAPOR, "Sulastri", KONTAK):
        assert secret not in page


def test_a_report_without_a_name_is_accepted(client):
    _pengajuan, doc = report(client, nama_pelapor="", kontak_pelapor="")
    assert doc.workflow_state == "Laporan Masuk" and doc.nama_pelapor in ("", None)


def test_letters_stay_internal_and_never_name_the_reporter(client):
    pengajuan, doc = report(client)
    doc = to_the_wali_kota(doc)
    assert doc.workflow_state == "Menunggu Arahan Wali Kota" and doc.number
    issued = IssuedDocument.objects.get(doctype="Penanganan Konflik", document_id=doc.pk)
    text = pdf_text(issued.file.read())
    assert JUDUL in text and doc.number in text
    assert PELAPOR not in text and KONTAK not in text
    page = client.get(f"/lacak/{pengajuan.kode}/").content.decode()
    assert "Menunggu Arahan Wali Kota" in page
    assert doc.number not in page and "/unduh/" not in page
    assert PELAPOR not in page and KONTAK not in page
    assert client.get(f"/lacak/{pengajuan.kode}/unduh/{issued.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("username", "sees"),
    [("konflik1", True), ("kabid_iwk", True), ("kaban", True), ("staf_iwk", False), ("sekretaris", False)],
)
def test_reporter_identity_by_permission_level(client, username, sees):
    _pengajuan, doc = report(client)
    client.force_login(user(username))
    data = client.get(f"/api/resource/Penanganan Konflik/{doc.name}").json()["data"]
    assert data["judul_kejadian"] == JUDUL
    assert ("nama_pelapor" in data and data["nama_pelapor"] == PELAPOR) is sees
    assert ("kontak_pelapor" in data) is sees
    listed = client.get("/api/resource/Penanganan Konflik", {"fields": json.dumps(["name", "nama_pelapor"])}).json()[
        "data"
    ]
    assert (listed[0]["nama_pelapor"] == PELAPOR) is sees
    filtered = client.get("/api/resource/Penanganan Konflik", {"filters": json.dumps([["nama_pelapor", "=", PELAPOR]])})
    assert (filtered.status_code == 200) is sees
    meta = type(doc)._meta
    form = client.get(f"/app/{meta.app_label}/{meta.model_name}/{doc.pk}/change/").content.decode()
    assert JUDUL in form
    assert (PELAPOR in form) is sees
