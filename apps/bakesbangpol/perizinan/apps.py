from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerizinanConfig(AppConfig):
    name = "apps.bakesbangpol.perizinan"
    label = "perizinan"
    verbose_name = _("P8 Pelayanan Perizinan")

    def ready(self):
        from .doctypes import register

        register()
