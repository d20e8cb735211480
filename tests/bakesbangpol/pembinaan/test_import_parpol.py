"""Election results imported through the desk (django-import-export):
previewed with per-row errors, confirmed, and nothing changes when a row is
invalid."""

import re
from decimal import Decimal

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.bakesbangpol.pembinaan.admin import ParpolResource
from apps.bakesbangpol.pembinaan.models import Parpol
from apps.bakesbangpol.pembinaan.services import banpol_hitung

from .helpers import TAHUN, parpol

IMPORT_URL = "/app/pembinaan/parpol/import/"
PROCESS_URL = "/app/pembinaan/parpol/process_import/"
HEADER = "nama,singkatan,tahun_pemilu,jumlah_suara,jumlah_kursi,ketua,nama_bank,nomor_rekening\n"
VALID = (
    HEADER + "Partai Kebangkitan Bangsa,PKB,2024,32000,8,H. Ketua PKB,Bank Jatim,0011000000\n"
    "Partai Buruh,BURUH,2024,1500,0,,,\n"
)


def snapshot():
    return sorted(Parpol.objects.values_list("singkatan", "nama", "jumlah_suara", "jumlah_kursi", "ketua"))


def csv_index(client):
    page = client.get(IMPORT_URL)
    assert page.status_code == 200
    select = re.search(r'<select name="format".*?</select>', page.content.decode(), re.S).group(0)
    options = dict(
        (label.strip(), value) for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)<', select)
    )
    return options["csv"]


def upload(client, content):
    return client.post(
        IMPORT_URL,
        {
            "resource": "0",
            "format": csv_index(client),
            "import_file": SimpleUploadedFile("hasil-pemilu.csv", content.encode(), content_type="text/csv"),
        },
    )


def hidden_fields(html):
    form = re.search(r'<form[^>]*action="[^"]*process_import/?"[^>]*>.*?</form>', html, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def test_valid_file_creates_and_updates_parties(login_as):
    parpol()
    before = Parpol.objects.count()
    client = login_as("admin")
    preview = upload(client, VALID)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "BURUH" in html
    assert Parpol.objects.count() == before  # a preview changes nothing
    assert Parpol.objects.get(singkatan="PKB").jumlah_suara == 31250

    fields = hidden_fields(html)
    assert {"import_file_name", "original_file_name", "format"} <= set(fields)
    done = client.post(PROCESS_URL, fields)
    assert done.status_code == 302, done.content.decode()[:2000]

    assert Parpol.objects.count() == before + 1
    pkb = Parpol.objects.get(singkatan="PKB")
    assert (pkb.jumlah_suara, pkb.jumlah_kursi, pkb.ketua) == (32000, 8, "H. Ketua PKB")
    buruh = Parpol.objects.get(singkatan="BURUH")
    assert (buruh.nama, buruh.jumlah_suara, buruh.jumlah_kursi) == ("Partai Buruh", 1500, 0)
    # the new result feeds the Banpol amount
    assert banpol_hitung(pkb, TAHUN)["jumlah_bantuan"] == Decimal("155520000.00")
    assert pkb.history.count() == 2  # created by the demo, changed by the import


def preview_text(response):
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def invalid_file(value):
    return HEADER + f"Partai Kebangkitan Bangsa,PKB,2024,32000,8,,,\nPartai Buruh,BURUH,2024,{value},0,,,\n"


def test_negative_vote_count_is_a_row_error_and_nothing_changes(login_as):
    parpol()
    before = snapshot()
    preview = upload(login_as("admin"), invalid_file("-5"))
    assert preview.status_code == 200
    assert "process_import" not in preview.content.decode()  # no confirmation is offered
    text = preview_text(preview)
    assert "Nilai -5 harus bilangan bulat tidak negatif." in text
    assert "2 Partai Buruh BURUH 2024 -5" in text
    assert snapshot() == before


def test_non_numeric_vote_count_is_a_row_error_and_nothing_changes(login_as):
    parpol()
    before = snapshot()
    preview = upload(login_as("admin"), invalid_file("banyak"))
    assert preview.status_code == 200
    assert "process_import" not in preview.content.decode()
    assert "Nilai banyak bukan bilangan bulat." in preview_text(preview)
    assert snapshot() == before


def test_mixed_file_changes_nothing(login_as):
    parpol()
    before = snapshot()
    content = (
        HEADER + "Partai Kebangkitan Bangsa,PKB,2024,32000,8,,,\n"
        "Partai Buruh,BURUH,2024,-5,0,,,\n"
        "Partai Ummat,UMMAT,2024,banyak,0,,,\n"
    )
    preview = upload(login_as("admin"), content)
    assert preview.status_code == 200
    assert "process_import" not in preview.content.decode()
    assert snapshot() == before


def test_non_numeric_vote_count_is_explained(login_as):
    parpol()
    text = preview_text(upload(login_as("admin"), invalid_file("banyak")))
    assert "ConversionSyntax" not in text
    assert "jumlah_suara" in text.split("Kirim", 1)[1]  # after the form's button ("Submit" in the desk's Indonesian)


def test_fractional_vote_count_is_refused(login_as):
    parpol()
    before = snapshot()
    preview = upload(login_as("admin"), invalid_file("12.5"))
    assert "process_import" not in preview.content.decode()
    assert snapshot() == before


def test_resource_reports_row_errors_and_imports_a_valid_dataset():
    parpol()
    before = snapshot()
    headers = ["nama", "singkatan", "tahun_pemilu", "jumlah_suara", "jumlah_kursi"]
    bad = tablib.Dataset(
        ["Partai Buruh", "BURUH", "2024", "-5", "0"],
        ["Partai Ummat", "UMMAT", "2024", "banyak", "0"],
        ["Partai Kebangkitan Bangsa", "PKB", "2024", "32000", "8"],
        headers=headers,
    )
    result = ParpolResource().import_data(bad, dry_run=True)
    assert result.has_validation_errors() or result.has_errors()
    invalid_rows = {row.number for row in result.invalid_rows}
    error_rows = {number for number, _errors in result.row_errors()}
    assert {1, 2} <= invalid_rows | error_rows
    assert 3 not in invalid_rows | error_rows
    assert snapshot() == before

    good = tablib.Dataset(
        ["Partai Buruh", "BURUH", "2024", "1500", "0"],
        ["Partai Kebangkitan Bangsa", "PKB", "2024", "32000", "8"],
        headers=headers,
    )
    result = ParpolResource().import_data(good, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 1 and result.totals["update"] == 1
    assert Parpol.objects.get(singkatan="BURUH").jumlah_suara == 1500
    assert Parpol.objects.get(singkatan="PKB").jumlah_kursi == 8
