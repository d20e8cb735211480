"""Banpol through the API obeys the desk's rules (one write path): no
disbursement of an application that is not budgeted, no amount from the
client, no party swap that keeps the old party's seats, no unit moves."""

import datetime
import json
from decimal import Decimal

from django.test import Client

from apps.bakesbangpol.pembinaan.models import HibahOrmas, Parpol, PencairanBanpol, PermohonanBanpol
from apps.docflow.exceptions import ConditionNotMet
from apps.docflow.services.apikeys import api_key_generate
from tests.conftest import user

from .helpers import (
    TAHUN,
    ajukan,
    ajukan_pencairan,
    anggarkan,
    apply,
    bukti,
    ke_tapd,
    parpol,
    proposal_ormas,
    refused,
)

PERMOHONAN = "/api/resource/Permohonan%20Banpol"
PENCAIRAN = "/api/resource/Pencairan%20Banpol"


def api(username="staf_poldagri"):
    key, secret = api_key_generate(user=user(username))
    return Client(HTTP_AUTHORIZATION=f"token {key.api_key}:{secret}")


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def put(client, url, payload):
    return client.put(url, json.dumps(payload), content_type="application/json")


def refusal(response, *needles, status=417):
    assert response.status_code == status, (response.status_code, response.content)
    message = response.json()["message"]
    for needle in needles:
        assert needle in message, message
    return message


def pencairan_payload(permohonan, **extra):
    return {
        "permohonan": permohonan.pk,
        "nomor_surat_permohonan": f"02/DPC/{TAHUN}",
        "tanggal_surat_permohonan": f"{TAHUN}-02-01",
        **extra,
    }


def snapshot():
    return (
        sorted(PermohonanBanpol.objects.values_list("name", "parpol_id", "jumlah_kursi", "jumlah_bantuan", "unit_id")),
        sorted(PencairanBanpol.objects.values_list("name", "jumlah", "jumlah_transfer", "workflow_state", "unit_id")),
    )


def test_disbursement_of_an_application_not_yet_budgeted_is_refused():
    permohonan = ajukan("PKB")
    before = snapshot()
    response = post(api(), PENCAIRAN, pencairan_payload(permohonan))
    refusal(response, "belum dianggarkan", "Diajukan")
    assert snapshot() == before


def test_client_amount_is_refused_and_the_server_computes_it():
    permohonan = anggarkan(ajukan("PKB"))
    client = api()
    before = snapshot()
    response = post(client, PENCAIRAN, pencairan_payload(permohonan, jumlah=999_999_999_999))
    refusal(response, "jumlah", "tidak dapat diisi")
    assert snapshot() == before
    response = post(client, PENCAIRAN, pencairan_payload(permohonan))
    assert response.status_code == 200, response.content
    doc = PencairanBanpol.objects.get(name=response.json()["data"]["name"])
    assert doc.jumlah == permohonan.jumlah_bantuan == Decimal("151875000.00")
    assert (doc.parpol_id, doc.tahun_anggaran) == (permohonan.parpol_id, permohonan.tahun_anggaran)


def test_application_for_a_party_without_seats_is_refused():
    parpol()
    before = snapshot()
    payload = {
        "parpol": Parpol.objects.get(singkatan="PERINDO").pk,
        "tahun_anggaran": TAHUN,
        "nomor_surat_permohonan": "01/DPD-PERINDO",
        "tanggal_surat_permohonan": f"{TAHUN}-01-05",
    }
    refusal(post(api(), PERMOHONAN, payload), "tidak memperoleh kursi DPRD")
    refusal(post(api(), PERMOHONAN, {**payload, "jumlah_kursi": 9, "jumlah_bantuan": 10**9}), "jumlah_kursi")
    assert snapshot() == before


def _menunggu_transfer():
    doc = ajukan_pencairan(anggarkan(ajukan("PKB")))
    doc = apply(doc, "Teruskan ke Tim Verifikasi", "staf_poldagri", attachments=[bukti()]).doc
    doc = apply(doc, "Permohonan Lengkap", "timver2").doc
    assert doc.workflow_state == "Menunggu Transfer"
    return doc


