"""P5.4 Banpol amounts: votes x the year's rate, in Decimal end to end; only
parties with a seat; the rate is snapshotted on each application."""

from decimal import Decimal

import pytest
from django.db import models

from apps.bakesbangpol.pembinaan.models import Parpol, PencairanBanpol, PermohonanBanpol, TarifBanpol
from apps.bakesbangpol.pembinaan.services import (
    ParpolTanpaKursi,
    TarifBelumDitetapkan,
    banpol_hitung,
)
from apps.docflow.models import WorkflowLog

from .helpers import TAHUN, ajukan, parpol


@pytest.mark.parametrize(
    "singkatan,suara,kursi,jumlah",
    [
        ("PKB", 31250, 7, "151875000.00"),
        ("PDI-P", 22480, 5, "109252800.00"),
        ("GERINDRA", 17930, 4, "87139800.00"),
        ("PKS", 9870, 2, "47968200.00"),
        ("PPP", 5390, 1, "26195400.00"),
    ],
)
def test_amount_is_votes_times_rate_exactly(singkatan, suara, kursi, jumlah):
    hasil = banpol_hitung(parpol(singkatan), TAHUN)
    assert hasil == {
        "jumlah_suara": suara,
        "jumlah_kursi": kursi,
        "nilai_per_suara": Decimal("4860"),
        "jumlah_bantuan": Decimal(jumlah),
    }
    assert isinstance(hasil["jumlah_bantuan"], Decimal)
    assert hasil["jumlah_bantuan"] == Decimal(suara) * Decimal("4860")
    assert str(hasil["jumlah_bantuan"]) == jumlah


def test_every_demo_party_with_a_seat():
    parpol()
    for p in Parpol.objects.filter(jumlah_kursi__gt=0):
        assert banpol_hitung(p, TAHUN)["jumlah_bantuan"] == Decimal(p.jumlah_suara) * Decimal("4860")


def test_party_without_a_seat_gets_nothing_and_cannot_apply():
    perindo = parpol("PERINDO")
    assert perindo.jumlah_kursi == 0
    assert banpol_hitung(perindo, TAHUN)["jumlah_bantuan"] == Decimal("0")
    logs = WorkflowLog.objects.count()
    with pytest.raises(ParpolTanpaKursi) as exc:
        ajukan("PERINDO")
    assert "Partai Perindo" in exc.value.message
    assert not PermohonanBanpol.objects.exists()
    assert WorkflowLog.objects.count() == logs


def test_a_year_without_a_rate_is_refused():
    with pytest.raises(TarifBelumDitetapkan) as exc:
        banpol_hitung(parpol("PKB"), TAHUN + 10)
    assert str(TAHUN + 10) in exc.value.message
    with pytest.raises(TarifBelumDitetapkan):
        ajukan("PKB", TAHUN + 10)
    assert not PermohonanBanpol.objects.exists()


def test_a_new_rate_applies_to_new_applications_only():
    lama = ajukan("PKB", TAHUN + 1)
    assert lama.jumlah_bantuan == Decimal("151875000.00")
    tarif = TarifBanpol.objects.get(tahun_anggaran=TAHUN + 1)
    tarif.nilai_per_suara = Decimal("5125.50")
    tarif.save()
    baru = ajukan("PDI-P", TAHUN + 1)
    assert baru.nilai_per_suara == Decimal("5125.50")
    assert baru.jumlah_bantuan == Decimal("115221240.00")  # 22.480 x 5.125,50
    lama.refresh_from_db()
    assert (lama.nilai_per_suara, lama.jumlah_bantuan) == (Decimal("4860.00"), Decimal("151875000.00"))
    # other years keep their own rate
    assert banpol_hitung(parpol("PKB"), TAHUN)["nilai_per_suara"] == Decimal("4860")


def test_money_fields_are_decimal_and_read_back_as_decimal():
    for model, names in (
        (TarifBanpol, ["nilai_per_suara"]),
        (PermohonanBanpol, ["nilai_per_suara", "jumlah_bantuan"]),
        (PencairanBanpol, ["jumlah", "jumlah_transfer"]),
    ):
        for name in names:
            field = model._meta.get_field(name)
            assert isinstance(field, models.DecimalField), (model, name)
            assert field.decimal_places == 2
    doc = ajukan("GOLKAR")
    doc.refresh_from_db()
    assert isinstance(doc.nilai_per_suara, Decimal)
    assert isinstance(doc.jumlah_bantuan, Decimal)
    assert doc.jumlah_bantuan == Decimal("73920600.00")  # 15.210 x 4.860
    assert (doc.jumlah_suara, doc.jumlah_kursi) == (15210, 4)
    fresh = PermohonanBanpol.objects.get(pk=doc.pk)
    assert isinstance(fresh.jumlah_bantuan, Decimal) and fresh.jumlah_bantuan == Decimal("73920600")
