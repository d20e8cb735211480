from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "apps.bakesbangpol.monev"
    label = "monev"
    verbose_name = _("P7 Monitoring dan Evaluasi")

    def ready(self):
        from .doctypes import register

        register()
