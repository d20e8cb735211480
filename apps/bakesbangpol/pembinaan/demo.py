"""Demo parties (fictitious results, for trials only: import the real
election results through the desk)."""

from .models import Parpol

DEMO = [
    ("Partai Kebangkitan Bangsa", "PKB", 31250, 7),
    ("Partai Demokrasi Indonesia Perjuangan", "PDI-P", 22480, 5),
    ("Partai Gerakan Indonesia Raya", "GERINDRA", 17930, 4),
    ("Partai Golongan Karya", "GOLKAR", 15210, 4),
    ("Partai NasDem", "NASDEM", 11820, 3),
    ("Partai Keadilan Sejahtera", "PKS", 9870, 2),
    ("Partai Demokrat", "DEMOKRAT", 8450, 2),
    ("Partai Amanat Nasional", "PAN", 7010, 2),
    ("Partai Persatuan Pembangunan", "PPP", 5390, 1),
    ("Partai Perindo", "PERINDO", 2870, 0),
]


def demo_parpol() -> int:
    made = 0
    for nama, singkatan, suara, kursi in DEMO:
        _obj, created = Parpol.objects.get_or_create(
            singkatan=singkatan,
            defaults={
                "nama": nama,
                "tahun_pemilu": 2024,
                "jumlah_suara": suara,
                "jumlah_kursi": kursi,
                "nama_bank": "Bank Jatim",
                "nomor_rekening": f"0011{made:06d}",
                "atas_nama_rekening": f"DPC {singkatan} Kota Pasuruan",
            },
        )
        made += created
    return made
