from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerencanaanConfig(AppConfig):
    name = "apps.bakesbangpol.perencanaan"
    label = "perencanaan"
    verbose_name = _("P2 Perencanaan dan Evaluasi")
