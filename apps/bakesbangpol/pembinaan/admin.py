import re
from decimal import Decimal

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin
from unfold.admin import ModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from apps.docflow.desk.document_admin import DocumentAdmin
from apps.docflow.desk.history import GuardedHistoryAdmin
from apps.docflow.excel import FormulaSafeResource

from . import services
from .models import HibahOrmas, Parpol, PencairanBanpol, PermohonanBanpol, TarifBanpol


class BilanganBulatWidget(widgets.IntegerWidget):
    """A whole, non-negative number (31250 or 31.250); anything else is a readable row error."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        text = str(value).strip()
        if isinstance(value, (int, float, Decimal)) and Decimal(str(value)) == Decimal(str(value)).to_integral_value():
            text = str(int(value))
        if re.fullmatch(r"-\d+(\.\d{3})*", text):
            raise ValueError(_("Nilai %(value)s harus bilangan bulat tidak negatif.") % {"value": text})
        if not re.fullmatch(r"\d+|\d{1,3}(\.\d{3})+", text):
            raise ValueError(_("Nilai %(value)s bukan bilangan bulat.") % {"value": text})
        return int(text.replace(".", ""))


class ParpolResource(FormulaSafeResource):
    """Election results imported from Excel/CSV, previewed with per-row errors."""

    jumlah_suara = fields.Field(attribute="jumlah_suara", column_name="jumlah_suara", widget=BilanganBulatWidget())
    jumlah_kursi = fields.Field(attribute="jumlah_kursi", column_name="jumlah_kursi", widget=BilanganBulatWidget())

    class Meta:
        model = Parpol
        import_id_fields = ("singkatan",)
        fields = (
            "nama",
            "singkatan",
            "tahun_pemilu",
            "jumlah_suara",
            "jumlah_kursi",
            "ketua",
            "sekretaris",
            "bendahara",
            "alamat",
            "nama_bank",
            "nomor_rekening",
            "atas_nama_rekening",
        )
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


@admin.register(Parpol)
class ParpolAdmin(GuardedHistoryAdmin, ImportExportModelAdmin, ModelAdmin):
    resource_classes = [ParpolResource]
    import_form_class = ImportForm
    export_form_class = ExportForm
    list_display = ("nama", "singkatan", "jumlah_kursi", "jumlah_suara", "tahun_pemilu")
    search_fields = ("nama", "singkatan")


@admin.register(TarifBanpol)
class TarifBanpolAdmin(GuardedHistoryAdmin, ModelAdmin):
    list_display = ("tahun_anggaran", "nilai_per_suara", "dasar")


@admin.register(PermohonanBanpol)
class PermohonanBanpolAdmin(DocumentAdmin):
    list_display = (
        "name",
        "parpol",
        "tahun_anggaran",
        "jumlah_kursi",
        "jumlah_suara",
        "jumlah_bantuan",
        "workflow_state",
    )
    list_filter = ("tahun_anggaran", "workflow_state", "parpol")
    readonly_fields = (
        *DocumentAdmin.readonly_fields,
        "jumlah_suara",
        "jumlah_kursi",
        "nilai_per_suara",
        "jumlah_bantuan",
    )
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Permohonan"),
            {"fields": (("parpol", "tahun_anggaran"), ("nomor_surat_permohonan", "tanggal_surat_permohonan"))},
        ),
        (_("Perhitungan"), {"fields": (("jumlah_kursi", "jumlah_suara"), ("nilai_per_suara", "jumlah_bantuan"))}),
        (_("TAPD"), {"fields": ("hasil_verifikasi_tapd", "rekomendasi_tapd")}),
        (
            _("Pengajuan ke Wali Kota dan penganggaran"),
            {
                "fields": (
                    ("nomor_surat_pengajuan_wali_kota", "tanggal_surat_pengajuan_wali_kota"),
                    "disposisi_wali_kota",
                    ("nomor_dokumen_anggaran", "tanggal_penetapan_anggaran"),
                )
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        return (self.fieldsets[1],) if obj is None else self.fieldsets

    # party and year fix the amount the Tim Verifikasi verifies: editable only before it
    field_states = {"parpol": (services.PERMOHONAN_DRAF,), "tahun_anggaran": (services.PERMOHONAN_DRAF,)}


@admin.register(PencairanBanpol)
class PencairanBanpolAdmin(DocumentAdmin):
    list_display = (
        "name",
        "parpol",
        "tahun_anggaran",
        "jumlah",
        "jumlah_transfer",
        "batas_lpj",
        "lpj_diterima",
        "workflow_state",
    )
    list_filter = ("tahun_anggaran", "workflow_state", "lpj_diterima")
    readonly_fields = (
        *DocumentAdmin.readonly_fields,
        "parpol",
        "tahun_anggaran",
        "jumlah",
        "batas_lpj",
        "lpj_diterima",
    )
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Permohonan pencairan"),
            {
                "fields": (
                    "permohonan",
                    ("parpol", "tahun_anggaran", "jumlah"),
                    ("nomor_surat_permohonan", "tanggal_surat_permohonan"),
                )
            },
        ),
        (_("Transfer"), {"fields": (("tanggal_transfer", "jumlah_transfer"), "referensi_transfer")}),
        (_("LPJ"), {"fields": (("batas_lpj", "lpj_diterima"),)}),
    )

    def get_fieldsets(self, request, obj=None):
        return (
            ((None, {"fields": ("permohonan", ("nomor_surat_permohonan", "tanggal_surat_permohonan"))}),)
            if obj is None
            else self.fieldsets
        )

    field_states = {f: ("Menunggu Transfer",) for f in ("tanggal_transfer", "jumlah_transfer", "referensi_transfer")}

    def get_readonly_fields(self, request, obj=None):
        """Party, year and amount come from the application, which is fixed once the disbursement exists."""
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, *(["permohonan"] if "permohonan" not in fields else [])]


@admin.register(HibahOrmas)
class HibahOrmasAdmin(DocumentAdmin):
    list_display = (
        "name",
        "nama_ormas",
        "tahun_anggaran",
        "jumlah_diajukan",
        "pagu_disetujui",
        "jumlah_transfer",
        "workflow_state",
    )
    list_filter = ("tahun_anggaran", "workflow_state")
    search_fields = ("name", "nama_ormas", "judul_proposal")
    # the Wali Kota's decision is recorded when it is taken, the transfer when it is made
    field_states = {
        **{f: ("Menunggu Keputusan Wali Kota",) for f in ("pagu_disetujui", "nomor_keputusan_wali_kota")},
        **{
            f: ("Menunggu Usulan Pencairan", "Administrasi Pencairan")
            for f in ("tanggal_usulan_pencairan", "nomor_nphd", "tanggal_nphd")
        },
        **{
            f: ("Pencairan oleh Bagian Keuangan",)
            for f in ("tanggal_transfer", "jumlah_transfer", "referensi_transfer")
        },
    }
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            _("Proposal"),
            {
                "fields": (
                    ("nama_ormas", "skt"),
                    ("ketua", "alamat"),
                    "judul_proposal",
                    ("tahun_anggaran", "jumlah_diajukan"),
                )
            },
        ),
        (_("Keputusan Wali Kota"), {"fields": (("pagu_disetujui", "nomor_keputusan_wali_kota"),)}),
        (
            _("Pencairan"),
            {
                "fields": (
                    "tanggal_usulan_pencairan",
                    ("nomor_nphd", "tanggal_nphd"),
                    ("nama_bank", "nomor_rekening"),
                    ("tanggal_transfer", "jumlah_transfer"),
                    "referensi_transfer",
                )
            },
        ),
    )

    def get_fieldsets(self, request, obj=None):
        return (self.fieldsets[1],) if obj is None else self.fieldsets
