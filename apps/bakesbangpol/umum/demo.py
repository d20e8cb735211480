"""Demo letters for trials (`make run`), made through the real services. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from apps.docflow.services.files import file_create
from apps.docflow.services.workflow import apply_action, document_create
from apps.organisasi.models import Unit

from . import services
from .models import InstruksiDisposisi, KlasifikasiArsip, SuratKeluar, SuratMasuk


@transaction.atomic
def demo_persuratan() -> int:
    if SuratMasuk.objects.exists():
        return 0
    User = get_user_model()
    clerk, kaban, staf = (User.objects.get(username=u) for u in ("persuratan", "kaban", "staf_kbk"))
    today = timezone.localdate()
    letters = [
        (
            "Dinas Sosial Kota Pasuruan",
            "400/215/423.110/2026",
            "Permintaan data Ormas penerima bantuan sosial",
            "Biasa",
        ),
        ("Polres Pasuruan Kota", "B/1123/XI/2026", "Koordinasi pengamanan kegiatan keagamaan akhir tahun", "Segera"),
    ]
    made = []
    for pengirim, nomor, perihal, sifat in letters:
        surat = document_create(
            model=SuratMasuk,
            user=clerk,
            data={
                "pengirim": pengirim,
                "nomor_surat": nomor,
                "tanggal_surat": today - datetime.timedelta(days=3),
                "tanggal_diterima": today,
                "perihal": perihal,
                "sifat": sifat,
            },
        )
        scan = file_create(
            uploaded=ContentFile(b"%PDF-1.4\n% pindaian surat (demo)\n", name="pindaian.pdf"), user=clerk
        )
        made.append(apply_action(doc=surat, action="Verifikasi dan Teruskan", user=clerk, attachments=[scan]).doc)
    services.disposisi_buat(
        surat=made[1],
        dari=kaban,
        tujuan=[
            {"unit": Unit.objects.get(kode="BID_KBK"), "orang": None},
            {"unit": Unit.objects.get(kode="BID_IWK"), "orang": None},
        ],
        instruksi=InstruksiDisposisi.objects.filter(nama__in=["Koordinasikan", "Hadiri/wakili"]),
        catatan="Koordinasikan dengan Polres dan FKUB.",
        batas_waktu=today + datetime.timedelta(days=5),
    )
    document_create(
        model=SuratKeluar,
        user=staf,
        data={
            "jenis": SuratKeluar.Jenis.UNDANGAN,
            "klasifikasi": KlasifikasiArsip.objects.get(kode="005"),
            "hal": "Rapat Koordinasi Ormas",
            "kepada": "Ketua Ormas se-Kota Pasuruan",
            "isi": "Dalam rangka pembinaan Ormas, kami mengundang Saudara untuk hadir pada:\n\nDemikian atas perhatian dan kehadirannya disampaikan terima kasih.",
            "acara_hari_tanggal": today + datetime.timedelta(days=10),
            "acara_waktu": "09.00 WIB s.d. selesai",
            "acara_tempat": "Aula Bakesbangpol Kota Pasuruan",
        },
    )
    return 3
