"""Banpol applications created from the desk go through the services; the
desk answers refusals with a message, never a server error."""

import pytest

from apps.bakesbangpol.pembinaan.models import Parpol, PencairanBanpol, PermohonanBanpol
from apps.bakesbangpol.pembinaan.services import SudahDiajukan
from apps.docflow.exceptions import DocflowError

from .helpers import TAHUN, ajukan, ajukan_pencairan, anggarkan, parpol

ADD_URL = "/app/pembinaan/permohonanbanpol/add/"


def form(singkatan):
    return {
        "parpol": Parpol.objects.get(singkatan=singkatan).pk,
        "tahun_anggaran": TAHUN,
        "nomor_surat_permohonan": f"05/DPC-{singkatan}/{TAHUN}",
        "tanggal_surat_permohonan": f"{TAHUN}-01-02",
    }


def test_admin_creates_an_application_through_the_service(login_as):
    parpol()
    response = login_as("admin").post(ADD_URL, form("PDI-P"))
    assert response.status_code == 302
    doc = PermohonanBanpol.objects.get()
    assert (doc.workflow_state, doc.jumlah_kursi, str(doc.jumlah_bantuan)) == ("Diajukan", 5, "109252800.00")


def test_party_without_a_seat_is_refused_with_a_message(login_as):
    parpol()
    client = login_as("admin")
    response = client.post(ADD_URL, form("PERINDO"), follow=True)
    assert response.status_code == 200
    assert "tidak memperoleh kursi DPRD" in response.content.decode()
    assert not PermohonanBanpol.objects.exists()


def test_staff_of_the_division_may_open_the_add_forms(login_as):
    client = login_as("staf_poldagri")
    assert client.get(ADD_URL).status_code == 200
    assert client.get("/app/pembinaan/pencairanbanpol/add/").status_code == 200


def test_second_application_for_the_same_year_is_refused_with_a_message(login_as, client):
    ajukan("PKB")
    client.raise_request_exception = False
    response = login_as("admin").post(ADD_URL, form("PKB"), follow=True)
    assert response.status_code == 200
    assert "sudah memiliki permohonan Banpol" in response.content.decode()
    assert PermohonanBanpol.objects.count() == 1


def test_second_application_for_the_same_year_is_refused_by_the_service():
    ajukan("PKB")
    with pytest.raises(SudahDiajukan):
        ajukan("PKB")
    assert PermohonanBanpol.objects.count() == 1


def test_an_application_is_disbursed_once():
    permohonan = anggarkan(ajukan("PKB"))
    ajukan_pencairan(permohonan)
    with pytest.raises(DocflowError):
        ajukan_pencairan(permohonan)
    assert PencairanBanpol.objects.count() == 1
