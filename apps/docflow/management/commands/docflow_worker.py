"""The background worker that `make run` starts beside gunicorn.

Embedded default: django-tasks' database worker (polls the task table).
With REDIS_URL: an RQ worker with its scheduler (deferred retries).
At start it puts back the jobs of workers that died (``docflow.jobs.recover``).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_tasks import task_backends

from apps.docflow import jobs


class Command(BaseCommand):
    help = "Jalankan pekerja latar (e-mail, webhook, PDF, eskalasi, dokumen berulang)."

    def add_arguments(self, parser):
        parser.add_argument("--backend", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="detik antara dua pemeriksaan antrean")
        parser.add_argument("--batch", action="store_true", help="kerjakan yang ada, lalu berhenti")

    def handle(self, *args, backend, interval, batch, **options):
        recovered = jobs.recover(backend=None if backend == "default" else backend)
        if any(recovered.values()):
            self.stdout.write(f"Pekerjaan dipulihkan: {recovered}")
        queue = task_backends[backend]
        if type(queue).__module__.startswith("django_tasks_rq"):
            call_command(
                "rqworker", *sorted(queue.queues), job_class="django_tasks_rq.Job", with_scheduler=True, burst=batch
            )
            return
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name=backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=jobs.worker_id()[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
