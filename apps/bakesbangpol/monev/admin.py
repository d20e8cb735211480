from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.docflow.desk.document_admin import DocumentAdmin

from .models import MonevBanpol, MonevHibah


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


@admin.register(MonevHibah)
class MonevHibahAdmin(DocumentAdmin):
    list_display = ("name", "jenis_hibah", "penerima", "tahun_anggaran", "jumlah_diterima", "workflow_state")
    list_filter = ("jenis_hibah", "tahun_anggaran", "workflow_state")
    search_fields = ("name", "penerima", "kegiatan")
    readonly_fields = (
        *DocumentAdmin.readonly_fields,
        "jenis_hibah",
        "penerima",
        "kegiatan",
        "tahun_anggaran",
        "jumlah_diterima",
        "tanggal_pencairan",
    )
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Hibah"),
            {
                "fields": (
                    ("hibah_ormas", "hibah_kewaspadaan"),
                    ("jenis_hibah", "penerima"),
                    ("kegiatan", "tahun_anggaran"),
                    ("jumlah_diterima", "tanggal_pencairan"),
                    "tanggal_konfirmasi",
                )
            },
        ),
        (_("Laporan penggunaan"), {"fields": (("tanggal_lpj", "jumlah_digunakan"), "hasil_verifikasi")}),
        (_("Monitoring"), {"fields": ("hasil_monitoring", "rekomendasi")}),
    )

    def get_fieldsets(self, request, obj=None):
        return ((None, {"fields": (("hibah_ormas", "hibah_kewaspadaan"),)}),) if obj is None else self.fieldsets
