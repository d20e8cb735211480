"""Customize Form in the desk of a code-defined doctype: custom fields in the
form (placed after ``insert_after``, else in their own section) and the list,
and the changed properties of the doctype's own fields."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..dynamic import customize
from ..dynamic import fieldtypes as ft


def _names(fields) -> list:
    out = []
    for item in fields:
        out += list(item) if isinstance(item, (list, tuple)) else [item]
    return out


def fieldsets(doctype: str, given, engine_fieldset) -> list:
    custom = [cf for cf in customize.fields_for(doctype) if cf.fieldtype in ft.VALUE_TYPES]
    props = customize.props_for(doctype)
    if not custom and not props:
        return given
    hidden = {
        name for (name, prop), value in props.items() if prop == "hidden" and customize.prop(doctype, name, "hidden")
    }
    placed, out = set(), []
    for fs in given:
        if fs is engine_fieldset:
            out.append(fs)
            continue
        title, options = fs
        rows = []
        for item in options.get("fields", ()):
            group = [n for n in (item if isinstance(item, (list, tuple)) else [item]) if n not in hidden]
            if group:
                rows.append(tuple(group) if len(group) > 1 else group[0])
            for name in _names([item]):
                for cf in custom:
                    if cf.insert_after == name and cf.fieldname not in placed:
                        rows.append(cf.fieldname)
                        placed.add(cf.fieldname)
        order = {n: customize.prop(doctype, n, "idx") for n in _names(rows)}
        if any(v is not None for v in order.values()):
            position = {n: i for i, n in enumerate(_names(rows))}
            rows.sort(
                key=lambda r: min(
                    (order.get(n) if order.get(n) is not None else position[n] * 1.0) for n in _names([r])
                )
            )
        out.append((title, {**options, "fields": rows}))
    rest = [cf.fieldname for cf in custom if cf.fieldname not in placed and cf.fieldname not in hidden]
    if rest:
        out.append((_("Field tambahan"), {"fields": rest}))
    return out


def form(doctype: str, form_class, user, obj):
    custom = [cf for cf in customize.fields_for(doctype) if cf.fieldtype in ft.VALUE_TYPES]
    props = customize.props_for(doctype)
    if not custom and not props:
        return form_class
    from ..services.workflow import editable_fields

    allowed = editable_fields(obj, user) if obj is not None else None
    extra = {}
    for cf in custom:
        model_field = customize.model_field(cf)
        field = model_field.formfield()
        if field is None:
            continue
        if model_field.is_relation:  # a Link to a document type lists only what the user may see
            from .document_admin import visible_choices

            queryset = visible_choices(model_field, user)
            if queryset is not None:
                field.queryset = queryset
        field.required = bool(cf.reqd and not cf.depends_on)
        if allowed is not None and cf.fieldname not in allowed:
            field.disabled = True
        extra[cf.fieldname] = field
    for (name, prop), _value in props.items():
        field = form_class.base_fields.get(name)
        if field is None:
            continue
        if prop == "label":
            field.label = customize.prop(doctype, name, "label")
        elif prop == "description":
            field.help_text = customize.prop(doctype, name, "description")
        elif prop == "reqd":
            field.required = customize.prop(doctype, name, "reqd")

    class Customized(form_class):
        docflow_custom = tuple(extra)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name in extra:  # self.fields holds copies of base_fields, custom ones included
                cf = customize.field_named(doctype, name)
                value = customize.value(self.instance, cf) if self.instance is not None else None
                if value is not None:
                    self.initial[name] = getattr(value, "pk", value)

    Customized.__name__ = form_class.__name__
    Customized.base_fields = {**form_class.base_fields, **extra}
    Customized.declared_fields = {**form_class.declared_fields, **extra}  # kept by subclasses (the API's form)
    return Customized


def _column(doctype, cf):
    def show(obj):
        value = customize.value(obj, cf)
        return "-" if value in (None, "") else value

    show.short_description = cf.label or cf.fieldname
    show.__name__ = f"custom_{cf.fieldname}"
    return show


def list_display(doctype: str, given: list) -> list:
    props = customize.props_for(doctype)
    out = list(given)
    for (name, prop), _value in props.items():
        if prop == "in_list_view" and customize.prop(doctype, name, "in_list_view") and name not in out:
            out.insert(max(len(out) - 1, 1), name)
    for cf in customize.fields_for(doctype):
        if cf.in_list_view and cf.fieldtype in ft.VALUE_TYPES:
            out.insert(max(len(out) - 1, 1), _column(doctype, cf))
    return out


def _custom_filter(cf):
    choices = ft.select_choices(cf.options) if cf.fieldtype == "Select" else [("1", _("Ya")), ("0", _("Tidak"))]

    class CustomFilter(admin.SimpleListFilter):
        title = cf.label or cf.fieldname
        parameter_name = f"custom_{cf.fieldname}"

        def lookups(self, request, model_admin):
            return choices

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            if cf.fieldtype == "Check":
                return queryset.filter(**{f"custom__{cf.fieldname}": value == "1"})
            return queryset.filter(**{f"custom__{cf.fieldname}": value})

    return CustomFilter


def list_filter(doctype: str, given: list, model) -> list:
    props = customize.props_for(doctype)
    out = list(given)
    names = {f.name for f in model._meta.concrete_fields}
    for (name, prop), _value in props.items():
        if prop == "in_standard_filter" and name in names and customize.prop(doctype, name, prop) and name not in out:
            out.append(name)
    for cf in customize.fields_for(doctype):
        if cf.in_standard_filter and cf.fieldtype in ("Select", "Check"):
            out.append(_custom_filter(cf))
    return out
