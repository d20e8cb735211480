from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields as ie_fields
from import_export import widgets
from import_export.admin import ImportExportModelAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.contrib.import_export.forms import ExportForm, ImportForm

from apps.docflow.desk.document_admin import DocumentAdmin
from apps.docflow.desk.history import GuardedHistoryAdmin
from apps.docflow.excel import FormulaSafeResource
from apps.docflow.exceptions import DocflowError
from apps.docflow.scope import backend
from apps.organisasi.models import Unit

from . import services
from .models import (
    AnggotaTimSK,
    Arsip,
    DiktumSK,
    Disposisi,
    InstruksiDisposisi,
    KlasifikasiArsip,
    PenerimaSurat,
    SuratKeluar,
    SuratKeputusan,
    SuratMasuk,
)

# --- reference data ----------------------------------------------------------------


class KlasifikasiResource(FormulaSafeResource):
    induk = ie_fields.Field(
        attribute="induk", column_name="induk", widget=widgets.ForeignKeyWidget(KlasifikasiArsip, "kode")
    )

    class Meta:
        model = KlasifikasiArsip
        import_id_fields = ("kode",)
        fields = ("kode", "nama", "induk", "retensi_aktif", "retensi_inaktif", "nasib_akhir", "aktif")
        skip_unchanged = True
        report_skipped = True


@admin.register(KlasifikasiArsip)
class KlasifikasiArsipAdmin(GuardedHistoryAdmin, ImportExportModelAdmin, ModelAdmin):
    """Imported from the agency's Excel list (preview with per-row errors) and edited here."""

    resource_classes = [KlasifikasiResource]
    import_form_class = ImportForm
    export_form_class = ExportForm
    list_display = ("kode", "nama", "retensi_aktif", "retensi_inaktif", "nasib_akhir", "aktif")
    list_filter = ("nasib_akhir", "aktif")
    search_fields = ("kode", "nama")


@admin.register(InstruksiDisposisi)
class InstruksiDisposisiAdmin(ModelAdmin):
    list_display = ("nama", "urutan", "aktif")
    list_editable = ("urutan", "aktif")


# --- disposition form ---------------------------------------------------------------------


