from django.core.management.base import BaseCommand, CommandError

from apps.docflow.services.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Pulihkan situs KOSONG dari arsip buatan `manage.py backup`: periksa SHA-256 setiap anggota, migrasi, "
        "muat data, pulihkan berkas. Menolak basis data yang sudah berisi data."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_backup(archive, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Dipulihkan dari {archive} (dibuat {manifest['created_at']}): {rows} baris.")
