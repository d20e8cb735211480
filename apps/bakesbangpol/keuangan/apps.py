from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeuanganConfig(AppConfig):
    name = "apps.bakesbangpol.keuangan"
    label = "keuangan"
    verbose_name = _("P1 dan P3 Keuangan dan Sarana")
