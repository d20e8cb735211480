from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.docflow.desk.document_admin import DocumentAdmin

from .models import PERSYARATAN_SKT, PermohonanSKT


@admin.register(PermohonanSKT)
class PermohonanSKTAdmin(DocumentAdmin):
    list_display = ("name", "nama_ormas", "workflow_state", "number", "due_at", "modified_at")
    list_filter = ("workflow_state", "kecamatan")
    search_fields = ("name", "number", "nama_ormas", "ketua_nama")
    readonly_fields = (*DocumentAdmin.readonly_fields, "masa_berlaku_sampai")
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Ormas/LSM"),
            {
                "fields": (
                    ("nama_ormas", "singkatan"),
                    "bidang_kegiatan",
                    "alamat_sekretariat",
                    ("kelurahan", "kecamatan"),
                    ("telepon", "email"),
                    ("nomor_akta", "tanggal_akta", "notaris"),
                    "npwp",
                )
            },
        ),
        (_("Pengurus"), {"fields": (("ketua_nama", "ketua_nik"), ("sekretaris_nama", "bendahara_nama"))}),
        (_("Surat permohonan"), {"fields": (("nomor_surat_permohonan", "tanggal_surat_permohonan"),)}),
        (_("Kelengkapan persyaratan (Permendagri 57/2017)"), {"fields": [f for f, _label in PERSYARATAN_SKT]}),
        (_("Survei lokasi"), {"fields": (("tanggal_survei", "petugas_survei"), "hasil_survei")}),
        (
            _("Penerbitan, arsip dan penyerahan"),
            {
                "fields": (
                    "kode_klasifikasi",
                    "masa_berlaku_sampai",
                    "lokasi_arsip",
                    ("diterima_oleh", "tanggal_penyerahan"),
                )
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets[1:]
        return self.fieldsets
