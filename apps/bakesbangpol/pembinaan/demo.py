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


def demo_honorarium_auto_repeat():
    """P5.7: the monthly Honorarium Timdu as a recurring document (Auto
    Repeat), from the latest demo month, for the coming months of the year.
    An administrator sets the same in the desk (Dokumen Berulang)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.docflow import auto_repeat, registry
    from apps.docflow.models import AutoRepeat

    if AutoRepeat.objects.filter(reference_doctype="Honorarium Timdu").exists():
        return None
    try:
        info = registry.get("Honorarium Timdu", load=True)
    except Exception:  # noqa: BLE001 - removed by an administrator
        return None
    template = info.model._default_manager.order_by("-periode_mulai").first()
    if template is None:
        return None
    today = timezone.localdate()
    following = auto_repeat.next_period(AutoRepeat.Frequency.MONTHLY, template.periode_mulai)[0]
    start = max(following, today.replace(day=1))
    schedule = AutoRepeat(
        reference_doctype="Honorarium Timdu",
        reference_document=template.name,
        frequency=AutoRepeat.Frequency.MONTHLY,
        start_date=start,
        end_date=datetime.date(start.year, 12, 31),  # the budget year
        run_as=get_user_model().objects.get(username="staf_kbk"),
        period_field="periode",
        period_start_field="periode_mulai",
        period_end_field="periode_selesai",
    )
    auto_repeat.validate_schedule(schedule)
    schedule.save()
    return schedule
