from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from unfold.admin import ModelAdmin, TabularInline

from apps.docflow.desk.history import GuardedHistoryAdmin
from apps.docflow.services.files import file_create

from .models import Eskalasi, Indikator, RealisasiIKU, TargetIKU
from .services import realisasi_iku_catat


class TargetInline(TabularInline):
    model = TargetIKU
    extra = 0


@admin.register(Indikator)
class IndikatorAdmin(GuardedHistoryAdmin, ModelAdmin):
    list_display = ("urutan", "nama", "satuan", "proses_terkait")
    inlines = [TargetInline]


class RealisasiForm(forms.ModelForm):
    berkas_bukti = forms.FileField(label=_("Unggah bukti dukung (PDF, JPEG, PNG)"), required=False)

    class Meta:
        model = RealisasiIKU
        fields = ("indikator", "tahun", "nilai", "keterangan")

    def clean(self):
        data = super().clean()
        if not self.instance.bukti_id and not data.get("berkas_bukti"):
            raise forms.ValidationError(_("Realisasi IKU wajib disertai bukti dukung."))
        return data


@admin.register(RealisasiIKU)
class RealisasiIKUAdmin(GuardedHistoryAdmin, ModelAdmin):
    """Entered by the planning officer (role Perencana) with the evidence."""

    form = RealisasiForm
    list_display = ("indikator", "tahun", "nilai", "bukti", "dicatat_oleh", "dicatat_pada")
    list_filter = ("tahun", "indikator")
    readonly_fields = ("bukti", "dicatat_oleh", "dicatat_pada")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        bukti = obj.bukti
        if data.get("berkas_bukti"):
            bukti = file_create(uploaded=data["berkas_bukti"], user=request.user, doctype="Realisasi IKU")
        saved = realisasi_iku_catat(
            indikator=data["indikator"],
            tahun=data["tahun"],
            nilai=data["nilai"],
            user=request.user,
            bukti=bukti,
            keterangan=data.get("keterangan", ""),
        )
        obj.pk = saved.pk


@admin.register(Eskalasi)
class EskalasiAdmin(ModelAdmin):
    list_display = ("dikirim_pada", "doctype", "document_name", "state", "tingkat")
    list_filter = ("tingkat", "doctype")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
