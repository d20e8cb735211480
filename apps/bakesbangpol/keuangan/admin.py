from django.contrib import admin
from import_export import fields, widgets
from import_export.admin import ImportExportModelAdmin
from unfold.admin import ModelAdmin
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from apps.docflow.desk.history import GuardedHistoryAdmin
from apps.docflow.excel import FormulaSafeResource
from apps.docflow.printing import rupiah

from .models import AnggaranDPA


class AnggaranDPAResource(FormulaSafeResource):
    """DPA budget lines from the Bendahara's Excel (columns tahun, kode_rekening,
    uraian, sub_kegiatan, pagu), previewed with per-row errors; a line already
    there (same year and account code) is updated."""

    pagu = fields.Field(attribute="pagu", column_name="pagu", widget=widgets.DecimalWidget())

    class Meta:
        model = AnggaranDPA
        import_id_fields = ("tahun", "kode_rekening")
        fields = ("tahun", "kode_rekening", "uraian", "sub_kegiatan", "pagu")
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


@admin.register(AnggaranDPA)
class AnggaranDPAAdmin(GuardedHistoryAdmin, ImportExportModelAdmin, ModelAdmin):
    resource_classes = [AnggaranDPAResource]
    import_form_class = ImportForm
    export_form_class = ExportForm
    list_display = ("kode_rekening", "uraian", "tahun", "pagu_rp", "sisa_rp")
    list_filter = ("tahun",)
    search_fields = ("kode_rekening", "uraian", "sub_kegiatan")
    readonly_fields = ("sisa_rp",)
    fields = ("tahun", "kode_rekening", "uraian", "sub_kegiatan", "pagu", "sisa_rp")

    @admin.display(description="Pagu")
    def pagu_rp(self, obj):
        return rupiah(obj.pagu)

    @admin.display(description="Sisa pagu")
    def sisa_rp(self, obj):
        return rupiah(obj.sisa) if obj.pk else "-"
