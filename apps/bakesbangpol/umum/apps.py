from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UmumConfig(AppConfig):
    name = "apps.bakesbangpol.umum"
    label = "umum"
    verbose_name = _("P1 Umum dan Kepegawaian")

    def ready(self):
        from . import hooks  # noqa: F401 - registers the named hooks of P1.1 and P1.2.3
        from .doctypes import register

        register()
