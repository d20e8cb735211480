"""Demo P8 documents in several states, made through the real services
(`make run`). Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone


def _survey_file(user):
    from apps.docflow.services.files import file_create

    return file_create(
        uploaded=ContentFile(b"%PDF-1.4\n% berita acara survei lokasi (demo)\n", name="ba-survei.pdf"),
        user=user,
        skip_content_check=True,
    )


@transaction.atomic
def demo_documents() -> int:
    """A handful of SKT applications in several states, made through the real services."""
    from apps.docflow.services.workflow import apply_action, document_create

    from .models import PERSYARATAN_SKT, PermohonanSKT

    if PermohonanSKT.objects.exists():
        return 0
    User = get_user_model()
    petugas, kaban, staf = (User.objects.get(username=u) for u in ("pelayanan_kbk", "kaban", "staf_kbk"))
    lengkap = {field: True for field, _label in PERSYARATAN_SKT}
    samples = [
        (
            "Paguyuban Seni Budaya Untung Suropati",
            "Seni dan budaya",
            "Jl. Untung Suropati No. 12",
            "Menunggu Verifikasi",
        ),
        (
            "Forum Pemuda Peduli Lingkungan Pasuruan",
            "Lingkungan hidup",
            "Jl. Hayam Wuruk No. 7",
            "Dikembalikan ke Pemohon",
        ),
        ("Lembaga Pemberdayaan Ekonomi Umat Bugul", "Pemberdayaan ekonomi", "Jl. Sultan Agung No. 3", "Survei Lokasi"),
        ("Himpunan Nelayan Panggungrejo", "Kesejahteraan nelayan", "Jl. Pelabuhan No. 21", "Menunggu Persetujuan"),
        ("Ikatan Remaja Masjid Kota Pasuruan", "Keagamaan", "Jl. Alun-Alun Utara No. 1", "Diserahkan"),
    ]
    for idx, (nama, bidang, alamat, target) in enumerate(samples):
        doc = document_create(
            model=PermohonanSKT,
            user=petugas,
            data={
                "nama_ormas": nama,
                "bidang_kegiatan": bidang,
                "alamat_sekretariat": alamat,
                "kecamatan": "Panggungrejo",
                "ketua_nama": "Moh. Ridwan",
                "ketua_nik": f"35750101019{idx:05d}",
                "sekretaris_nama": "Anisa Fitri",
                "bendahara_nama": "Sugeng Raharjo",
                "nomor_surat_permohonan": f"0{idx + 1}/SP/2026",
                "tanggal_surat_permohonan": timezone.localdate(),
                **({} if target == "Dikembalikan ke Pemohon" else lengkap),
            },
        )
        if target == "Menunggu Verifikasi":
            continue
        if target == "Dikembalikan ke Pemohon":
            apply_action(
                doc=doc,
                action="Kembalikan ke Pemohon",
                user=petugas,
                comment="NPWP dan surat domisili belum dilampirkan.",
            )
            continue
        apply_action(doc=doc, action="Berkas Lengkap", user=petugas)
        if target == "Survei Lokasi":
            continue
        doc.tanggal_survei = timezone.localdate()
        doc.petugas_survei = "Rudi Hartono"
        doc.hasil_survei = "Sekretariat ada dan aktif; papan nama terpasang."
        doc.save()
        apply_action(doc=doc, action="Laporkan Hasil Survei", user=petugas, attachments=[_survey_file(petugas)])
        if target == "Menunggu Persetujuan":
            continue
        apply_action(doc=doc, action="Setujui", user=kaban)
        doc.lokasi_arsip = "Lemari 2, Rak B, Boks 4"
        doc.save()
        apply_action(doc=doc, action="Arsipkan", user=staf)
        doc.diterima_oleh = "Moh. Ridwan (Ketua)"
        doc.tanggal_penyerahan = timezone.localdate()
        doc.save()
        apply_action(doc=doc, action="Serahkan ke Ormas", user=petugas)
    return len(samples) + demo_izin_penelitian()


def demo_izin_penelitian() -> int:
    from apps.docflow.services.workflow import apply_action, document_create

    from .models import PermohonanIzinPenelitian

    if PermohonanIzinPenelitian.objects.exists():
        return 0
    User = get_user_model()
    staf, kaban = User.objects.get(username="staf_iwk"), User.objects.get(username="kaban")
    today = timezone.localdate()
    samples = [
        (
            "Nadia Putri Ramadhani",
            "Universitas Negeri Malang",
            "Partisipasi pemilih pemula dalam pemilihan kepala daerah di Kota Pasuruan",
            "Menunggu Disposisi",
        ),
        (
            "Bagus Setiawan",
            "Universitas Brawijaya",
            "Peran forum kerukunan umat beragama dalam pencegahan konflik sosial",
            "Diproses Bidang",
        ),
        (
            "Laila Rahmah",
            "Universitas Yudharta Pasuruan",
            "Pola pembinaan organisasi kemasyarakatan oleh pemerintah daerah",
            "Surat Izin Terbit",
        ),
    ]
    for idx, (nama, instansi, judul, target) in enumerate(samples):
        doc = document_create(
            model=PermohonanIzinPenelitian,
            user=staf,
            data={
                "nama_peneliti": nama,
                "nik": f"357501020295{idx:04d}",
                "status_pemohon": "Mahasiswa S1",
                "instansi": instansi,
                "alamat": "Jl. Veteran No. 5, Malang",
                "telepon": "081234567890",
                "judul": judul,
                "tujuan": "Penyusunan skripsi",
                "lokasi": "Bakesbangpol Kota Pasuruan\nKecamatan Purworejo",
                "tanggal_mulai": today + datetime.timedelta(days=7),
                "tanggal_selesai": today + datetime.timedelta(days=67),
                "nomor_surat_pengantar": f"{100 + idx}/UN/PP/2026",
                "tanggal_surat_pengantar": today - datetime.timedelta(days=3),
            },
        )
        if target == "Menunggu Disposisi":
            continue
        apply_action(doc=doc, action="Disposisi ke Bidang", user=kaban, comment="Proses sesuai ketentuan.")
        if target == "Diproses Bidang":
            continue
        apply_action(doc=doc, action="Ajukan Tanda Tangan", user=staf)
        apply_action(doc=doc, action="Tandatangani", user=kaban)
    return len(samples)
