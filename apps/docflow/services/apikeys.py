"""API keys for Frappe-style token auth (``Authorization: token key:secret``).
Only a hash of the secret is stored; the secret is shown once."""

import secrets

from django.db import transaction
from django.utils import timezone

from ..models import ApiKey


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
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key.user
