from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from apps.docflow.issuing import orphan_files
from apps.docflow.models import IssuedDocument


class Command(BaseCommand):
    help = (
        "Hapus berkas di MEDIA_ROOT yang tidak dirujuk catatan mana pun (mis. PDF dari proses yang terhenti) "
        "dan tampilkan dokumen terbit yang PDF-nya masih 'sedang dibuat'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="hanya tampilkan, jangan hapus")
        parser.add_argument(
            "--min-age",
            type=int,
            default=60,
            help="hanya berkas yang lebih tua dari sekian menit (bawaan 60; berkas muda mungkin sedang ditulis)",
        )

    def handle(self, *args, dry_run=False, min_age=60, **options):
        orphans = orphan_files(min_age_seconds=min_age * 60)
        for name in orphans:
            if dry_run:
                self.stdout.write(f"yatim: {name}")
            else:
                default_storage.delete(name)
                self.stdout.write(f"dihapus: {name}")
        verb = "ditemukan" if dry_run else "dihapus"
        self.stdout.write(f"Berkas yatim {verb}: {len(orphans)}")

        pending = IssuedDocument.objects.filter(status=IssuedDocument.Status.PENDING).order_by("issued_at")
        count = 0
        for issued in pending.iterator():
            count += 1
            error = f" — {issued.render_error.splitlines()[0]}" if issued.render_error else ""
            self.stdout.write(
                f"sedang dibuat: #{issued.pk} {issued.title} {issued.number} ({issued.doctype} {issued.document_name}), "
                f"percobaan {issued.render_attempts}{error}"
            )
        self.stdout.write(f"PDF masih sedang dibuat: {count} (jalankan docflow_render_pending)")
