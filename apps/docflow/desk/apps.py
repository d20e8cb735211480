from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the desk's site (``desk.site.DeskSite``)
    as Django's default admin site; django-unfold is installed with its
    basic app config, which leaves the default site alone."""

    default_site = "apps.docflow.desk.site.DeskSite"
