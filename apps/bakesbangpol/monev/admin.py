from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.docflow.desk.document_admin import DocumentAdmin

from .models import MonevBanpol


@admin.register(MonevBanpol)
class MonevBanpolAdmin(DocumentAdmin):
    list_display = ("name", "pencairan", "tanggal_konfirmasi", "tanggal_lpj", "jumlah_digunakan", "workflow_state")
    list_filter = ("workflow_state",)
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (_("Pencairan"), {"fields": ("pencairan", "tanggal_konfirmasi")}),
        (_("LPJ"), {"fields": (("tanggal_lpj", "jumlah_digunakan"), "hasil_verifikasi")}),
        (_("Monitoring"), {"fields": ("hasil_monitoring",)}),
    )

    def get_fieldsets(self, request, obj=None):
        return (self.fieldsets[1],) if obj is None else self.fieldsets
