from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaporanConfig(AppConfig):
    name = "apps.laporan"
    label = "laporan"
    verbose_name = _("Laporan dan Dasbor")

    def ready(self):
        from apps.docflow import jobs

        from .services import escalate_overdue

        # hourly, by the scheduler (manage.py docflow_scheduler), as a background job
        jobs.scheduled(every=3600, name="escalate_overdue")(escalate_overdue)
