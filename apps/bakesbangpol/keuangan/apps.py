from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KeuanganConfig(AppConfig):
    name = "apps.bakesbangpol.keuangan"
    label = "keuangan"
    verbose_name = _("P1 dan P3 Keuangan dan Sarana")

    def ready(self):
        from apps.docflow import registry

        from . import hooks  # noqa: F401 - registers the named hooks
        from .models import AnggaranDPA

        registry.register_master(
            registry.MasterType("Anggaran DPA", AnggaranDPA, name_field="name", default_order="kode_rekening")
        )