def test_treasurer_cannot_raise_the_approved_amount():
    doc = _menunggu_transfer()
    url = f"{PENCAIRAN}/{doc.name}"
    client = api("bendahara")
    before = snapshot()
    big = 500_000_000_000
    refusal(put(client, url, {"jumlah": big, "jumlah_transfer": big}), "jumlah", "Menunggu Transfer")
    refusal(put(client, url, {"jumlah_transfer": big}), "melebihi")
    assert snapshot() == before
    transfer = {"tanggal_transfer": f"{TAHUN}-03-10", "referensi_transfer": "SP2D-0042"}
    assert put(client, url, {**transfer, "jumlah_transfer": float(doc.jumlah)}).status_code == 200
    doc.refresh_from_db()
    assert doc.jumlah_transfer == doc.jumlah == Decimal("151875000.00")


def test_catat_transfer_needs_the_approved_amount():
    doc = _menunggu_transfer()
    response = put(
        api("bendahara"),
        f"{PENCAIRAN}/{doc.name}",
        {"tanggal_transfer": f"{TAHUN}-03-10", "referensi_transfer": "SP2D-1", "jumlah_transfer": 1000},
    )
    assert response.status_code == 200, response.content
    refused(doc, "Catat Transfer", "bendahara", ConditionNotMet, attachments=[bukti("bendahara")])


def test_swapping_the_party_recomputes_seats_and_amount():
    doc = ajukan("PKB")
    assert (doc.jumlah_kursi, doc.jumlah_bantuan) == (7, Decimal("151875000.00"))
    client = api()
    url = f"{PERMOHONAN}/{doc.name}"
    before = snapshot()
    refusal(put(client, url, {"parpol": Parpol.objects.get(singkatan="PERINDO").pk}), "tidak memperoleh kursi")
    assert snapshot() == before
    response = put(client, url, {"parpol": Parpol.objects.get(singkatan="PPP").pk})
    assert response.status_code == 200, response.content
    doc.refresh_from_db()
    assert (doc.parpol.singkatan, doc.jumlah_kursi, doc.jumlah_suara) == ("PPP", 1, 5390)
    assert doc.jumlah_bantuan == Decimal("5390") * doc.nilai_per_suara


def test_party_is_fixed_once_the_team_verifies():
    doc = ke_tapd(ajukan("PKB"))
    assert doc.workflow_state == "Verifikasi Berkas TAPD"  # Staf Bidang edits again here
    before = snapshot()
    url = f"{PERMOHONAN}/{doc.name}"
    refusal(put(api(), url, {"parpol": Parpol.objects.get(singkatan="PPP").pk}), "parpol", "Verifikasi Berkas TAPD")
    assert snapshot() == before
    assert put(api(), url, {"rekomendasi_tapd": "Direkomendasikan."}).status_code == 200


def test_unit_cannot_be_chosen_or_moved():
    doc = ajukan("PKB")
    other = doc.unit.__class__.objects.exclude(pk=doc.unit_id).first().pk
    client = api()
    before = snapshot()
    for key in ("unit", "unit_id"):
        refusal(put(client, f"{PERMOHONAN}/{doc.name}", {key: other}), key)
    payload = {
        "parpol": Parpol.objects.get(singkatan="PDI-P").pk,
        "tahun_anggaran": TAHUN,
        "nomor_surat_permohonan": "x",
        "tanggal_surat_permohonan": str(datetime.date(TAHUN, 1, 2)),
    }
    for key in ("unit", "unit_id", "parpol_id"):
        refusal(post(client, PERMOHONAN, {**payload, key: other}), key, "tidak dapat diisi")
    assert snapshot() == before


def test_finance_cannot_raise_the_mayors_hibah_ceiling():
    """Hibah Ormas: the pagu is written when the Wali Kota decides; at the transfer (Bagian Keuangan) it is read-only."""
    doc = proposal_ormas()
    HibahOrmas.objects.filter(pk=doc.pk).update(
        workflow_state="Pencairan oleh Bagian Keuangan", docstatus=1, pagu_disetujui=Decimal("20000000")
    )
    url = f"/api/resource/Hibah%20Ormas/{doc.name}"
    assert put(api("bendahara"), url, {"jumlah_transfer": 20_000_000}).status_code == 403  # not the Bagian Keuangan
    client = api("keuangan")
    refusal(put(client, url, {"pagu_disetujui": 10**12, "jumlah_transfer": 10**12}), "pagu_disetujui")
    doc.refresh_from_db()
    assert (doc.pagu_disetujui, doc.jumlah_transfer) == (Decimal("20000000"), None)
    assert put(client, url, {"jumlah_transfer": 20_000_000}).status_code == 200
