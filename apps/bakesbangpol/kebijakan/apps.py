from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KebijakanConfig(AppConfig):
    name = "apps.bakesbangpol.kebijakan"
    label = "kebijakan"
    verbose_name = _("P4 Kebijakan Teknis")
