"""Reference data of P1.2: the starting archive classification list (the
administrator edits it or imports the agency's full list from Excel) and the
disposition instructions."""

import csv
from pathlib import Path

from django.db import transaction

from .models import InstruksiDisposisi, KlasifikasiArsip

DATA = Path(__file__).resolve().parent / "data"
INSTRUKSI = [
    "Tindak lanjuti",
    "Untuk diketahui",
    "Koordinasikan",
    "Siapkan jawaban",
    "Hadiri/wakili",
    "Proses sesuai ketentuan",
    "Arsipkan",
]


@transaction.atomic
def umum_load_reference() -> dict:
    """Creates what is missing; never overwrites an administrator's edits."""
    created = 0
    with open(DATA / "klasifikasi.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        _obj, made = KlasifikasiArsip.objects.get_or_create(
            kode=row["kode"],
            defaults={
                "nama": row["nama"],
                "retensi_aktif": int(row["retensi_aktif"]),
                "retensi_inaktif": int(row["retensi_inaktif"]),
                "nasib_akhir": row["nasib_akhir"],
            },
        )
        created += made
    for row in rows:
        if row["induk"]:
            KlasifikasiArsip.objects.filter(kode=row["kode"], induk__isnull=True).update(
                induk=KlasifikasiArsip.objects.get(kode=row["induk"])
            )
    for idx, nama in enumerate(INSTRUKSI):
        InstruksiDisposisi.objects.get_or_create(nama=nama, defaults={"urutan": idx})
    return {"klasifikasi": len(rows), "baru": created}
