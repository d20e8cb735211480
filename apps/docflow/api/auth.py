"""Frappe-style authentication for the API.

- ``Authorization: token <api_key>:<api_secret>`` (per-request, no session,
  no CSRF, as in Frappe);
- the session cookie from ``POST /api/method/login``. Sessions opened by that
  login are API sessions and, like Frappe's, need no CSRF token; sessions
  opened in the desk must send ``X-Frappe-CSRF-Token`` (or ``X-CSRFToken``)
  on writes, so a page cannot ride a desk user's cookie.
"""

from django.middleware.csrf import CsrfViewMiddleware

from ..services.apikeys import api_key_authenticate

API_SESSION_FLAG = "docflow_api_login"


class TokenAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.docflow_token_auth = False
        request.docflow_bad_token = False
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if request.path.startswith("/api/") and header[:6].lower() == "token ":
            key, _sep, secret = header[6:].strip().partition(":")
            user = api_key_authenticate(api_key=key, api_secret=secret) if key and secret else None
            if user is not None:
                request.user = user
                request._cached_user = user
                request.docflow_token_auth = True
                request._dont_enforce_csrf_checks = True
            else:
                request.docflow_bad_token = True
        return self.get_response(request)


def csrf_failure(request):
    """None when the request may write; otherwise the reason it may not."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    if getattr(request, "docflow_token_auth", False):
        return None
    if not request.user.is_authenticated:
        return None  # anonymous requests write nothing but the login
    if request.session.get(API_SESSION_FLAG):
        return None
    if "HTTP_X_FRAPPE_CSRF_TOKEN" in request.META and "HTTP_X_CSRFTOKEN" not in request.META:
        request.META["HTTP_X_CSRFTOKEN"] = request.META["HTTP_X_FRAPPE_CSRF_TOKEN"]
    response = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    return None if response is None else "CSRF"
