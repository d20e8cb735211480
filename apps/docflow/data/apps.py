from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocflowDataConfig(AppConfig):
    name = "apps.docflow.data"
    label = "docflow_data"
    verbose_name = _("Dokumen (didefinisikan sebagai data)")
    default_auto_field = "django.db.models.BigAutoField"
