"""The desk of a data-defined doctype: the engine's DocumentAdmin with its
list columns, filters, search, sections, columns, tabs and child-table grids
taken from the definition, and depends_on evaluated live in the browser
(docflow/dynamic_form.js) and again on the server (``hooks.validate``).

The admin site's URLs follow the registered admins (``LiveAdminURLs``): a
doctype saved in one worker appears in every worker's desk at its next
request, without reloading the URLconf."""

import json
import threading

from django import forms
from django.contrib import admin
from django.urls import URLResolver
from django.urls.resolvers import RoutePattern
from django.utils.translation import gettext_lazy as _
from unfold.admin import TabularInline

from ..desk.document_admin import DocumentAdmin, WorkflowStateFilter, _visible_choices
from .hooks import expression, field_access
from .runtime import live_fields, version


def _layout(defn, names: set) -> list:
    """Fieldsets from Section, Column and Tab breaks: a section's columns side
    by side (rows of one field per column)."""
    fieldsets, tab = [], None
    title, columns = None, [[]]

    def close():
        nonlocal columns
        cols = [c for c in columns if c]
        if cols:
            depth = max(len(c) for c in cols)
            rows = []
            for i in range(depth):
                row = tuple(c[i] for c in cols if i < len(c))
                rows.append(row if len(row) > 1 else row[0])
            options = {"fields": rows}
            if tab:
                options["classes"] = ["tab"]
            fieldsets.append((title if title is not None else (tab or None), options))
        columns = [[]]

    for f in live_fields(defn):
        if f.fieldtype == "Tab Break":
            close()
            tab, title = f.label or f.fieldname, f.label or f.fieldname
        elif f.fieldtype == "Section Break":
            close()
            title = f.label or None
        elif f.fieldtype == "Column Break":
            columns.append([])
        elif f.fieldname in names:
            columns[-1].append(f.fieldname)
    close()
    return fieldsets


class DataDocumentAdmin(DocumentAdmin):
    """Configured per doctype by ``register_desk``."""

    docflow_definition = None
    change_form_template = "docflow/desk/change_form.html"

    class Media:
        js = ("docflow/dynamic_form.js",)

    def get_fieldsets(self, request, obj=None):
        defn = self.docflow_definition
        names = {f.name for f in self.model._meta.concrete_fields if f.editable} - {"id"}
        readable, _writable = field_access(defn, request.user)
        hidden = {f.fieldname for f in live_fields(defn) if f.permlevel and f.permlevel not in readable}
        fieldsets = _layout(defn, names - hidden)
        if not fieldsets:
            fieldsets = [(None, {"fields": []})]
        if obj is not None:
            fieldsets = [self.engine_fieldset, *fieldsets]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        info = self._info()
        if info.locked_fields is not None:
            fields += [f for f in info.locked_fields(obj, request.user) if f not in fields]
        fields += [
            f.fieldname for f in live_fields(self.docflow_definition) if f.read_only or f.fieldtype == "Read Only"
        ]
        return fields

    actions = ["export_xlsx"]

    @admin.action(description=_("Ekspor ke Excel"))
    def export_xlsx(self, request, queryset):
        """The chosen rows (already through the visibility selector) as a workbook;
        needs DocPerm's export right."""
        from django.core.exceptions import PermissionDenied

        from ..excel import xlsx_response

        info = self._info()
        if not info.allows(request.user, "export"):
            raise PermissionDenied(_("Anda tidak berwenang mengekspor %(doctype)s.") % {"doctype": info.doctype})
        hidden = info.hidden_fields(request.user) if info.hidden_fields else set()  # permission levels
        fields = [f for f in self.model._meta.concrete_fields if f.name not in ("id", "custom", "state_seq", *hidden)]
        rows = [[_cell(getattr(doc, f.name)) for f in fields] for doc in queryset.order_by("-pk")[:10000]]
        return xlsx_response(info.doctype, info.doctype, [str(f.verbose_name) for f in fields], rows)

    def _info(self):
        from .. import registry

        return registry.for_model(self.model)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        rules = {}
        for f in live_fields(self.docflow_definition):
            field = form.base_fields.get(f.fieldname)
            if field is None:
                continue
            if f.reqd and not f.depends_on:
                field.required = True
            rule = {
                key: expression(getattr(f, key))
                for key in ("depends_on", "mandatory_depends_on", "read_only_depends_on")
                if getattr(f, key)
            }
            if rule:
                rules[f.fieldname] = rule
                field.widget.attrs["data-docflow-rule"] = json.dumps(rule)
            if f.fieldtype in ("Attach", "Attach Image"):
                form.base_fields[f.fieldname] = _attach_field(f, field)
        form.docflow_rules = rules
        return form

    def save_related(self, request, form, formsets, change):
        """The grids' rows are saved after the document: a named hook that
        computes from them (a total) runs once more over the saved rows."""
        super().save_related(request, form, formsets, change)
        if self.docflow_definition.validate_hook and any(fs.has_changed() for fs in formsets):
            from ..services.workflow import document_update

            saved = document_update(doc=form.instance, user=request.user, data={})
            form.instance.__dict__.update(saved.__dict__)

    def get_inline_instances(self, request, obj=None):
        instances = []
        for fieldname, child in self._info().children.items():
            inline_class = _inline_for(child, fieldname)
            instances.append(inline_class(self.model, self.admin_site))
        return instances


