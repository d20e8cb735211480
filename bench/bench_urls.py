"""URLs of the benchmark: the project's, plus a bare Django admin on the same
rows (a plain ModelAdmin, registered only here) as the desk list's anchor.
It uses the desk's theme (django-unfold), whose templates replace Django's
admin templates for every site in this project."""

from django.urls import include, path
from unfold.admin import ModelAdmin
from unfold.sites import UnfoldAdminSite

from apps.bakesbangpol.perizinan.models import PermohonanSKT

bare_site = UnfoldAdminSite(name="bare")


class BarePermohonanSKT(ModelAdmin):
    list_display = ("name", "nama_ormas", "workflow_state", "kecamatan")
    list_filter = ("workflow_state", "kecamatan")
    search_fields = ("name", "number", "nama_ormas", "ketua_nama")


bare_site.register(PermohonanSKT, BarePermohonanSKT)

urlpatterns = [path("bare-admin/", bare_site.urls), path("", include("config.urls"))]
