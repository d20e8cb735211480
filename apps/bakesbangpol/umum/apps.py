from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmumConfig(AppConfig):
    name = "apps.bakesbangpol.umum"
    label = "umum"
    verbose_name = _("P1 Umum dan Kepegawaian")

    def ready(self):
        from .doctypes import register

        register()
