"""Registers per budget year: Banpol per party (seats, votes, amount,
disbursed, LPJ status) and hibah per recipient, on the desk and in Excel."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from apps.bakesbangpol.monev.models import MonevBanpol
from apps.bakesbangpol.pembinaan.services import banpol_register
from tests.conftest import user

from .helpers import TAHUN, ajukan, dicairkan, parpol, proposal_kewaspadaan, proposal_ormas, terima_lpj


def row_of(rows, singkatan):
    return next(r for r in rows if r["parpol"].singkatan == singkatan)


def test_banpol_register_follows_the_lpj(django_capture_on_commit_callbacks):
    parpol()
    rows = banpol_register(TAHUN - 1, user=user("kabid_poldagri"))
    assert len(rows) == 10
    assert row_of(rows, "PKB") == {
        "parpol": parpol("PKB"),
        "kursi": 7,
        "suara": 31250,
        "jumlah": Decimal("0"),
        "status_permohonan": "-",
        "dicairkan": Decimal("0"),
        "lpj": "-",
    }
    pencairan = dicairkan("PKB", TAHUN - 1, django_capture_on_commit_callbacks)
    ajukan("PDI-P", TAHUN - 1)
    rows = banpol_register(TAHUN - 1, user=user("kabid_poldagri"))
    pkb = row_of(rows, "PKB")
    assert (pkb["kursi"], pkb["suara"], pkb["status_permohonan"]) == (7, 31250, "Dianggarkan")
    assert pkb["jumlah"] == Decimal("151875000.00") and isinstance(pkb["jumlah"], Decimal)
    assert pkb["dicairkan"] == Decimal("151875000.00") and isinstance(pkb["dicairkan"], Decimal)
    assert pkb["lpj"] == "Belum diterima"
    pdip = row_of(rows, "PDI-P")
    assert (pdip["jumlah"], pdip["status_permohonan"], pdip["dicairkan"], pdip["lpj"]) == (
        Decimal("109252800.00"),
        "Diajukan",
        Decimal("0"),
        "-",
    )
    perindo = row_of(rows, "PERINDO")
    assert (perindo["kursi"], perindo["jumlah"]) == (0, Decimal("0"))
    # another year is untouched
    assert row_of(banpol_register(TAHUN, user=user("kabid_poldagri")), "PKB")["status_permohonan"] == "-"

    terima_lpj(MonevBanpol.objects.get(pencairan=pencairan))
    assert row_of(banpol_register(TAHUN - 1, user=user("kabid_poldagri")), "PKB")["lpj"] == "Diterima"


def sheet_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_banpol_register_page_and_excel(login_as, django_capture_on_commit_callbacks):
    dicairkan("PKB", TAHUN - 1, django_capture_on_commit_callbacks)
    client = login_as("kabid_poldagri")
    page = client.get(f"/app/pembinaan/register-banpol/?tahun={TAHUN - 1}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Register Banpol" in html and str(TAHUN - 1) in html
    assert "PKB" in html and "Belum diterima" in html and "Dianggarkan" in html

    rows = sheet_rows(client.get(f"/app/pembinaan/register-banpol/?tahun={TAHUN - 1}&format=xlsx"))
    assert rows[0][0] == f"Register Banpol {TAHUN - 1}"
    header = rows.index(["Partai", "Kursi", "Suara sah", "Jumlah Banpol", "Status permohonan", "Dicairkan", "LPJ"])
    data = {r[0]: r for r in rows[header + 1 :]}
    assert len(data) == 10
    pkb = data["PKB"]
    assert pkb[1:3] == [7, 31250]
    assert Decimal(str(pkb[3])) == Decimal("151875000") and Decimal(str(pkb[5])) == Decimal("151875000")
    assert pkb[4] == "Dianggarkan" and pkb[6] == "Belum diterima"
    assert data["PERINDO"][1:4] == [0, 2870, 0]


def test_register_pages_need_a_login(client):
    response = client.get(f"/app/pembinaan/register-banpol/?tahun={TAHUN}")
    assert response.status_code == 302
    assert client.get("/app/pembinaan/register-hibah/?format=xlsx").status_code == 302


def test_hibah_register_page_and_excel(login_as):
    proposal_ormas(nama_ormas="Forum Pemuda Lintas Iman")
    proposal_kewaspadaan(pemohon="Kodim 0819/Pasuruan")
    proposal_ormas(nama_ormas="Ormas Tahun Lalu", tahun_anggaran=TAHUN - 1)
    client = login_as("kaban")
    page = client.get(f"/app/pembinaan/register-hibah/?tahun={TAHUN}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Forum Pemuda Lintas Iman" in html and "Kodim 0819/Pasuruan" in html
    assert "Ormas Tahun Lalu" not in html

    rows = sheet_rows(client.get(f"/app/pembinaan/register-hibah/?tahun={TAHUN}&format=xlsx"))
    header = rows.index(["Jenis", "Penerima", "Diajukan", "Disetujui", "Dicairkan", "Status"])
    data = {r[1]: r for r in rows[header + 1 :]}
    assert set(data) == {"Forum Pemuda Lintas Iman", "Kodim 0819/Pasuruan"}
    ormas = data["Forum Pemuda Lintas Iman"]
    assert ormas[0] == "Hibah Ormas" and ormas[5] == "Proposal Diterima"
    assert Decimal(str(ormas[2])) == Decimal("25000000") and ormas[3] == 0
    kew = data["Kodim 0819/Pasuruan"]
    assert kew[0] == "Hibah Kewaspadaan" and Decimal(str(kew[2])) == Decimal("150000000")


def test_hibah_register_is_scoped_to_what_the_user_sees(login_as):
    proposal_ormas(nama_ormas="Forum Pemuda Lintas Iman")
    proposal_kewaspadaan(pemohon="Kodim 0819/Pasuruan")
    client = login_as("kabid_kbk")
    rows = sheet_rows(client.get(f"/app/pembinaan/register-hibah/?tahun={TAHUN}&format=xlsx"))
    assert [r[1] for r in rows if r and r[0] in ("Hibah Ormas", "Hibah Kewaspadaan")] == ["Forum Pemuda Lintas Iman"]
    client = login_as("kabid_poldagri")
    page = client.get(f"/app/pembinaan/register-hibah/?tahun={TAHUN}")
    assert page.status_code == 200
    assert "Forum Pemuda Lintas Iman" not in page.content.decode() and "Belum ada data." in page.content.decode()


def test_banpol_register_shows_rupiah_and_opens_on_a_year_with_applications(
    login_as, django_capture_on_commit_callbacks
):
    dicairkan("PKB", TAHUN - 1, django_capture_on_commit_callbacks)
    client = login_as("kabid_poldagri")
    html = client.get("/app/pembinaan/register-banpol/").content.decode()  # no year asked
    assert f"Register Banpol {TAHUN - 1}" in html and "Dianggarkan" in html
    html = client.get(f"/app/pembinaan/register-banpol/?tahun={TAHUN - 1}").content.decode()
    assert "Rp151.875.000" in html
    assert "151875000" not in html
    assert 'data-label="Jumlah Banpol"' in html
    html = client.get(f"/app/pembinaan/register-banpol/?tahun={TAHUN + 5}").content.decode()
    assert "Belum ada permohonan Banpol untuk tahun anggaran" in html
    assert "Rp0" not in html


def test_banpol_form_shows_the_amount_in_rupiah(login_as):
    doc = ajukan("PKB", TAHUN - 1)
    html = login_as("staf_poldagri").get(f"/app/pembinaan/permohonanbanpol/{doc.pk}/change/").content.decode()
    assert "Rp151.875.000" in html
    assert "151875000,00" not in html


def test_banpol_list_shows_amounts_in_rupiah(login_as):
    ajukan("PKB", TAHUN - 1)
    html = login_as("staf_poldagri").get("/app/pembinaan/permohonanbanpol/").content.decode()
    assert "Rp151.875.000" in html and "151875000,00" not in html
