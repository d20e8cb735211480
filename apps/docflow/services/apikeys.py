"""API keys for Frappe-style token auth (``Authorization: token key:secret``).
Only a hash of the secret is stored; the secret is shown once."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ..models import ApiKey

# last use is recorded at most this often: a read stays a read (no write per request)
LAST_USED_RESOLUTION = timedelta(minutes=5)


@transaction.atomic
def api_key_generate(*, user) -> tuple[ApiKey, str]:
    secret = secrets.token_hex(16)
    key, _created = ApiKey.objects.update_or_create(
        user=user,
        defaults={
            "api_key": secrets.token_hex(8),
            "secret_hash": ApiKey.hash_secret(secret),
            "created_at": timezone.now(),
            "last_used_at": None,
        },
    )
    return key, secret


def api_key_authenticate(*, api_key: str, api_secret: str):
    key = ApiKey.objects.select_related("user").filter(api_key=api_key).first()
    if key is None or not key.user.is_active:
        return None
    if not secrets.compare_digest(key.secret_hash, ApiKey.hash_secret(api_secret)):
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key.user
