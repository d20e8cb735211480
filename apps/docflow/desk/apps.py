from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the desk's site (``desk.site.DeskSite``)
    as Django's default admin site; django-unfold is installed with its
    basic app config, which leaves the default site alone."""

    default_site = "apps.docflow.desk.site.DeskSite"

    def ready(self):
        super().ready()
        from .site import headers_once_per_list

        headers_once_per_list()
