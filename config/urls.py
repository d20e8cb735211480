from django.contrib import admin
from django.urls import include, path

from apps.docflow.admin import inbox_view
from apps.docflow.desk.collab import assigned_to_me_view, search_view
from apps.docflow.dynamic.desk import LiveAdminURLs

admin.site.site_header = "Bakesbangpol Kota Pasuruan"
admin.site.site_title = "Bakesbangpol"
admin.site.index_title = "Beranda"

urlpatterns = [
    path("app/menunggu-tindakan/", admin.site.admin_view(inbox_view), name="desk-inbox"),
    path("app/ditugaskan/", admin.site.admin_view(assigned_to_me_view), name="desk-assigned"),
    path("app/cari/", admin.site.admin_view(search_view), name="desk-search"),
    path("app/laporan/", include("apps.laporan.urls")),
    path("app/pembinaan/", include("apps.bakesbangpol.pembinaan.urls")),
    LiveAdminURLs("app/", admin.site),  # admin.site.urls, following data-defined doctypes
    path("api/", include("apps.docflow.api.urls")),
    path("", include("apps.docflow.urls")),
    path("", include("apps.portal.urls")),
]
