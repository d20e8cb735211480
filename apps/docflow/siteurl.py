"""The site's public address for links that leave the site (QR codes,
verification links, e-mail): ``SITE_URL`` when set, else the host of the
request being served (checked against ALLOWED_HOSTS by Django), never a
hard-coded default."""

import contextvars

from django.conf import settings

_request_base = contextvars.ContextVar("docflow_request_base", default="")


def site_url() -> str:
    """``https://host`` without a trailing slash, or "" when neither is known
    (a command run outside any request without SITE_URL: links stay relative)."""
    return (getattr(settings, "SITE_URL", "") or _request_base.get()).rstrip("/")


class RequestBaseMiddleware:
    """Remembers the request's scheme and host for ``site_url``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            base = request.build_absolute_uri("/").rstrip("/")
        except Exception:  # noqa: BLE001 - DisallowedHost: the request fails elsewhere
            base = ""
        token = _request_base.set(base)
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)
