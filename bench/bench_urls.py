"""URLs of the benchmark: the project's, plus a bare Django admin on the same
rows (a plain ModelAdmin, registered only here) as the desk list's anchor, and
the API list's floor (its anchor's query answered as JSON by a bare view).
It uses the desk's theme (django-unfold), whose templates replace Django's
admin templates for every site in this project."""

from django.http import JsonResponse
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


def raw_list(request):
    """The API list's floor: the raw ORM query of its anchor as JSON, through
    the project's middleware, with no authentication, permission or query
    language. What the API adds is the API list's figure minus this one."""
    rows = PermohonanSKT.objects.order_by("-modified_at").values("name", "nama_ormas", "workflow_state")[:20]
    return JsonResponse({"data": list(rows)})


urlpatterns = [
    path("bare-admin/", bare_site.urls),
    path("bench-raw-list/", raw_list),
    path("", include("config.urls")),
]
