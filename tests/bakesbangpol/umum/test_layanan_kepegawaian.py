"""P1.3.1 Layanan Kepegawaian: every member of staff (role Pegawai, DocPerm
if_owner) applies for themselves and sees only their own applications, in the
desk list and in the API; the Sub Bagian Umum dan Kepegawaian, owning every
application jointly with the applicant's unit, sees and verifies them all."""

import pytest
from django.urls import reverse

from apps.docflow import registry
from apps.docflow.exceptions import ConditionNotMet
from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import additional_units, apply_action, document_create
from apps.organisasi.models import Unit
from tests.conftest import pdf_upload, user

DOCTYPE = "Layanan Kepegawaian"


def apply_for_leave(username, nama):
    who = user(username)
    info = registry.get(DOCTYPE)
    doc = document_create(
        model=info.model,
        user=who,
        data={
            "jenis": "Cuti",
            "nama_pegawai": nama,
            "nip": "199105062019032012",
            "pangkat_golongan": "Penata Muda (III/a)",
            "jenis_cuti": "Cuti Tahunan",
            "tanggal_mulai_cuti": "2026-12-21",
            "tanggal_selesai_cuti": "2026-12-23",
            "alasan_cuti": "Keperluan keluarga.",
            "berkas_permohonan_cuti": file_create(uploaded=pdf_upload("cuti.pdf"), user=who),
        },
    )
    return apply_action(doc=doc, action="Ajukan Usulan", user=who).doc


def desk_list(client, username, model):
    client.force_login(user(username))
    response = client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    assert response.status_code == 200, (username, response.status_code)
    return {o.name for o in response.context["cl"].result_list}


def api_list(client, username):
    client.force_login(user(username))
    response = client.get(f"/api/resource/{DOCTYPE}", {"limit_page_length": 100})
    assert response.status_code == 200, (username, response.content)
    return {row["name"] for row in response.json()["data"]}


def test_a_pegawai_sees_only_their_own_applications(client):
    model = registry.get(DOCTYPE).model
    # both work in the Bidang IWK: unit rules alone would show each the other's application
    mine = apply_for_leave("staf_iwk", "Rina Wulandari, S.Sos.")
    theirs = apply_for_leave("ppwk1", "Sri Mulyani, S.Pd.")

    assert desk_list(client, "staf_iwk", model) == {mine.name}
    assert desk_list(client, "ppwk1", model) == {theirs.name}
    assert api_list(client, "staf_iwk") == {mine.name}
    assert api_list(client, "ppwk1") == {theirs.name}

    client.force_login(user("staf_iwk"))
    assert client.get(f"/api/resource/{DOCTYPE}/{theirs.name}").status_code == 404
    assert client.get(f"/api/resource/{DOCTYPE}/{mine.name}").status_code == 200

    # the Sub Bagian Umum dan Kepegawaian owns both jointly and sees both
    umpeg = Unit.objects.get(kode="SUBBAG_UMPEG").pk
    assert umpeg in additional_units(mine) and umpeg in additional_units(theirs)
    assert {mine.name, theirs.name} <= desk_list(client, "kasubag_umpeg", model)
    assert {mine.name, theirs.name} <= api_list(client, "kasubag_umpeg")


def test_a_pegawai_cannot_act_on_a_colleagues_application():
    theirs = apply_for_leave("ppwk1", "Sri Mulyani, S.Pd.")
    theirs = apply_action(
        doc=theirs, action="Kembalikan untuk Dilengkapi", user=user("kasubag_umpeg"), comment="Lengkapi alamat."
    ).doc
    with pytest.raises(ConditionNotMet):
        apply_action(doc=theirs, action="Ajukan Kembali", user=user("staf_iwk"))
    assert apply_action(doc=theirs, action="Ajukan Kembali", user=user("ppwk1")).doc.workflow_state == (
        "Verifikasi Sub Bagian"
    )
