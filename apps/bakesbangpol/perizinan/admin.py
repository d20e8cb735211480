from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.docflow.desk.document_admin import DocumentAdmin

from .models import PERSYARATAN_SKT, PermohonanIzinPenelitian, PermohonanSKT


class KecamatanFilter(admin.SimpleListFilter):
    """The kecamatan of Kota Pasuruan: fixed choices, no SELECT DISTINCT per page."""

    title = _("kecamatan")
    parameter_name = "kecamatan__exact"
    KECAMATAN = ("Bugul Kidul", "Gadingrejo", "Panggungrejo", "Purworejo")

    def lookups(self, request, model_admin):
        return [(k, k) for k in self.KECAMATAN]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(kecamatan=value) if value else queryset


@admin.register(PermohonanSKT)
class PermohonanSKTAdmin(DocumentAdmin):
    list_display = ("name", "nama_ormas", "workflow_state", "number", "due_at", "modified_at")
    list_filter = ("workflow_state", KecamatanFilter)
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


class StatusIzinFilter(admin.SimpleListFilter):
    title = _("status izin")
    parameter_name = "status_izin"

    def lookups(self, request, model_admin):
        return [("aktif", _("Aktif")), ("akan", _("Belum mulai")), ("kedaluwarsa", _("Kedaluwarsa"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        today = timezone.localdate()
        issued = queryset.filter(workflow_state="Surat Izin Terbit")
        if self.value() == "aktif":
            return issued.filter(tanggal_mulai__lte=today, tanggal_selesai__gte=today)
        if self.value() == "akan":
            return issued.filter(tanggal_mulai__gt=today)
        if self.value() == "kedaluwarsa":
            return issued.filter(tanggal_selesai__lt=today)
        return queryset


@admin.register(PermohonanIzinPenelitian)
class PermohonanIzinPenelitianAdmin(DocumentAdmin):
    list_display = ("name", "nama_peneliti", "instansi", "workflow_state", "number", "tanggal_mulai", "tanggal_selesai")
    list_filter = (StatusIzinFilter, "workflow_state", "status_pemohon")
    search_fields = ("name", "number", "nama_peneliti", "instansi", "judul")
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Pemohon"),
            {
                "fields": (
                    ("nama_peneliti", "nik"),
                    ("status_pemohon", "instansi"),
                    "program_studi",
                    "alamat",
                    ("telepon", "email"),
                )
            },
        ),
        (
            _("Penelitian"),
            {"fields": ("judul", "tujuan", "lokasi", ("tanggal_mulai", "tanggal_selesai"), "anggota", "pembimbing")},
        ),
        (_("Surat pengantar"), {"fields": (("nomor_surat_pengantar", "tanggal_surat_pengantar"), "kode_klasifikasi")}),
    )
