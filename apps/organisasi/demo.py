"""Demo accounts for every role and demo documents in several states.
Idempotent; for the embedded default (`make run`) and manual trials only."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Delegasi, Jabatan, Pegawai, Unit

DEMO_PASSWORD = "demo12345"

# username, full name, NIP, rank, position code or title, unit code, roles
ACCOUNTS = [
    (
        "kaban",
        "Drs. Hadi Santoso, M.Si.",
        "196805121994031007",
        "Pembina Utama Muda (IV/c)",
        "KABAN",
        "PIMPINAN",
        ["Kepala Badan", "Pengguna Anggaran"],
    ),
    (
        "sekretaris",
        "Siti Rahmawati, S.Sos., M.M.",
        "197203151998032004",
        "Pembina Tingkat I (IV/b)",
        "SEKRETARIS",
        "SEKRETARIAT",
        ["Sekretaris"],
    ),
    (
        "kabid_kbk",
        "Agus Prasetyo, S.H., M.H.",
        "197508202000121003",
        "Pembina (IV/a)",
        "KABID_KBK",
        "BID_KBK",
        ["Kepala Bidang"],
    ),
    (
        "kabid_iwk",
        "Dewi Lestari, S.IP., M.Si.",
        "197811052003122005",
        "Pembina (IV/a)",
        "KABID_IWK",
        "BID_IWK",
        ["Kepala Bidang"],
    ),
    (
        "kabid_poldagri",
        "Bambang Wijaya, S.Sos.",
        "197406302001121002",
        "Pembina (IV/a)",
        "KABID_POLDAGRI",
        "BID_POLDAGRI",
        ["Kepala Bidang"],
    ),
    (
        "kasubag_umpeg",
        "Nur Aini, S.E.",
        "198002142006042011",
        "Penata Tingkat I (III/d)",
        "SUBBAG_UMPEG",
        "SUBBAG_UMPEG",
        ["Kepala Sub Bagian"],
    ),
    (
        "pelayanan_kbk",
        "Rudi Hartono",
        "198507192010011015",
        "Penata Muda Tingkat I (III/b)",
        "Petugas Pelayanan",
        "BID_KBK",
        ["Petugas Pelayanan"],
    ),
    (
        "pelayanan_iwk",
        "Maya Sari, S.Kom.",
        "199001232015032003",
        "Penata Muda (III/a)",
        "Petugas Pelayanan",
        "BID_IWK",
        ["Petugas Pelayanan"],
    ),
    (
        "staf_kbk",
        "Yusuf Effendi",
        "198812112014021004",
        "Pengatur Tingkat I (II/d)",
        "Pengelola Data Kemasyarakatan",
        "BID_KBK",
        ["Staf Bidang"],
    ),
    (
        "staf_iwk",
        "Rina Wulandari, S.Sos.",
        "199105062019032012",
        "Penata Muda (III/a)",
        "Analis Kewaspadaan Nasional",
        "BID_IWK",
        ["Staf Bidang"],
    ),
    (
        "staf_poldagri",
        "Fajar Nugroho, S.IP.",
        "199209172020121006",
        "Penata Muda (III/a)",
        "Analis Politik",
        "BID_POLDAGRI",
        ["Staf Bidang"],
    ),
    (
        "persuratan",
        "Endang Susilowati",
        "197909092005012008",
        "Pengatur (II/c)",
        "Pengadministrasi Persuratan",
        "SUBBAG_UMPEG",
        ["Petugas Persuratan"],
    ),
    (
        "perencana",
        "Ahmad Fauzi, S.T.",
        "198604042011011009",
        "Penata (III/c)",
        "SUBKOOR_PE",
        "SUBKOOR_PE",
        ["Perencana"],
    ),
    (
        "pptk",
        "Hendra Gunawan, S.Sos.",
        "198303032009011012",
        "Penata Tingkat I (III/d)",
        "PPTK Kegiatan Kewaspadaan",
        "BID_IWK",
        ["PPTK"],
    ),
    (
        "bendahara",
        "Lilik Handayani, A.Md.",
        "198711222012122002",
        "Penata Muda Tingkat I (III/b)",
        "Bendahara Pengeluaran",
        "SUBKOOR_PPK",
        ["Bendahara"],
    ),
    (
        "verifikator",
        "Dian Puspitasari, S.E.",
        "198910102014032006",
        "Penata Muda Tingkat I (III/b)",
        "Verifikator Keuangan",
        "SUBKOOR_PPK",
        ["Verifikator"],
    ),
    (
        "pengurus_barang",
        "Slamet Riyadi",
        "197612122007011014",
        "Pengatur Tingkat I (II/d)",
        "Pengurus Barang",
        "SUBBAG_UMPEG",
        ["Pengurus Barang"],
    ),
    (
        "timver1",
        "Wahyu Hidayat, S.H.",
        "198101012008011018",
        "Penata (III/c)",
        "Anggota Tim Verifikasi",
        "BID_POLDAGRI",
        ["Tim Verifikasi", "Staf Bidang"],
    ),
    (
        "timver2",
        "Ratna Kusuma, S.E.",
        "198202022009022007",
        "Penata (III/c)",
        "Anggota Tim Verifikasi",
        "SUBKOOR_PPK",
        ["Tim Verifikasi"],
    ),
    (
        "timver3",
        "Joko Susanto, S.Sos.",
        "198303032010011016",
        "Penata (III/c)",
        "Anggota Tim Verifikasi",
        "SEKRETARIAT",
        ["Tim Verifikasi"],
    ),
    (
        "keuangan",
        "Yuliana Pratiwi, S.E.",
        "199003032015032009",
        "Penata Muda (III/a)",
        "Pengelola Keuangan",
        "SUBKOOR_PPK",
        ["Pengelola Keuangan"],
    ),
    (
        "timhibah1",
        "Eko Saputro, S.Sos.",
        "198404042010011013",
        "Penata (III/c)",
        "Anggota Tim Verifikasi Hibah",
        "BID_IWK",
        ["Tim Verifikasi Hibah", "Staf Bidang"],
    ),
    (
        "ppwk1",
        "Sri Mulyani, S.Pd.",
        "198505052011012010",
        "Penata (III/c)",
        "Anggota Tim PPWK",
        "BID_IWK",
        ["Tim PPWK", "Staf Bidang"],
    ),
    (
        "fpk1",
        "Hasan Basri",
        "197707072006041015",
        "Penata Muda Tingkat I (III/b)",
        "Anggota Tim FPK",
        "BID_KBK",
        ["Tim FPK", "Staf Bidang"],
    ),
    (
        "kewaspadaan1",
        "Teguh Santosa, S.H.",
        "198606062012011011",
        "Penata (III/c)",
        "Anggota Tim Kewaspadaan Dini",
        "BID_IWK",
        ["Tim Kewaspadaan Dini", "Staf Bidang"],
    ),
    (
        "pengawas_ormas1",
        "Rizal Fahmi, S.Sos.",
        "198707072012011012",
        "Penata (III/c)",
        "Anggota Tim Terpadu Pengawasan Ormas",
        "BID_KBK",
        ["Tim Terpadu Pengawasan Ormas", "Staf Bidang"],
    ),
    (
        "pemantau1",
        "Nanik Sulistyowati, S.IP.",
        "198808082013012014",
        "Penata Muda Tingkat I (III/b)",
        "Petugas Pengamat Pemilu",
        "BID_POLDAGRI",
        ["Tim Pemantau Pemilu", "Staf Bidang"],
    ),
    (
        "pemantau2",
        "Yusuf Hariyanto, S.H.",
        "199009092015031008",
        "Penata Muda Tingkat I (III/b)",
        "Petugas Pengamat Pemilu",
        "SEKRETARIAT",
        ["Tim Pemantau Pemilu"],
    ),
    (
        "konflik1",
        "Ahmad Zainuri, S.H.",
        "198505052011011015",
        "Penata (III/c)",
        "Anggota Tim Penanganan Konflik",
        "BID_IWK",
        ["Tim Penanganan Konflik", "Staf Bidang"],
    ),
    (
        "poa1",
        "Lilik Maftuchah, S.Sos.",
        "198912122014032009",
        "Penata Muda Tingkat I (III/b)",
        "Anggota Tim Pemantauan Orang Asing",
        "BID_IWK",
        ["Tim Pemantauan Orang Asing", "Staf Bidang"],
    ),
    ("admin", "Administrator Sistem", "", "", "Administrator Sistem", "SUBBAG_UMPEG", ["Administrator Sistem"]),
    (
        "pptk_kbk",
        "Sugeng Riyanto, S.E.",
        "198107142008011009",
        "Penata Tingkat I (III/d)",
        "PPTK Kegiatan Fasilitasi Tim Terpadu",
        "BID_KBK",
        ["PPTK"],
    ),
    (
        "timhibah2",
        "Bayu Firmansyah, S.E.",
        "198609092013011017",
        "Penata Muda Tingkat I (III/b)",
        "Anggota Tim Verifikasi Hibah",
        "SUBKOOR_PPK",
        ["Tim Verifikasi Hibah"],
    ),
]
EXTERNAL = [
    ("tapd", "Sekretariat TAPD Kota Pasuruan", ["TAPD"]),
    ("walikota", "Ajudan Wali Kota Pasuruan", ["Wali Kota"]),
]


@transaction.atomic
def demo_accounts() -> int:
    User = get_user_model()
    # the published demo password, hashed once for every new account (a hash
    # takes a third of a second; ~30 of them were most of a fresh `make run`)
    demo_hash = None
    for username, nama, nip, pangkat, jab, unit_code, roles in ACCOUNTS:
        user, created = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
        first, _, last = nama.partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.is_staff = True
        user.is_superuser = username == "admin"
        if created:
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            user.password = demo_hash
        user.save()
        # every member of staff also holds the role Pegawai (leave, promotion requests)
        user.groups.set(Group.objects.filter(name__in=[*roles, "Pegawai"]))
        jabatan = Jabatan.objects.filter(kode=jab).first()
        Pegawai.objects.update_or_create(
            user=user,
            defaults={
                "nama": nama,
                "nip": nip,
                "pangkat_golongan": pangkat,
                "jabatan": jabatan,
                "nama_jabatan": "" if jabatan else jab,
                "unit": Unit.objects.get(kode=unit_code),
            },
        )
    for username, nama, roles in EXTERNAL:
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": nama[:150]})
        user.is_staff = True
        if created:
            demo_hash = demo_hash or make_password(DEMO_PASSWORD)
            user.password = demo_hash
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
    # The Sekretaris stands in for the Kepala Badan (Plh.) on the first
    # working days of every month in the demo; one standing delegation.
    kaban, sekretaris = User.objects.get(username="kaban"), User.objects.get(username="sekretaris")
    today = timezone.localdate()
    delegasi, _ = Delegasi.objects.get_or_create(
        pejabat=kaban,
        pelaksana=sekretaris,
        dasar="Surat Perintah Kepala Badan Nomor 800/DEMO/423.108",
        defaults={
            "jenis": Delegasi.Jenis.PLH,
            "mulai": today + datetime.timedelta(days=30),
            "selesai": today + datetime.timedelta(days=34),
        },
    )
    delegasi.peran.set(Group.objects.filter(name="Kepala Badan"))
    return len(ACCOUNTS) + len(EXTERNAL)
