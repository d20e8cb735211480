from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.docflow.desk.document_admin import DocumentAdmin

from .models import HibahKewaspadaan


@admin.register(HibahKewaspadaan)
class HibahKewaspadaanAdmin(DocumentAdmin):
    list_display = (
        "name",
        "pemohon",
        "tahun_anggaran",
        "jumlah_diajukan",
        "jumlah_direkomendasikan",
        "pagu_disetujui",
        "workflow_state",
    )
    list_filter = ("tahun_anggaran", "workflow_state")
    search_fields = ("name", "pemohon", "judul_proposal")
    # each amount is written in the step that decides it, and stays as decided
    field_states = {
        "jumlah_direkomendasikan": ("Verifikasi Tim Hibah",),
        "pertimbangan": ("Verifikasi Tim Hibah",),
        "pagu_disetujui": ("Persetujuan Wali Kota",),
        "nomor_rka": ("Penyusunan RKA",),
        "jumlah_disesuaikan": ("Penyesuaian Proposal",),
        **{f: ("Pencairan",) for f in ("tanggal_transfer", "jumlah_transfer", "referensi_transfer")},
    }
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (_("Proposal"), {"fields": (("pemohon", "pimpinan"), "judul_proposal", ("tahun_anggaran", "jumlah_diajukan"))}),
        (_("Rekomendasi"), {"fields": ("jumlah_direkomendasikan", "pertimbangan")}),
        (_("Anggaran"), {"fields": (("pagu_disetujui", "nomor_rka"), "jumlah_disesuaikan")}),
        (_("Pencairan"), {"fields": (("tanggal_transfer", "jumlah_transfer"), "referensi_transfer")}),
    )

    def get_fieldsets(self, request, obj=None):
        return (self.fieldsets[1],) if obj is None else self.fieldsets
