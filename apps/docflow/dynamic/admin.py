"""The DocType builder in the desk: a DocType with its fields (drag to
reorder, pick a type, set options) and role permissions, saved through the
same ``definitions.apply`` as the API and the reference files; Frappe JSON
import (upload, preview, confirm) and export."""

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin, TabularInline

from ..desk.history import GuardedHistoryAdmin
from ..models import CustomField, DocFieldDef, DocPermDef, DocTypeDef, PropertySetter
from . import customize, definitions, runtime

FIELD_COLUMNS = (
    "fieldname", "label", "fieldtype", "options", "reqd", "in_list_view", "in_standard_filter",
    "depends_on", "mandatory_depends_on", "read_only_depends_on", "default", "description", "read_only",
    "hidden", "unique", "in_global_search", "bold", "allow_on_submit", "fetch_from", "precision", "length",
    "permlevel", "is_removed", "idx",
)  # fmt: skip


class DocFieldFormSet(BaseInlineFormSet):
    """Checks the whole definition (the DocType's values and every row) before anything is saved."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.cleaned_data.get("is_removed")
        ]
        rows.sort(key=lambda r: r.get("idx") or 0)
        spec = _spec_from(self.instance, rows, perms=None)
        _spec, problems = definitions.validate(spec)
        problems = [p for p in problems if p[0] != "permissions"]
        if problems:
            raise ValidationError([f"{k}: {m}" if k else m for k, m in problems])


class DocFieldInline(TabularInline):
    model = DocFieldDef
    formset = DocFieldFormSet
    fields = FIELD_COLUMNS
    extra = 0
    ordering_field = "idx"
    hide_ordering_field = True
    verbose_name = gettext_lazy("field")
    verbose_name_plural = gettext_lazy("Field (seret untuk mengubah urutan)")


class DocPermInline(TabularInline):
    model = DocPermDef
    fields = (
        "role", "permlevel", "read", "write", "create", "delete", "submit", "cancel", "print", "export", "report",
        "if_owner",
    )  # fmt: skip
    extra = 0
    verbose_name_plural = gettext_lazy("Izin per peran")


def _spec_from(instance, field_rows, perms) -> dict:
    spec = {key: getattr(instance, key) for key in definitions.DOCTYPE_PROPS}
    spec["fields"] = [
        {k: v for k, v in row.items() if k in definitions.FIELD_PROPS or k == "_row"} for row in field_rows
    ]
    spec["permissions"] = perms or []
    return spec


class DocTypeImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas JSON DocType (Frappe v14/v15)"), required=False)
    isi = forms.CharField(widget=forms.HiddenInput, required=False)
    impor_sebagai_data = forms.BooleanField(
        label=gettext_lazy("Jenis field, peran atau tautan yang tidak dikenal diimpor sebagai Data"), required=False
    )


@admin.register(DocTypeDef)
class DocTypeDefAdmin(GuardedHistoryAdmin, ModelAdmin):
    list_display = ("name", "module", "process_code", "istable", "is_submittable", "modified_at")
    list_filter = ("module", "istable")
    search_fields = ("name", "module", "description")
    inlines = [DocFieldInline, DocPermInline]
    readonly_fields = ("table_name",)
    fieldsets = (
        (None, {"fields": (("name", "module", "process_code"), "description")}),
        (
            gettext_lazy("Penomoran, judul dan urutan"),
            {"fields": (("autoname", "title_field", "holder_field"), ("search_fields", "sort_field", "sort_order"))},
        ),
        (
            gettext_lazy("Perilaku"),
            {
                "fields": (
                    ("is_submittable", "istable", "track_changes", "quick_entry"),
                    ("owner_unit", "validate_hook"),
                    "table_name",
                )
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        return ("table_name", "name", "istable") if obj is not None else ("table_name",)

    def save_model(self, request, obj, form, change):
        pass  # saved with its fields and permissions by definitions.apply in save_related

    def save_related(self, request, form, formsets, change):
        instance = form.instance
        field_rows, perms = [], []
        for formset in formsets:
            for f in formset.forms:
                data = getattr(f, "cleaned_data", None)
                if not data or data.get("DELETE"):
                    continue
                if formset.model is DocFieldDef and not data.get("is_removed"):
                    field_rows.append({**data, "_row": data["id"].pk if data.get("id") else ""})
                elif formset.model is DocPermDef:
                    perms.append({**{k: data.get(k) for k in definitions.PERM_PROPS}, "role": data["role"].name})
        for formset in formsets:  # the change message reads these; apply() saved the rows
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        field_rows.sort(key=lambda r: r.get("idx") or 0)
        defn = definitions.apply(_spec_from(instance, field_rows, perms))
        instance.pk = defn.pk
        instance.__dict__.update(defn.__dict__)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except definitions.DefinitionError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(request.path)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("admin:docflow_doctypedef_change", obj.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            from .. import registry

            try:
                info = registry.get(obj.name)
            except Exception:  # noqa: BLE001 - a child table has no desk of its own
                info = None
            if info is not None:
                meta = info.model._meta
                extra_context["docflow_preview_url"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
                extra_context["docflow_list_url"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
            extra_context["docflow_export_url"] = reverse("admin:docflow_doctypedef_export", args=[obj.pk])
            extra_context["docflow_history_export_url"] = reverse(
                "admin:docflow_doctypedef_history_export", args=[obj.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    change_form_template = "docflow/desk/doctype_change_form.html"

    class Media:
        js = ("docflow/doctype_builder.js",)

    def get_urls(self):
        return [
            path("<int:pk>/ekspor/", self.admin_site.admin_view(self.export_view), name="docflow_doctypedef_export"),
            path("impor/", self.admin_site.admin_view(self.import_view), name="docflow_doctypedef_import"),
            path(
                "<int:pk>/ekspor-riwayat/",
                self.admin_site.admin_view(self.history_export_view),
                name="docflow_doctypedef_history_export",
            ),
        ] + super().get_urls()

    def history_export_view(self, request, pk):
        """Every change of the definition (the DocType, its fields, its
        permissions): who, when, what, as JSON."""
        defn = self.get_object(request, str(pk))
        if defn is None or not self.has_view_permission(request, defn):
            return redirect("admin:docflow_doctypedef_changelist")
        from django.forms.models import model_to_dict

        def rows(history, kind):
            out = []
            for h in history.select_related("history_user").order_by("history_date", "history_id"):
                values = model_to_dict(h, exclude=["history_id", "history_user", "history_change_reason"])
                out.append(
                    {
                        "kind": kind,
                        "date": h.history_date.isoformat(),
                        "user": h.history_user.username if h.history_user else None,
                        "type": {"+": "dibuat", "~": "diubah", "-": "dihapus"}[h.history_type],
                        "values": values,
                    }
                )
            return out

        changes = (
            rows(DocTypeDef.history.filter(id=defn.pk), "DocType")
            + rows(DocFieldDef.history.filter(doctype_id=defn.pk), "DocField")
            + rows(DocPermDef.history.filter(doctype_id=defn.pk), "DocPerm")
        )
        changes.sort(key=lambda c: c["date"])
        body = json.dumps({"doctype": defn.name, "changes": changes}, indent=1, ensure_ascii=False, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="riwayat-{defn.name}.json"'
        return response

    def export_view(self, request, pk):
        defn = self.get_object(request, str(pk))
        if defn is None or not self.has_view_permission(request, defn):
            return redirect("admin:docflow_doctypedef_changelist")
        body = json.dumps(definitions.export(defn), indent=1, ensure_ascii=False, default=str)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{defn.name}.json"'
        return response

    def import_view(self, request):
        """Upload a DocType JSON, see what it makes (or what is wrong), then confirm."""
        if not self.has_add_permission(request):
            return redirect("admin:docflow_doctypedef_changelist")
        form = DocTypeImportForm(request.POST or None, request.FILES or None)
        preview, problems, spec = None, [], None
        if request.method == "POST" and form.is_valid():
            raw = form.cleaned_data["isi"]
            if form.cleaned_data["berkas"]:
                raw = form.cleaned_data["berkas"].read().decode("utf-8", "replace")
            try:
                spec = json.loads(raw or "null")
                if not isinstance(spec, dict):
                    raise ValueError
            except ValueError:
                form.add_error("berkas", _("Berkas bukan JSON DocType yang sah."))
            else:
                as_data = form.cleaned_data["impor_sebagai_data"]
                normalized, problems = definitions.validate(spec, allow_unknown=as_data)
                if not problems and "konfirmasi" in request.POST:
                    defn = definitions.apply(spec, allow_unknown=as_data)
                    messages.success(request, _("DocType %(name)s diimpor.") % {"name": defn.name})
                    return redirect("admin:docflow_doctypedef_change", defn.pk)
                preview = normalized
                form = DocTypeImportForm(initial={"isi": json.dumps(spec), "impor_sebagai_data": as_data})
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "preview": preview,
            "problems": problems,
            "title": _("Impor DocType (JSON Frappe)"),
        }
        return TemplateResponse(request, "docflow/desk/doctype_import.html", context)


# --- Customize Form (code-defined doctypes) -----------------------------------------------


def _code_doctypes():
    from .. import registry

    return [(i.doctype, i.doctype) for i in registry.all_doctypes() if not i.data_defined]


class CustomFieldForm(forms.ModelForm):
    class Meta:
        model = CustomField
        fields = (
            "dt", "fieldname", "label", "fieldtype", "options", "insert_after", "reqd", "default", "description",
            "depends_on", "mandatory_depends_on", "in_list_view", "in_standard_filter", "in_global_search", "idx",
        )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dt"] = forms.ChoiceField(label=_("Jenis dokumen"), choices=_code_doctypes())

    def clean(self):
        data = super().clean()
        probe = CustomField(**{k: v for k, v in data.items() if k in {f.name for f in CustomField._meta.fields}})
        for problem in customize.check(probe):
            self.add_error(None, problem)
        return data


@admin.register(CustomField)
class CustomFieldAdmin(GuardedHistoryAdmin, ModelAdmin):
    """Frappe's Customize Form: fields added to a code-defined doctype."""

    form = CustomFieldForm
    list_display = ("dt", "fieldname", "label", "fieldtype", "insert_after", "reqd", "in_list_view")
    list_filter = ("dt", "fieldtype")
    search_fields = ("dt", "fieldname", "label")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        runtime.definitions_changed()

    def delete_model(self, request, obj):
        # removed: hidden, the values stay in each document's custom column
        obj.is_removed = True
        obj.save(update_fields=["is_removed"])
        runtime.definitions_changed()


class PropertySetterForm(forms.ModelForm):
    class Meta:
        model = PropertySetter
        fields = ("doc_type", "field_name", "property", "value")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"] = forms.ChoiceField(label=_("Jenis dokumen"), choices=_code_doctypes())

    def clean(self):
        from .. import registry

        data = super().clean()
        doctype, name = data.get("doc_type"), data.get("field_name")
        if doctype and name:
            model = registry.get(doctype).model
            if name not in {f.name for f in model._meta.concrete_fields} and name not in customize.names(doctype):
                self.add_error(
                    "field_name", _("Field %(name)s tidak ada pada %(doctype)s.") % {"name": name, "doctype": doctype}
                )
        if data.get("property") == "idx" and data.get("value") and not str(data["value"]).isdigit():
            self.add_error("value", _("Urutan harus bilangan bulat."))
        return data


@admin.register(PropertySetter)
class PropertySetterAdmin(GuardedHistoryAdmin, ModelAdmin):
    """Frappe's Property Setter: label, order, mandatory, list and filter flags of a code-defined field."""

    form = PropertySetterForm
    list_display = ("doc_type", "field_name", "property", "value")
    list_filter = ("doc_type", "property")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        runtime.definitions_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        runtime.definitions_changed()
