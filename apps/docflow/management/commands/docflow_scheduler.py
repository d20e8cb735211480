"""The scheduler that `make run` starts (as Frappe's scheduler): every tick it
enqueues the scheduled jobs that are due (escalation, recurring documents;
``docflow.jobs.scheduled``) and puts back jobs of dead workers. Idempotent:
a second scheduler or a restart makes no job twice that matters (escalation
and recurring documents are once-only by their own records).

Without this process, cron does the same:
    */10 * * * * cd /srv/bakesbangpol && .venv/bin/python manage.py docflow_scheduler --once
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from apps.docflow import jobs


class Command(BaseCommand):
    help = "Jalankan penjadwal (eskalasi, dokumen berulang) tanpa cron."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=60.0, help="detik antara dua putaran")
        parser.add_argument("--once", action="store_true", help="satu putaran (untuk cron), semua jadwal dijalankan")

    def handle(self, *args, tick, once, **options):
        last_runs: dict = {}
        running = [True]

        def stop(signum, frame):
            running[0] = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running[0]:
            started = jobs.schedule_tick(last_runs)
            if started and options["verbosity"] > 0:
                self.stdout.write(f"Dijadwalkan: {', '.join(started)}")
            if once:
                return
            slept = 0.0
            while running[0] and slept < tick:
                time.sleep(min(1.0, tick))
                slept += 1.0
            close_old_connections()  # as after a request: a dropped database connection is reopened
