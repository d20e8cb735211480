"""Login protection and response headers, shared by the desk, the API and the portal.

- ``client_ip``: the client's address, from the header the trusted reverse
  proxy sets (``TRUSTED_PROXY_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``), else
  ``REMOTE_ADDR``. django-axes (login lockout) and django-ratelimit (portal
  limits) both use it.
- ``lockout_response``: what a locked-out login gets (django-axes'
  ``AXES_LOCKOUT_CALLABLE``): Frappe's error shape on ``/api/``, a page
  elsewhere, in Bahasa Indonesia.
- ``AuditedCacheHandler``: django-axes' cache handler (counts shared through
  Redis) that also writes the audit log (successes and failures) to the
  database, as the database handler does.
- ``CSPMiddleware``: django-csp's middleware, with the desk's one exception
  (Alpine.js in Unfold evaluates its expressions, which needs
  ``'unsafe-eval'``) and the header only on HTML responses.
"""

import ipaddress
import json
import math

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_session_hash, get_client_username, get_cool_off
from axes.models import AccessFailureLog, AccessLog
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.conf import settings
from django.contrib import admin
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

DESK_PREFIX = "/app/"


def client_ip(request) -> str:
    """The client's IP address as the trusted proxy saw it.

    With ``TRUSTED_PROXY_IP_HEADER`` set, its value is used; for a list
    (``X-Forwarded-For``) the right-most address, the one our own proxy added.
    Anything that is not an IP address falls back to ``REMOTE_ADDR``.
    """
    header = getattr(settings, "TRUSTED_PROXY_IP_HEADER", "")
    remote = request.META.get("REMOTE_ADDR", "") or "127.0.0.1"  # e.g. a unix socket without the header
    if not header:
        return remote
    value = request.META.get(header, "").split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return remote


def lockout_message(request=None) -> str:
    cool_off = get_cool_off(request)
    if cool_off:
        minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
        return _(
            "Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
            "Coba lagi dalam %(menit)s menit."
        ) % {"menit": minutes}
    return _("Akun ini dikunci karena terlalu banyak percobaan masuk yang gagal. Hubungi Administrator Sistem.")


def lockout_json(request) -> JsonResponse:
    message = lockout_message(request)
    return JsonResponse(
        {
            "exc_type": "TooManyRequestsError",
            "exception": f"frappe.exceptions.TooManyRequestsError: {message}",
            "_server_messages": json.dumps([json.dumps({"message": message, "indicator": "red"})]),
            "message": message,
        },
        status=429,
    )


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return lockout_json(request)
    return render(
        request,
        "docflow/login_locked.html",
        {
            **admin.site.each_context(request),
            "title": _("Akun dikunci sementara"),
            "message": lockout_message(request),
            "login_url": f"{DESK_PREFIX}login/",
        },
        status=429,
    )


class AuditedCacheHandler(AxesCacheHandler):
    """Counts in the cache (shared by all workers through Redis); the audit log in the database."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or not hasattr(request, "axes_ip_address"):
            return
        if settings.AXES_ENABLE_ACCESS_FAILURE_LOG:
            AccessFailureLog.objects.create(
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                locked_out=bool(getattr(request, "axes_locked_out", False)),
            )

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        if not settings.AXES_DISABLE_ACCESS_LOG:
            AccessLog.objects.create(
                username=user.get_username(),
                ip_address=request.axes_ip_address,
                user_agent=request.axes_user_agent,
                http_accept=request.axes_http_accept,
                path_info=request.axes_path_info,
                attempt_time=request.axes_attempt_time,
                session_hash=get_client_session_hash(request),
            )

    def user_logged_out(self, sender, request, user, **kwargs):
        super().user_logged_out(sender, request, user, **kwargs)
        if user is not None and not settings.AXES_DISABLE_ACCESS_LOG:
            AccessLog.objects.filter(
                username=user.get_username(),
                logout_time__isnull=True,
                session_hash=get_client_session_hash(request),
            ).update(logout_time=request.axes_attempt_time)


class CSPMiddleware(BaseCSPMiddleware):
    """The policy on HTML pages only; the desk's scripts may also evaluate (Alpine.js)."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path.startswith(DESK_PREFIX):
            parts.update = {**(parts.update or {}), "script-src": ["'unsafe-eval'"]}
        return parts
