from django.core.management import call_command
from django.core.management.base import BaseCommand

from apps.bakesbangpol.keuangan.demo import demo_anggaran_dpa
from apps.bakesbangpol.pembinaan.demo import demo_honorarium_auto_repeat, demo_parpol
from apps.bakesbangpol.pembinaan.reference import pembinaan_load_reference
from apps.bakesbangpol.perizinan.demo import demo_documents
from apps.bakesbangpol.umum.demo import demo_persuratan
from apps.bakesbangpol.umum.reference import umum_load_reference
from apps.docflow import calendar, scenarios
from apps.docflow.services.definitions import sync_reference_files
from apps.laporan.services import iku_load_reference
from apps.organisasi.demo import DEMO_PASSWORD, demo_accounts
from apps.organisasi.services import organisasi_load_reference
from apps.portal.services import portal_user


class Command(BaseCommand):
    """Assembles the whole site (it lives in the portal app, which depends on
    every other): migrates first (an empty database is installed in one pass,
    see docflow's ``migrate``), then loads the reference data, and with
    ``--demo`` the demo accounts and documents. Running it again adds nothing."""

    help = "Migrasi basis data, lalu muat data referensi (organisasi, peran, alur kerja, format cetak, penomoran); --demo menambah akun dan dokumen contoh."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="buat akun demo dan dokumen contoh")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)  # one process for both: one start-up less
        counts = organisasi_load_reference()
        self.stdout.write(f"Organisasi: {counts['units']} unit, {counts['jabatan']} jabatan, {counts['roles']} peran")
        for line in sync_reference_files():
            self.stdout.write(f"  {line}")
        umum_load_reference()
        pembinaan_load_reference()
        portal_user()
        self.stdout.write(f"IKU: {iku_load_reference()} indikator")
        self.stdout.write(f"Kalender kerja: {calendar.load_national_holidays_around()} hari libur nasional baru")
        if demo:
            accounts = demo_accounts()
            docs = demo_documents()
            demo_parpol()
            docs += demo_persuratan()
            demo_anggaran_dpa()  # the DPA budget lines the P3.1 demo requests draw on
            docs += scenarios.load_demo()  # every process defined as data: <app>/demo/*.json
            demo_honorarium_auto_repeat()  # P5.7: monthly Honorarium Timdu (Auto Repeat)
            self.stdout.write(f"Demo: {accounts} akun (kata sandi: {DEMO_PASSWORD}), {docs} dokumen baru")
