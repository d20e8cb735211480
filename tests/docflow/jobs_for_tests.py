"""Jobs that tests enqueue (a worker process imports them by dotted path)."""

import os
import time
from pathlib import Path

from apps.docflow.jobs import job


@job(max_attempts=3)
def slow_first_attempt(*, marker_dir: str) -> None:
    """Marks each start; the first attempt hangs (until its worker is killed)."""
    folder = Path(marker_dir)
    attempt = len(list(folder.glob("start-*"))) + 1
    (folder / f"start-{attempt}-{os.getpid()}").touch()
    if attempt == 1:
        time.sleep(120)
    (folder / "done").touch()


CALLS: list = []


@job(max_attempts=2)
def flaky(*, fail_times: int, tag: str) -> None:
    CALLS.append(tag)
    if CALLS.count(tag) <= fail_times:
        raise ConnectionError(f"layanan {tag} tidak menjawab")


def not_a_job(**kwargs):
    CALLS.append("not_a_job")
