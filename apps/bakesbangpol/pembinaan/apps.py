from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PembinaanConfig(AppConfig):
    name = "apps.bakesbangpol.pembinaan"
    label = "pembinaan"
    verbose_name = _("P5 Pembinaan (Banpol dan Hibah Ormas)")

    def ready(self):
        from . import hooks  # noqa: F401 - named hooks of the data-defined doctypes
        from .doctypes import register

        register()
