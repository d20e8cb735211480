from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocflowConfig(AppConfig):
    name = "apps.docflow"
    label = "docflow"
    verbose_name = _("Mesin Alur Dokumen")

    def ready(self):
        from . import timelimit

        timelimit.connect()
