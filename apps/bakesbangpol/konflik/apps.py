from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KonflikConfig(AppConfig):
    name = "apps.bakesbangpol.konflik"
    label = "konflik"
    verbose_name = _("P6 Penanganan Konflik dan Kewaspadaan")

    def ready(self):
        from .doctypes import register

        register()
