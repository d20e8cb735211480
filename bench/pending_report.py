"""Benchmark: the pending-per-unit report on N generated documents.

Prints, for the database in DATABASE_URL (default: a fresh SQLite file), the
time of the report as the Kepala Badan and as a Kepala Bidang sees it, and
its ratio to a plain indexed ``COUNT(*) ... GROUP BY`` on the same table,
measured in the same run. Target: under 300 ms.

    python bench/pending_report.py [--docs 1000000]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_DOCS", 1_000_000)))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("SITE_DIR", tempfile.mkdtemp(prefix="bakesbangpol-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    engine = connection.vendor
    if engine != "sqlite":
        # a fresh database of its own, never the configured one
        from django.test.utils import setup_databases

        setup_databases(verbosity=0, interactive=False, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    from apps.docflow.services.definitions import sync_reference_files
    from apps.organisasi.demo import demo_accounts
    from apps.organisasi.services import organisasi_load_reference

    organisasi_load_reference()
    sync_reference_files()
    demo_accounts()

    generate(args.docs)
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if engine != "mysql" else "ANALYZE TABLE perizinan_permohonanskt")

    from django.contrib.auth import get_user_model

    from apps.laporan.selectors import pending_per_unit

    User = get_user_model()
    kaban, kabid = User.objects.get(username="kaban"), User.objects.get(username="kabid_kbk")
    open_states = [
        "Menunggu Verifikasi",
        "Dikembalikan ke Pemohon",
        "Survei Lokasi",
        "Menunggu Persetujuan",
        "SKT Terbit",
        "Diarsipkan",
    ]
    baseline_sql = (
        "SELECT unit_id, workflow_state, COUNT(*) FROM perizinan_permohonanskt "
        "WHERE workflow_state IN (%s, %s, %s, %s, %s, %s) GROUP BY unit_id, workflow_state"
    )

    def baseline():
        with connection.cursor() as cur:
            cur.execute(baseline_sql, open_states)
            return cur.fetchall()

    base = timed(baseline, args.runs)
    as_kaban = timed(lambda: pending_per_unit(kaban), args.runs)
    as_kabid = timed(lambda: pending_per_unit(kabid), args.runs)
    total = sum(r.count for r in pending_per_unit(kaban))
    print(f"\n== pending-per-unit report, {engine}, {args.docs:,} documents ({total:,} pending) ==")
    print(f"baseline COUNT ... GROUP BY : {base * 1000:8.1f} ms")
    for label, value in (("report as Kepala Badan", as_kaban), ("report as Kepala Bidang", as_kabid)):
        verdict = "OK" if value < 0.300 else "NOT MET"
        print(f"{label:27s} : {value * 1000:8.1f} ms   ratio {value / base:5.2f}x   target <300 ms: {verdict}")
    del settings


def timed(fn, runs):
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def generate(count: int, batch: int = 20_000):
    """Documents with a realistic spread: most closed, a few percent open,
    some of those late, across the units."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from apps.bakesbangpol.perizinan.models import PermohonanSKT
    from apps.organisasi.models import Unit

    rng = random.Random(42)
    units = list(Unit.objects.filter(jenis__in=["bidang", "sekretariat"]).values_list("pk", flat=True))
    user = get_user_model().objects.get(username="pelayanan_kbk")
    open_states = [
        "Menunggu Verifikasi",
        "Dikembalikan ke Pemohon",
        "Survei Lokasi",
        "Menunggu Persetujuan",
        "SKT Terbit",
        "Diarsipkan",
    ]
    now = timezone.now()
    made = 0
    start = time.perf_counter()
    while made < count:
        rows = []
        for i in range(made, min(count, made + batch)):
            created = now - timezone.timedelta(days=rng.randint(0, 5 * 365))
            if rng.random() < 0.05:
                state = rng.choice(open_states)
                entered = now - timezone.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 23))
                due = entered + timezone.timedelta(days=rng.randint(1, 10))
                docstatus = 0 if state in open_states[:4] else 1
            else:
                state = rng.choice(["Diserahkan", "Diserahkan", "Diserahkan", "Ditolak"])
                entered, due, docstatus = created, None, 1
            rows.append(
                PermohonanSKT(
                    name=f"BENCH-{i:08d}",
                    workflow_state=state,
                    docstatus=docstatus,
                    unit_id=rng.choice(units),
                    process_code="P8.1",
                    state_entered_at=entered,
                    due_at=due,
                    created_by=user,
                    modified_by=user,
                    created_at=created,
                    nama_ormas=f"Ormas {i}",
                    bidang_kegiatan="Sosial",
                    alamat_sekretariat="Jl. Contoh",
                    ketua_nama="Ketua",
                    ketua_nik="3575010101010001",
                    sekretaris_nama="Sekretaris",
                    bendahara_nama="Bendahara",
                )
            )
        with transaction.atomic():
            PermohonanSKT.objects.bulk_create(rows, batch_size=2000)
        made += len(rows)
    print(f"generated {count:,} documents in {time.perf_counter() - start:.0f} s", flush=True)


if __name__ == "__main__":
    main()
