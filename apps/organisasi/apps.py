from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisasiConfig(AppConfig):
    name = "apps.organisasi"
    label = "organisasi"
    verbose_name = _("Organisasi dan Kepegawaian")

    def ready(self):
        from .signals import connect

        connect()
