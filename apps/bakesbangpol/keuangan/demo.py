"""Demo DPA budget lines of the current year (P3.1 payment requests draw on them). Idempotent."""

from decimal import Decimal

from django.utils import timezone

from .models import AnggaranDPA

# kode rekening, uraian, sub kegiatan, pagu
LINES = [
    ("5.1.02.01.01.0024", "Belanja Alat/Bahan untuk Kegiatan Kantor - Alat Tulis Kantor",
     "Penyediaan Administrasi Perkantoran", Decimal("25000000")),
    ("5.1.02.01.01.0052", "Belanja Makanan dan Minuman Rapat",
     "Pembinaan Ideologi Pancasila dan Wawasan Kebangsaan", Decimal("40000000")),
    ("5.1.02.02.01.0003", "Honorarium Narasumber atau Pembahas",
     "Pembinaan Ideologi Pancasila dan Wawasan Kebangsaan", Decimal("30000000")),
    ("5.1.02.04.01.0001", "Belanja Perjalanan Dinas Biasa",
     "Kewaspadaan Nasional", Decimal("15000000")),
    ("5.2.02.05.01.0005", "Belanja Modal Peralatan Personal Komputer",
     "Pengadaan Sarana dan Prasarana Pendukung Gedung Kantor", Decimal("60000000")),
]  # fmt: skip


def demo_anggaran_dpa() -> int:
    year = timezone.localdate().year
    made = 0
    for kode, uraian, sub, pagu in LINES:
        _obj, created = AnggaranDPA.objects.get_or_create(
            tahun=year, kode_rekening=kode, defaults={"uraian": uraian, "sub_kegiatan": sub, "pagu": pagu}
        )
        made += created
    return made
