"""P3.1: a payment request's total is the sum of its line items and may not
exceed the remaining ceiling (sisa pagu) of its DPA budget line; the hook
locks the line, so two requests saved at once cannot both pass."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from apps.bakesbangpol.keuangan.models import AnggaranDPA
from apps.docflow import registry
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import user

server_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row locks need PostgreSQL or MariaDB; CI runs this there"
)


def _line(pagu="1000000", kode="5.1.02.99.99.0001"):
    return AnggaranDPA.objects.create(
        tahun=timezone.localdate().year, kode_rekening=kode, uraian="Belanja uji", pagu=Decimal(pagu)
    )


def _request(line, *amounts, perihal="Permohonan uji"):
    model = registry.get("Permohonan Pembayaran").model
    return document_create(
        model=model,
        user=user("pptk"),
        data={
            "perihal": perihal,
            "tahun_anggaran": line.tahun,
            "anggaran": line,
            "penerima": "Penyedia Uji",
            "rincian": [{"uraian": f"Baris {i}", "jumlah": a} for i, a in enumerate(amounts, start=1)],
        },
    )


def test_total_is_the_sum_of_the_line_items_and_the_remaining_ceiling_is_kept():
    line = _line()
    doc = _request(line, 250000, 150000)
    assert doc.jumlah == Decimal("400000")
    assert doc.pagu == Decimal("1000000") and doc.sisa_pagu == Decimal("600000")
    assert doc.kode_rekening == "5.1.02.99.99.0001"
    doc = document_update(doc=doc, user=user("pptk"), data={"rincian": [{"uraian": "Satu baris", "jumlah": 300000}]})
    assert doc.jumlah == Decimal("300000") and doc.sisa_pagu == Decimal("700000")


def test_a_request_over_the_remaining_ceiling_is_refused_and_a_cancelled_one_frees_it():
    line = _line()
    first = _request(line, 600000)
    with pytest.raises(ValidationError) as refused:
        _request(line, 300000, 200000)
    assert "melebihi sisa pagu" in " ".join(refused.value.messages)
    assert "Rp400.000" in " ".join(refused.value.messages)
    apply_action(doc=first, action="Batalkan Permohonan", user=user("pptk"), comment="Ganda.")
    assert _request(line, 300000, 200000).jumlah == Decimal("500000")


def test_a_budget_line_of_another_year_is_refused():
    line = _line()
    model = registry.get("Permohonan Pembayaran").model
    with pytest.raises(ValidationError):
        document_create(
            model=model,
            user=user("pptk"),
            data={"perihal": "x", "tahun_anggaran": line.tahun - 1, "anggaran": line, "penerima": "y",
                  "rincian": [{"uraian": "a", "jumlah": 1}]},
        )  # fmt: skip


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_cannot_both_use_the_remaining_ceiling():
    line = _line(pagu="1000000", kode="5.1.02.99.99.0002")
    barrier = threading.Barrier(2)
    made, refused, errors = [], [], []

    def run(i):
        try:
            barrier.wait(timeout=30)
            made.append(_request(line, 600000, perihal=f"Permohonan serentak {i}"))
        except ValidationError as exc:
            refused.append(exc)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(made) == 1 and len(refused) == 1, (made, refused)
    assert "melebihi sisa pagu" in " ".join(refused[0].messages)
    assert line.terpakai() == Decimal("600000")


def test_the_bendahara_imports_budget_lines_from_excel_and_a_second_import_updates_them():
    import tablib

    from apps.bakesbangpol.keuangan.admin import AnggaranDPAResource

    headers = ("tahun", "kode_rekening", "uraian", "sub_kegiatan", "pagu")
    first = tablib.Dataset(headers=headers)
    first.append((2031, "5.1.02.01.01.0099", "Belanja uji impor", "Sub kegiatan uji", "12500000"))
    result = AnggaranDPAResource().import_data(first, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    line = AnggaranDPA.objects.get(tahun=2031, kode_rekening="5.1.02.01.01.0099")
    assert line.pagu == Decimal("12500000") and line.name == "2031/5.1.02.01.01.0099"
    again = tablib.Dataset(headers=headers)
    again.append((2031, "5.1.02.01.01.0099", "Belanja uji impor", "Sub kegiatan uji", "15000000"))
    AnggaranDPAResource().import_data(again, dry_run=False)
    line.refresh_from_db()
    assert line.pagu == Decimal("15000000") and AnggaranDPA.objects.filter(tahun=2031).count() == 1
