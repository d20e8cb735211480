"""Building P7 documents through the real services (tests of the reports and IKU)."""

from apps.docflow import registry, scenarios
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import user

PEMILU_PATH = [
    ("Bentuk Tim Pengamat", "staf_poldagri"),
    ("Tugaskan Tim Pengamat", "staf_poldagri"),
    ("Selesaikan Pengamatan", "pemantau1"),
    ("Ajukan Rekapitulasi", "staf_poldagri"),
    ("Setujui Rekapitulasi", "kabid_poldagri"),
    ("Tandatangani dan Kirim ke Provinsi", "kaban"),
]


def model(doctype):
    return registry.get(doctype).model


def act(doc, path, until=None):
    for action, by in path:
        if doc.workflow_state == until:
            break
        files = [scenarios.evidence(user(by))]
        doc = apply_action(doc=doc, action=action, user=user(by), attachments=files, comment="-").doc
    return doc


def pemilu(tahun, hasil, *, nama="Pemilu Uji", until=None, **extra):
    data = {
        "nama_pemilu": nama,
        "tahun": tahun,
        "tanggal_pemungutan": f"{tahun}-02-14",
        "data_wilayah": [
            {"kecamatan": "Bugul Kidul", "kelurahan": "Kepel", "jumlah_penduduk": 5000, "jumlah_dps": 3900,
             "pemilih_pemula": 200, "jumlah_tps": 14},
        ],
        "nomor_sk_tim": "188.4/001/423.108/2024",
        "tanggal_sk_tim": f"{tahun}-01-10",
        "tim_pengamat": [{"nama": "Nanik Sulistyowati, S.IP."}],
        "hasil_pengamatan": hasil,
        "kesimpulan": "Tertib.",
        **extra,
    }  # fmt: skip
    doc = document_create(model=model("Pemantauan Pemilu"), user=user("staf_poldagri"), data=data)
    return act(doc, PEMILU_PATH, until=until)


def tps(nomor, kelurahan, dpt, pengguna, *, kecamatan="Bugul Kidul", sah=None, tidak_sah=0):
    return {
        "tps": nomor,
        "kecamatan": kecamatan,
        "kelurahan": kelurahan,
        "dpt": dpt,
        "pengguna_hak_pilih": pengguna,
        "suara_sah": pengguna - tidak_sah if sah is None else sah,
        "suara_tidak_sah": tidak_sah,
    }


ORMAS_PATH = [
    ("Minta Data Ormas/LSM", "staf_kbk"),
    ("Catat Data dari Ormas/LSM", "staf_kbk"),
    ("Laporkan Hasil Survei", "pengawas_ormas1"),
    ("Ajukan Laporan Hasil Survei", "staf_kbk"),
    ("Setujui Laporan", "kabid_kbk"),
    ("Tandatangani Laporan", "kaban"),
]


def pengawasan_ormas(nama, tahun, status_aktif="Aktif", *, until=None, **extra):
    data = {
        "nama_ormas": nama,
        "tahun": tahun,
        "dasar_pengawasan": "Pengawasan rutin",
        "tanggal_persiapan": f"{tahun}-03-01",
        "rencana_survei": f"{tahun}-03-10",
        "tanggal_data_ormas": f"{tahun}-03-05",
        "data_ormas": "Pengurus dan program kerja.",
        "tanggal_survei": f"{tahun}-03-10",
        "lokasi_survei": "Sekretariat",
        "hasil_survei": "Survei selesai.",
        "status_aktif": status_aktif,
        "temuan": "Tidak ditemukan pelanggaran",
        "kesimpulan": "Tertib.",
        "rekomendasi": "Pembinaan.",
        **extra,
    }
    doc = document_create(model=model("Pengawasan Ormas"), user=user("staf_kbk"), data=data)
    return act(doc, ORMAS_PATH, until=until)


ORANG_ASING = [
    {"nama": "Chen Wei", "kebangsaan": "Republik Rakyat Tiongkok", "nomor_paspor": "EG4417825",
     "tujuan": "Bekerja", "alamat": "Jl. Raya Karangketug 12", "kelurahan": "Karangketug", "kecamatan": "Gadingrejo",
     "masa_tinggal_mulai": "2026-01-05", "masa_tinggal_selesai": "2026-12-31"},
    {"nama": "Park Min-jun", "kebangsaan": "Korea Selatan", "nomor_paspor": "M52830114", "tujuan": "Bekerja",
     "alamat": "Perumahan Pesona Candi C-4"},
]  # fmt: skip


def pemantauan_orang_asing(tahun, rows=None, **extra):
    data = {"nama_kegiatan": "Pemantauan Uji", "tahun": tahun, "orang_asing": ORANG_ASING if rows is None else rows}
    return document_create(model=model("Pemantauan Orang Asing"), user=user("staf_iwk"), data={**data, **extra})


def edit(doc, by, **values):
    return document_update(doc=doc, user=user(by), data=values)
