from django.core.management.base import BaseCommand

from apps.laporan.services import escalate_overdue


class Command(BaseCommand):
    help = (
        "Kirim notifikasi keterlambatan ke kepala unit, lalu ke Sekretaris (jalankan berkala, mis. tiap jam dari cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--hari-ke-sekretaris", type=int, default=2, dest="days")

    def handle(self, *args, days, **options):
        sent = escalate_overdue(days_to_sekretaris=days)
        self.stdout.write(f"Eskalasi baru: {sent[1]} ke kepala unit, {sent[2]} ke Sekretaris")
