"""URLs of the benchmark: the project's, plus a bare Django admin on the same
rows (a plain ModelAdmin, registered only here) as the desk list's anchor."""

from django.contrib import admin
from django.urls import include, path

from apps.bakesbangpol.perizinan.models import PermohonanSKT

bare_site = admin.AdminSite(name="bare")


class BarePermohonanSKT(admin.ModelAdmin):
    list_display = ("name", "nama_ormas", "workflow_state", "kecamatan")
    list_filter = ("workflow_state", "kecamatan")
    search_fields = ("name", "number", "nama_ormas", "ketua_nama")


bare_site.register(PermohonanSKT, BarePermohonanSKT)

urlpatterns = [path("bare-admin/", bare_site.urls), path("", include("config.urls"))]
