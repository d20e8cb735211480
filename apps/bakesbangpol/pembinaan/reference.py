"""Reference data of P5: the Banpol rate per vote. The seed document gives
Rp4.860 per valid vote; the administrator sets each budget year's rate."""

from decimal import Decimal

from django.utils import timezone

from .models import TarifBanpol

TARIF_SEED = Decimal("4860")


def pembinaan_load_reference() -> int:
    year = timezone.localdate().year
    made = 0
    for tahun in (year - 1, year, year + 1):
        _obj, created = TarifBanpol.objects.get_or_create(
            tahun_anggaran=tahun,
            defaults={
                "nilai_per_suara": TARIF_SEED,
                "dasar": "Peta proses bisnis Bakesbangpol (Rp4.860 per suara sah); sesuaikan dengan keputusan tahun berjalan",
            },
        )
        made += created
    return made
