from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from apps.docflow.services.apikeys import api_key_generate


class Command(BaseCommand):
    help = "Buat (atau ganti) kunci API pengguna; mencetak api_key:api_secret sekali saja."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username} tidak ada.")
        key, secret = api_key_generate(user=user)
        self.stdout.write(f"{key.api_key}:{secret}")
