"""Background jobs: written with the change that asks for them, run after
commit by a worker, retried with backoff, never lost.

``enqueue(fn, **kwargs)`` writes a ``BackgroundJob`` row in the caller's
transaction (a rolled-back step leaves no job; a committed one always has its
job: the row is the outbox) and hands ``run_job(pk)`` to the queue of
django-tasks once the transaction commits: its database backend in the
embedded default (``manage.py docflow_worker``), RQ with ``REDIS_URL``, the
immediate backend in tests.

``run_job`` claims the row with one conditional UPDATE (a job handed out twice
runs once), calls the function and records the outcome. A failure is retried
after ``JOBS_RETRY_BACKOFF`` seconds, doubled at each attempt, up to the job's
``max_attempts``; then the job stays *failed* with its error, in the desk
(*Pengaturan -> Pekerjaan Latar*), where the administrator can run it again.

``recover`` (at the worker's start and on every tick of the scheduler) puts
back a job whose worker died: one running on this host under a process that
no longer exists, or running elsewhere for longer than ``JOBS_LEASE_SECONDS``;
and hands out again a due job the queue never got (a process killed between
commit and hand-over, Redis down).

Only functions marked with ``@job`` run: the row names a dotted path, checked
on import.
"""

import contextvars
import datetime
import logging
import os
import socket
import traceback
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task, task_backends

from .models import BackgroundJob

logger = logging.getLogger(__name__)
Status = BackgroundJob.Status
DISPATCH_GRACE = datetime.timedelta(minutes=5)  # a handed-out job not started by then is handed out again
EARLY_SLACK = datetime.timedelta(seconds=1)
_current = contextvars.ContextVar("docflow_job", default=None)


def current() -> BackgroundJob | None:
    """The job being run (its row, with this attempt's number), or None."""
    return _current.get()


def job(fn=None, *, max_attempts: int | None = None):
    """Mark ``fn`` as runnable in the background (``enqueue(fn, ...)``)."""

    def mark(f):
        f.docflow_job = True
        f.docflow_max_attempts = max_attempts
        return f

    return mark(fn) if fn is not None else mark


def _path(fn) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _resolve(path: str):
    fn = import_string(path)
    if not getattr(fn, "docflow_job", False):
        raise ValueError(f"{path} is not a docflow job")
    return fn


def worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def enqueue(fn, *, label: str = "", run_after=None, max_attempts: int | None = None, **kwargs) -> BackgroundJob:
    """Record a job for ``fn(**kwargs)`` (JSON values) and run it after the
    current transaction commits (at once outside a transaction)."""
    path = _path(fn)
    _resolve(path)
    attempts = max_attempts or getattr(fn, "docflow_max_attempts", None) or settings.JOBS_MAX_ATTEMPTS
    row = BackgroundJob.objects.create(
        task=path,
        label=label[:255],
        kwargs=kwargs,
        max_attempts=attempts,
        run_after=run_after or timezone.now(),
    )
    transaction.on_commit(partial(dispatch, row.pk, row.run_after), robust=True)
    return row


def dispatch(pk: int, run_after=None, backend: str | None = None) -> bool:
    """Hand ``run_job(pk)`` to the queue. False when the queue refused (the
    job stays due; ``recover`` hands it out again)."""
    try:
        target = run_job.using(backend=backend) if backend else run_job
        deferred = run_after is not None and run_after > timezone.now()
        if deferred:
            if not task_backends[target.backend].supports_defer:
                return False  # the immediate backend: the next tick of the scheduler hands it out when due
            target = target.using(run_after=run_after)
        BackgroundJob.objects.filter(pk=pk).update(dispatched_at=timezone.now())
        target.enqueue(pk)
        return True
    except Exception:  # noqa: BLE001 - a queue outage must not undo a committed step
        logger.exception("docflow: handing job %s to the queue failed", pk)
        return False


def backoff(attempt: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.JOBS_RETRY_BACKOFF * (2 ** max(attempt - 1, 0)))


@task()
def run_job(pk: int) -> str:
    """The one django-tasks task: run the recorded job ``pk`` once."""
    return execute(pk)


def execute(pk: int, *, now=None) -> str:
    now = now or timezone.now()
    claimed = BackgroundJob.objects.filter(pk=pk, status__in=(Status.QUEUED, Status.RETRY), run_after__lte=now).update(
        status=Status.RUNNING, attempts=F("attempts") + 1, started_at=now, worker=worker_id()
    )
    if not claimed:
        early = BackgroundJob.objects.filter(pk=pk, status__in=(Status.QUEUED, Status.RETRY), run_after__gt=now)
        when = early.values_list("run_after", flat=True).first()
        if when is not None:  # a queue's clock ahead of ours (RQ schedules by the second): hand it out again
            dispatch(pk, when + EARLY_SLACK)
        return "skipped"
    row = BackgroundJob.objects.get(pk=pk)
    token = _current.set(row)
    try:
        fn = _resolve(row.task)
        fn(**row.kwargs)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the job
        error = "".join(traceback.format_exception(exc))[-8000:]
        logger.warning("docflow: job %s (%s) failed, attempt %s: %s", pk, row.task, row.attempts, exc)
        return _failed(row, error)
    finally:
        _current.reset(token)
    BackgroundJob.objects.filter(pk=pk, status=Status.RUNNING).update(
        status=Status.DONE, finished_at=timezone.now(), last_error=""
    )
    return "done"