class DisposisiForm(forms.Form):
    unit = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kepada unit"), queryset=Unit.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    orang = forms.ModelChoiceField(
        label=gettext_lazy("Kepada orang (opsional, untuk satu unit)"), queryset=None, required=False
    )
    instruksi = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Instruksi"),
        queryset=InstruksiDisposisi.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
    )
    catatan = forms.CharField(label=gettext_lazy("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    batas_waktu = forms.DateField(
        label=gettext_lazy("Batas waktu"), widget=forms.DateInput(attrs={"type": "date"}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["orang"].queryset = (
            get_user_model().objects.filter(is_active=True, pegawai__isnull=False).order_by("pegawai__nama")
        )
        self.fields["orang"].label_from_instance = lambda u: f"{u.pegawai.nama} ({u.pegawai.unit})"
        self.fields["unit"].choices = unit_choices_by_hierarchy()
        for name in ("orang", "catatan", "batas_waktu"):
            self.fields[name].widget.attrs["class"] = "docflow-input"
        # every error names its field ("Bidang ini ..." is ambiguous: a bidang is also a unit)
        for field in self.fields.values():
            field.error_messages["required"] = _("%(label)s wajib diisi.") % {"label": field.label}
            if "invalid_choice" in field.error_messages:
                field.error_messages["invalid_choice"] = _("%(label)s: pilihan tidak sah.") % {"label": field.label}


def unit_choices_by_hierarchy() -> list:
    """The units grouped under the top of each branch (the leadership, the
    secretariat, each bidang), sub-units indented below their parent."""
    units = list(Unit.objects.order_by("urutan", "nama"))
    children: dict = {}
    for u in units:
        children.setdefault(u.induk_id, []).append(u)

    def walk(unit, depth, out):
        out.append((unit.pk, ("\u2003" * depth + "\u21b3 " if depth else "") + unit.nama))
        for child in children.get(unit.pk, []):
            walk(child, depth + 1, out)
        return out

    groups = []
    for root in children.get(None, []):
        groups.append((root.nama, [(root.pk, root.nama)]))
        for branch in children.get(root.pk, []):
            groups.append((branch.nama, walk(branch, 0, [])))
    return groups

    def clean(self):
        data = super().clean()
        orang, units = data.get("orang"), data.get("unit") or []
        if orang and len(units) != 1:
            self.add_error("orang", _("Kepada orang: disposisi kepada orang tertentu hanya untuk satu unit."))
        if data.get("batas_waktu") and data["batas_waktu"] < timezone.localdate():
            self.add_error("batas_waktu", _("Batas waktu tidak boleh sebelum hari ini."))
        return data


def _disposisi_post(request, *, surat, induk, back):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DisposisiForm(request.POST)
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, error if not label or error.startswith(str(label)) else f"{label}: {error}")
        return redirect(back)
    data = form.cleaned_data
    tujuan = [{"unit": u, "orang": data.get("orang")} for u in data["unit"]]
    try:
        made = services.disposisi_buat(
            surat=surat,
            induk=induk,
            dari=request.user,
            tujuan=tujuan,
            instruksi=data["instruksi"],
            catatan=data["catatan"],
            batas_waktu=data["batas_waktu"],
        )
    except DocflowError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(n)s disposisi dibuat.") % {"n": len(made)})
    return redirect(back)


def _chain(surat):
    return (
        surat.disposisi.select_related("kepada_unit", "kepada", "dari")
        .prefetch_related("instruksi")
        .order_by("tingkat", "created_at")
    )


@admin.register(SuratMasuk)
class SuratMasukAdmin(DocumentAdmin):
    extra_panel_template = "umum/disposisi_panel.html"
    list_display = ("nomor_agenda", "perihal", "pengirim", "nomor_surat", "sifat", "workflow_state", "tanggal_diterima")
    list_filter = ("workflow_state", "sifat")
    search_fields = ("name", "number", "nomor_surat", "pengirim", "perihal")
    date_hierarchy = "tanggal_diterima"
    readonly_fields = (*DocumentAdmin.readonly_fields, "nomor_agenda", "tanggal_agenda")
    # the engine's letter number of an incoming letter is its agenda number; the
    # sender's own number is the letter's "Nomor surat pengirim"
    engine_fieldset = (
        gettext_lazy("Status dan registrasi"),
        {
            "fields": (
                ("name", "workflow_state"),
                ("nomor_agenda", "tanggal_agenda"),
                ("state_entered_at", "due_at"),
                "unit",
            )
        },
    )
    fieldsets = (
        engine_fieldset,
        (
            gettext_lazy("Surat"),
            {
                "fields": (
                    ("pengirim", "nomor_surat"),
                    ("tanggal_surat", "tanggal_diterima"),
                    "perihal",
                    ("sifat", "lampiran"),
                    "ringkasan",
                    "klasifikasi",
                )
            },
        ),
    )

    @admin.display(description=gettext_lazy("Nomor agenda"), ordering="number")
    def nomor_agenda(self, obj):
        return obj.number or "—"

    @admin.display(description=gettext_lazy("Tanggal agenda"))
    def tanggal_agenda(self, obj):
        return obj.number_date or "—"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "nomor_surat" in form.base_fields:
            form.base_fields["nomor_surat"].label = _("Nomor surat pengirim")
        return form

    def get_urls(self):
        return [
            path(
                "<int:pk>/disposisi/", self.admin_site.admin_view(self.disposisi_view), name="umum_suratmasuk_disposisi"
            )
        ] + super().get_urls()

    def disposisi_view(self, request, pk):
        surat = self._get_visible(request, pk)
        back = reverse("admin:umum_suratmasuk_change", args=[surat.pk])
        return _disposisi_post(request, surat=surat, induk=None, back=back)

    def extra_panel_context(self, request, obj):
        can = obj.workflow_state == "Menunggu Disposisi" and any(
            g.role == "Kepala Badan" for g in backend().grants(request.user)
        )
        return {
            "disposisi_chain": _chain(obj),
            "disposisi_form": DisposisiForm() if can else None,
            "disposisi_url": reverse("admin:umum_suratmasuk_disposisi", args=[obj.pk]),
        }


@admin.register(Disposisi)
class DisposisiAdmin(DocumentAdmin):
    extra_panel_template = "umum/disposisi_panel.html"
    list_display = ("name", "surat_masuk", "kepada_unit", "kepada", "tingkat", "batas_waktu", "workflow_state")
    list_filter = ("workflow_state", "kepada_unit", "tingkat")
    search_fields = ("name", "surat_masuk__perihal", "surat_masuk__number", "catatan")
    readonly_fields = (*DocumentAdmin.readonly_fields, "catatan_selesai")
    fields = (
        "surat_masuk",
        "induk",
        "dari",
        "dari_jabatan",
        "kepada_unit",
        "kepada",
        "instruksi",
        "catatan",
        "batas_waktu",
        "catatan_selesai",
    )

    def has_add_permission(self, request):
        return False  # dispositions are made from the letter

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.fields]

    def get_urls(self):
        return [
            path("<int:pk>/lanjut/", self.admin_site.admin_view(self.lanjut_view), name="umum_disposisi_lanjut")
        ] + super().get_urls()

    def lanjut_view(self, request, pk):
        induk = self._get_visible(request, pk)
        back = reverse("admin:umum_disposisi_change", args=[induk.pk])
        return _disposisi_post(request, surat=induk.surat_masuk, induk=induk, back=back)

    def extra_panel_context(self, request, obj):
        can = obj.workflow_state == "Diterima" and bool(services._actions_ignoring_children(obj, request.user))
        return {
            "disposisi_chain": _chain(obj.surat_masuk),
            "disposisi_form": DisposisiForm() if can else None,
            "disposisi_url": reverse("admin:umum_disposisi_lanjut", args=[obj.pk]),
            "disposisi_lanjut": True,
        }


# --- outgoing documents -----------------------------------------------------------------------


class PenerimaInline(TabularInline):
    model = PenerimaSurat
    extra = 0
    fields = ("nama", "internal_unit", "dikirim_pada", "diterima_pada", "diterima_oleh")


@admin.register(SuratKeluar)
class SuratKeluarAdmin(DocumentAdmin):
    inlines = [PenerimaInline]
    list_display = ("name", "number", "jenis", "hal", "unit", "workflow_state", "number_date")
    list_filter = ("workflow_state", "jenis", "unit")
    search_fields = ("name", "number", "hal", "kepada")
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            gettext_lazy("Naskah"),
            {
                "fields": (
                    ("jenis", "klasifikasi"),
                    ("sifat", "lampiran"),
                    "hal",
                    "kepada",
                    "alamat_tujuan",
                    "isi",
                    "tembusan",
                )
            },
        ),
        (gettext_lazy("Undangan"), {"fields": (("acara_hari_tanggal", "acara_waktu"), "acara_tempat", "acara_agenda")}),
    )


