from django.core.management.base import BaseCommand

from apps.docflow.issuing import render_pending


class Command(BaseCommand):
    help = "Buat PDF setiap dokumen terbit yang masih 'sedang dibuat' (aman diulang; jalankan dari cron)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="paling banyak sekian dokumen")

    def handle(self, *args, limit=None, **options):
        rendered, failed = render_pending(limit=limit)
        self.stdout.write(f"PDF dibuat: {rendered}, gagal: {failed}")
        if failed:
            self.stderr.write(
                "Lihat galat pembuatan PDF pada dokumen terbit yang masih 'sedang dibuat' (docflow_cleanup_files)."
            )
