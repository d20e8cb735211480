from django.core.management.base import BaseCommand

from apps.docflow.services.definitions import sync_reference_files


class Command(BaseCommand):
    help = "Muat alur kerja, format cetak, kop surat dan seri penomoran dari berkas aplikasi (tanpa menimpa suntingan administrator)."

    def handle(self, *args, **options):
        for line in sync_reference_files():
            self.stdout.write(line)