class DiktumInline(TabularInline):
    model = DiktumSK
    extra = 1


class AnggotaInline(TabularInline):
    model = AnggotaTimSK
    extra = 0
    autocomplete_fields = ("pengguna",)


@admin.register(SuratKeputusan)
class SuratKeputusanAdmin(DocumentAdmin):
    inlines = [DiktumInline, AnggotaInline]
    list_display = ("name", "number", "tentang", "tim", "workflow_state", "number_date")
    list_filter = ("workflow_state", "tim")
    search_fields = ("name", "number", "tentang")
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            gettext_lazy("Keputusan"),
            {
                "fields": (
                    "tentang",
                    "menimbang",
                    "mengingat",
                    "memperhatikan",
                    "menetapkan",
                    "tembusan",
                    "kode_klasifikasi",
                )
            },
        ),
        (gettext_lazy("Pembentukan tim"), {"fields": ("tim", ("tim_mulai", "tim_selesai"))}),
    )


# --- archive ------------------------------------------------------------------------------------


class JatuhTempoFilter(admin.SimpleListFilter):
    title = gettext_lazy("jatuh tempo retensi")
    parameter_name = "jatuh_tempo"

    def lookups(self, request, model_admin):
        return [("pindah", _("Waktunya dipindahkan ke inaktif")), ("akhir", _("Waktunya dimusnahkan/diserahkan"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "pindah":
            return queryset.filter(workflow_state="Aktif", aktif_sampai__lte=today)
        if self.value() == "akhir":
            return queryset.filter(workflow_state="Inaktif", inaktif_sampai__lte=today)
        return queryset


@admin.register(Arsip)
class ArsipAdmin(DocumentAdmin):
    list_display = (
        "klasifikasi",
        "nomor_surat",
        "tanggal_surat",
        "perihal",
        "pengirim_penerima",
        "lokasi",
        "aktif_sampai",
        "inaktif_sampai",
        "workflow_state",
    )
    list_filter = (JatuhTempoFilter, "workflow_state", "klasifikasi", "sumber_doctype")
    search_fields = ("nomor_surat", "klasifikasi__kode", "pengirim_penerima", "perihal", "sumber_nama")
    date_hierarchy = "tanggal_surat"
    readonly_fields = (
        *DocumentAdmin.readonly_fields,
        "aktif_sampai",
        "inaktif_sampai",
        "nasib_akhir",
        "sumber_doctype",
        "sumber_nama",
    )
    fieldsets = (
        DocumentAdmin.engine_fieldset,
        (
            gettext_lazy("Arsip"),
            {
                "fields": (
                    ("sumber_doctype", "sumber_nama"),
                    ("nomor_surat", "tanggal_surat"),
                    "perihal",
                    "pengirim_penerima",
                    "klasifikasi",
                )
            },
        ),
        (gettext_lazy("Lokasi simpan"), {"fields": (("lemari", "rak"), ("boks", "map"))}),
        (gettext_lazy("Retensi"), {"fields": (("aktif_sampai", "inaktif_sampai"), "nasib_akhir")}),
    )

    def has_add_permission(self, request):
        return False  # records are filed from their letters