def _failed(row: BackgroundJob, error: str) -> str:
    if row.attempts < row.max_attempts:
        when = timezone.now() + backoff(row.attempts)
        BackgroundJob.objects.filter(pk=row.pk).update(status=Status.RETRY, run_after=when, last_error=error)
        dispatch(row.pk, when)
        return "retry"
    BackgroundJob.objects.filter(pk=row.pk).update(status=Status.FAILED, finished_at=timezone.now(), last_error=error)
    return "failed"


def retry_now(pks) -> int:
    """The administrator's "Jalankan ulang": failed jobs get one more attempt."""
    pks = list(pks)
    now = timezone.now()
    count = BackgroundJob.objects.filter(pk__in=pks, status=Status.FAILED).update(
        status=Status.RETRY, run_after=now, max_attempts=F("attempts") + 1, finished_at=None
    )
    for pk in pks:
        transaction.on_commit(partial(dispatch, pk, now), robust=True)
    return count


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _worker_dead(worker: str, started_at, now) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host == socket.gethostname()[:60] and pid.isdigit():
        return not _alive(int(pid))
    return started_at is None or started_at < now - datetime.timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def recover(*, now=None, backend: str | None = None) -> dict:
    """Put back the jobs of dead workers; hand out due jobs the queue lost."""
    now = now or timezone.now()
    requeued = failed = handed = 0
    running = BackgroundJob.objects.filter(status=Status.RUNNING)
    for row in running.only("pk", "worker", "started_at", "attempts", "max_attempts"):
        if not _worker_dead(row.worker, row.started_at, now):
            continue
        error = f"Pekerja {row.worker} berhenti saat menjalankan pekerjaan ini (percobaan {row.attempts})."
        fresh = BackgroundJob.objects.filter(pk=row.pk, status=Status.RUNNING, worker=row.worker)
        if row.attempts >= row.max_attempts:
            failed += fresh.update(status=Status.FAILED, finished_at=now, last_error=error)
        else:
            requeued += fresh.update(status=Status.RETRY, run_after=now, last_error=error, dispatched_at=None)
    due = BackgroundJob.objects.filter(status__in=(Status.QUEUED, Status.RETRY), run_after__lte=now).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - DISPATCH_GRACE)
    )
    for pk in due.values_list("pk", flat=True)[:500]:
        handed += dispatch(pk, None, backend)
    _tidy_queue_rows(now)
    return {"requeued": requeued, "failed": failed, "dispatched": handed}


def _tidy_queue_rows(now) -> None:
    """django-tasks' database backend leaves the row of a killed worker
    *running* for ever; mark it failed (the job itself was put back above)."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the RQ deployment
        return
    for result in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at"):
        workers = result.worker_ids or []
        if workers and _worker_dead(str(workers[-1]), result.started_at, now):
            DBTaskResult.objects.filter(pk=result.pk).update(
                status="FAILED", finished_at=now, exception_class_path="", traceback="worker died"
            )


# --- jobs of the engine itself --------------------------------------------------------


@job
def send_email(*, subject: str, body: str, to: list, from_email: str | None = None) -> None:
    """E-mail through Django's backend; an SMTP error fails the attempt (retried)."""
    from django.core.mail import send_mail

    send_mail(subject, body, from_email, to, fail_silently=False)


@job
def render_issued(*, issued_id: int) -> None:
    from . import issuing

    if not issuing.render_issued_pk(issued_id):
        from .models import IssuedDocument

        error = IssuedDocument.objects.filter(pk=issued_id).values_list("render_error", flat=True).first()
        if error is not None:
            raise RuntimeError(error or "render failed")


# --- the scheduler's table --------------------------------------------------------------

_scheduled: dict[str, tuple] = {}


def scheduled(*, every: int, name: str | None = None):
    """Run ``fn()`` as a background job every ``every`` seconds from the
    scheduler (``manage.py docflow_scheduler``). Apps register in ``ready()``."""

    def mark(fn):
        job(fn)
        _scheduled[name or _path(fn)] = (fn, every)
        return fn

    return mark


def schedule_table() -> dict[str, tuple]:
    return dict(_scheduled)


def schedule_tick(last_runs: dict, *, now=None) -> list[str]:
    """Enqueue every scheduled job whose interval has passed since
    ``last_runs[name]`` (updated in place); recover lost jobs."""
    now = now or timezone.now()
    started = []
    for name, (fn, every) in _scheduled.items():
        last = last_runs.get(name)
        if last is not None and (now - last).total_seconds() < every:
            continue
        busy = BackgroundJob.objects.filter(
            task=_path(fn), status__in=(Status.QUEUED, Status.RUNNING, Status.RETRY)
        ).exists()
        last_runs[name] = now
        if busy:  # still waiting or running since the last tick: once is enough
            continue
        enqueue(fn, label=f"Terjadwal: {name}")
        started.append(name)
    recover(now=now)
    return started
