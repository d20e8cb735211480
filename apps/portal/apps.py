from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "apps.portal"
    label = "portal"
    verbose_name = _("Portal Publik")

    def ready(self):
        from apps.docflow import registry

        from .services import notify_applicant

        registry.on_transition(notify_applicant)
