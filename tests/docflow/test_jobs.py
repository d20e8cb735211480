"""Background jobs: recorded with the change, run after commit, retried
with backoff, then failed with their error for the administrator; a worker
killed mid-job loses nothing; the scheduler enqueues escalation and recurring
documents."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from apps.docflow import jobs
from apps.docflow.models import BackgroundJob

from . import jobs_for_tests
from .jobs_for_tests import flaky


@pytest.fixture(autouse=True)
def _calls():
    jobs_for_tests.CALLS.clear()


def test_job_runs_after_commit_and_not_after_rollback(django_capture_on_commit_callbacks):
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.enqueue(flaky, fail_times=0, tag="batal")
        raise RuntimeError("langkah gagal")
    assert not BackgroundJob.objects.exists() and jobs_for_tests.CALLS == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row = jobs.enqueue(flaky, fail_times=0, tag="jalan", label="Uji")
        assert jobs_for_tests.CALLS == []  # not before commit
    row.refresh_from_db()
    assert jobs_for_tests.CALLS == ["jalan"] and (row.status, row.attempts) == ("done", 1)


def test_failed_job_is_retried_with_backoff_then_kept_with_its_error(
    login_as, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_RETRY_BACKOFF = 10
    with django_capture_on_commit_callbacks(execute=True):
        row = jobs.enqueue(flaky, fail_times=5, tag="rusak")
    row.refresh_from_db()
    assert row.status == "retry" and row.attempts == 1 and "tidak menjawab" in row.last_error
    assert 9 <= (row.run_after - timezone.now()).total_seconds() <= 11
    assert jobs.execute(row.pk) == "skipped"  # not due yet
    assert jobs.execute(row.pk, now=row.run_after) == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2 and "ConnectionError" in row.last_error
    client = login_as("admin")
    page = client.get(f"/app/docflow/backgroundjob/{row.pk}/change/")
    assert "layanan rusak tidak menjawab" in page.content.decode()
    # the administrator runs it again from the desk: one more attempt
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/app/docflow/backgroundjob/", {"action": "retry", "_selected_action": [row.pk]}, follow=True
        )
    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)  # it failed again, with its error
    assert jobs_for_tests.CALLS == ["rusak"] * 3


def test_only_marked_functions_run():
    with pytest.raises(ValueError):
        jobs.enqueue(jobs_for_tests.not_a_job)
    row = BackgroundJob.objects.create(task="tests.docflow.jobs_for_tests.not_a_job", max_attempts=1)
    assert jobs.execute(row.pk) == "failed"
    assert jobs_for_tests.CALLS == []


def test_email_is_a_job_retried_on_smtp_failure(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: the attempt fails
    with django_capture_on_commit_callbacks(execute=True):
        row = jobs.enqueue(jobs.send_email, subject="Uji", body="Isi", to=["a@example.org"])
    row.refresh_from_db()
    assert row.status == "retry" and mail.outbox == []
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs.execute(row.pk, now=row.run_after) == "done"
    assert [m.subject for m in mail.outbox] == ["Uji"]


def test_scheduler_enqueues_escalation_and_recurring_documents_once_per_interval(django_capture_on_commit_callbacks):
    last: dict = {}
    with django_capture_on_commit_callbacks(execute=True):
        started = jobs.schedule_tick(last)
    assert set(started) >= {"escalate_overdue", "auto_repeat"}
    assert set(BackgroundJob.objects.values_list("status", flat=True)) == {"done"}
    assert jobs.schedule_tick(last) == []  # within the hour: nothing again
    later = timezone.now() + timezone.timedelta(hours=1, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert set(jobs.schedule_tick(last, now=later)) >= {"escalate_overdue", "auto_repeat"}
        call_command("docflow_scheduler", once=True, verbosity=0)  # the cron form
    assert BackgroundJob.objects.filter(label="Terjadwal: auto_repeat").count() == 3


def _wait(predicate, seconds=40.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _worker(site_dir, log=subprocess.DEVNULL):
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_XDIST_WORKER"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings_test",
        DOCFLOW_TEST_TASKS="database",
        SITE_DIR=str(site_dir),
        DATABASE_URL=f"sqlite:///{connection.settings_dict['NAME']}",
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "docflow_worker", "--backend", "database", "--interval", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the worker process reads the SQLite test file")
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_no_job(tmp_path):
    markers = tmp_path / "markers"
    markers.mkdir()
    row = BackgroundJob.objects.create(
        task="tests.docflow.jobs_for_tests.slow_first_attempt", kwargs={"marker_dir": str(markers)}, max_attempts=3
    )
    assert jobs.dispatch(row.pk, backend="database")
    first = _worker(settings.SITE_DIR, (tmp_path / "worker1.log").open("w"))
    try:
        assert _wait(lambda: any(markers.glob("start-1-*"))), (tmp_path / "worker1.log").read_text()
        row.refresh_from_db()
        assert row.status == "running"
        os.kill(first.pid, signal.SIGKILL)  # dies mid-job
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    row.refresh_from_db()
    assert row.status == "running"  # nobody finished it
    second = _worker(
        settings.SITE_DIR, (tmp_path / "worker2.log").open("w")
    )  # puts the dead worker's job back at start
    try:
        assert _wait(lambda: BackgroundJob.objects.get(pk=row.pk).status == "done"), (
            tmp_path / "worker2.log"
        ).read_text()
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(timeout=10)
        except subprocess.TimeoutExpired:
            second.kill()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("done", 2)
    assert sorted(p.name.split("-")[1] for p in Path(markers).glob("start-*")) == ["1", "2"]
    assert (markers / "done").exists()
