"""Test settings: the same as production but fast hashing, in-memory e-mail
and a throw-away site directory."""

import os
import tempfile

if os.environ.get("PYTEST_XDIST_WORKER"):
    # Each pytest-xdist worker gets its own site directory (private files and
    # the SQLite test database); it would otherwise inherit the controller's.
    os.environ["SITE_DIR"] = tempfile.mkdtemp(prefix=f"bakesbangpol-test-{os.environ['PYTEST_XDIST_WORKER']}-")
else:
    os.environ.setdefault("SITE_DIR", tempfile.mkdtemp(prefix="bakesbangpol-test-"))
os.environ.setdefault("TESTING", "1")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
RATELIMIT_ENABLE = True

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not :memory:, so threads and the live server share one database.
    DATABASES["default"]["TEST"] = {"NAME": str(SITE_DIR / "test.sqlite3")}  # noqa: F405
    # A throw-away database: no fsync.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"  # noqa: F405
(SITE_DIR / "static").mkdir(exist_ok=True)  # noqa: F405

# Login lockout on, as in production; counts live in the database (rolled back
# after each test) and the cache (cleared by tests/conftest.py).
AXES_ENABLED = True

# Background jobs run at once, after the commit that enqueued them; the
# "database" backend is the one `make run`'s worker uses (tests/docflow/test_jobs.py).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}
if os.environ.get("DOCFLOW_TEST_TASKS") == "database":  # a worker process started by a test
    TASKS["default"] = TASKS["database"]
