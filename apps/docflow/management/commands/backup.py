import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.docflow.services.backup import create_backup


class Command(BaseCommand):
    help = (
        "Cadangkan situs ke satu arsip tar.gz: basis data (JSON Lines per model, dapat dipulihkan ke "
        "SQLite, PostgreSQL atau MariaDB), berkas privat dan PDF terbit, dengan manifest SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", help="berkas arsip (bawaan: SITE_DIR/backups/backup-<waktu>.tar.gz)")
        parser.add_argument(
            "--keep-days",
            type=int,
            default=None,
            help="hapus arsip backup-*.tar.gz di folder tujuan yang lebih tua dari sekian hari",
        )

    def handle(self, *args, output=None, keep_days=None, verbosity=1, **options):
        if output:
            path = Path(output)
        else:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.SITE_DIR) / "backups" / f"backup-{stamp}.tar.gz"
        if path.exists():
            raise CommandError(f"Berkas {path} sudah ada; pilih nama lain.")
        log = self.stdout.write if verbosity > 1 else (lambda line: None)
        manifest = create_backup(path, log=log)
        rows = sum(manifest["counts"].values())
        files = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(f"Cadangan ditulis: {path} ({rows} baris, {files} berkas)")
        if keep_days is not None:
            cutoff = time.time() - keep_days * 86400
            for old in sorted(path.parent.glob("backup-*.tar.gz")):
                if old != path and old.stat().st_mtime < cutoff:
                    old.unlink()
                    self.stdout.write(f"Cadangan lama dihapus: {old}")
