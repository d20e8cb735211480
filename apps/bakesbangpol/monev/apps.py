from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonevConfig(AppConfig):
    name = "apps.bakesbangpol.monev"
    label = "monev"
    verbose_name = _("P7 Monitoring dan Evaluasi")

    def ready(self):
        from . import hooks  # noqa: F401 - registers the named hooks of the P7 processes defined as data
        from .doctypes import register

        register()