def _cell(value):
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


class AttachField(forms.FileField):
    """An Attach field: the upload becomes a private File (checked by its content)."""

    def __init__(self, *, image=False, **kwargs):
        self.image = image
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        from ..services.files import file_create

        value = super().clean(data, initial)
        if value is None or value is False or not hasattr(value, "read"):
            return None if value is False else initial
        record = file_create(uploaded=value, user=getattr(self, "docflow_user", None))
        if self.image and not record.content_type.startswith("image/"):
            record.file.delete(save=False)
            record.delete()
            raise forms.ValidationError(_("Berkas harus berupa gambar JPEG atau PNG."))
        return record


def _attach_field(f, field):
    return AttachField(
        image=f.fieldtype == "Attach Image",
        required=field.required,
        label=field.label,
        help_text=field.help_text,
    )


class ChildRowsInline(TabularInline):
    """A child table's grid: its rows are part of the parent document, so the
    parent's rights (and state) decide, as in Frappe; rows have no rights of their own."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _may_write(self, request, obj):
        parent = self._parent_admin()
        return parent.has_add_permission(request) if obj is None else parent.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A row's Link to a document type lists only what the user may see."""
        queryset = _visible_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request, obj)


def _inline_for(child, fieldname):
    value_fields = [f.name for f in child._meta.concrete_fields if f.name not in ("id", "parent", "idx")]
    return type(
        f"{child.__name__}Inline",
        (ChildRowsInline,),
        {
            "model": child,
            "fk_name": "parent",
            "fields": (*value_fields, "idx"),
            "extra": 0,
            "ordering_field": "idx",
            "hide_ordering_field": True,
            "verbose_name": _("baris"),
            "verbose_name_plural": child._meta.verbose_name_plural,
        },
    )


def register_desk(defn, info):
    model = info.model
    fields = live_fields(defn)
    names = {f.name for f in model._meta.concrete_fields}
    in_list = [f.fieldname for f in fields if f.in_list_view and f.fieldname in names]
    title = defn.title_field if defn.title_field in names else None
    list_display = (
        "name",
        *([title] if title and title not in in_list else []),
        *in_list,
        "workflow_state",
        "modified_at",
    )
    filters = [
        f.fieldname
        for f in fields
        if f.in_standard_filter
        and f.fieldname in names
        and f.fieldtype in ("Select", "Check", "Date", "Datetime", "Link")
    ]
    searchable = [
        f.fieldname
        for f in fields
        if f.fieldname in names
        and f.fieldtype in ("Data", "Small Text", "Text", "Select", "Read Only", "Dynamic Link")
        and (f.in_global_search or f.fieldname in _split(defn.search_fields) or f.fieldname == title)
    ]
    ordering = ("-pk",)
    if defn.sort_field and defn.sort_field in names:
        ordering = (("-" if defn.sort_order == "DESC" else "") + defn.sort_field, "-pk")
    admin_class = type(
        f"{model.__name__}Admin",
        (DataDocumentAdmin,),
        {
            "docflow_definition": defn,
            "list_display": list_display,
            "list_filter": (WorkflowStateFilter, *filters),
            "search_fields": ("name", "number", *searchable),
            "ordering": ordering,
            "field_states": {},
        },
    )
    admin.site.register(model, admin_class)


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class LiveAdminURLs(URLResolver):
    """``path(prefix, admin.site.urls)`` that follows the admins registered
    since: rebuilt when the data-defined doctypes change (``version()``)."""

    def __init__(self, prefix: str, site):
        self._site, self._built_for, self._build_lock = site, None, threading.Lock()
        self._patterns = []
        super().__init__(RoutePattern(prefix), None, app_name="admin", namespace=site.name)

    def _refresh(self):
        from .runtime import ensure_current

        ensure_current()
        current = version()
        if self._built_for == current:
            return
        with self._build_lock:
            if self._built_for == current:
                return
            self._patterns = self._site.get_urls()
            self._reverse_dict.clear()
            self._namespace_dict.clear()
            self._app_dict.clear()
            self._callback_strs = set()
            self._populated = False
            self._built_for = current

    @property
    def url_patterns(self):
        self._refresh()
        return self._patterns

    @property
    def urlconf_module(self):
        return self._patterns

    @property
    def reverse_dict(self):
        self._refresh()
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._refresh()
        return super().namespace_dict

    @property
    def app_dict(self):
        self._refresh()
        return super().app_dict
