"""A time budget for the database work of one request.

``REQUEST_DB_TIME_LIMIT`` (seconds, 0 switches it off). On SQLite a progress
handler on every connection aborts a statement once the request that runs it
is past its budget (SQLite has no statement timeout of its own, and a worker
stuck in one statement answers nobody). PostgreSQL (``statement_timeout``) and
MariaDB (``max_statement_time``) get the same limit per statement as
connection options in settings. A statement stopped this way answers 503 with
a message instead of a 500.
"""

import contextvars
import json
import time

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _

_deadline = contextvars.ContextVar("request_db_deadline", default=None)
PROGRESS_STEPS = 100  # SQLite virtual machine instructions between checks


def limit() -> float:
    return float(getattr(settings, "REQUEST_DB_TIME_LIMIT", 0) or 0)


def _progress() -> int:
    deadline = _deadline.get()
    return 1 if deadline is not None and time.monotonic() > deadline else 0


def install_progress_handler(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.set_progress_handler(_progress, PROGRESS_STEPS)


def connect():
    connection_created.connect(install_progress_handler, dispatch_uid="docflow-timelimit")


class deadline:  # noqa: N801 - used as a context manager
    """Run a block under the request budget (the middleware, jobs, tests)."""

    def __init__(self, seconds: float | None = None):
        self.seconds = limit() if seconds is None else seconds

    def __enter__(self):
        self.token = _deadline.set(time.monotonic() + self.seconds if self.seconds > 0 else None)
        return self

    def __exit__(self, *exc):
        _deadline.reset(self.token)
        return False


def is_timeout(exc) -> bool:
    """A statement stopped by the time limit, on any of the three databases."""
    if not isinstance(exc, DatabaseError):
        return False
    cause = exc.__cause__ or exc
    if getattr(cause, "sqlstate", None) == "57014":  # PostgreSQL query_canceled
        return True
    args = getattr(cause, "args", ())
    if args and args[0] in (1969, 3024):  # MariaDB max_statement_time, MySQL max_execution_time
        return True
    return "interrupted" in str(cause).lower()


class RequestTimeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with deadline():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_timeout(exception):
            return None
        message = _(
            "Permintaan ini melewati batas waktu %(s)s detik untuk basis data. Persempit filter lalu coba lagi."
        ) % {"s": f"{limit():g}"}
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "exc_type": "TimeoutError",
                    "exception": f"frappe.exceptions.TimeoutError: {message}",
                    "_server_messages": json.dumps([json.dumps({"message": message, "indicator": "red"})]),
                    "message": message,
                },
                status=503,
            )
        return HttpResponse(f"<h1>503</h1><p>{escape(message)}</p>", status=503)
