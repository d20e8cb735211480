"""Customize Form for code-defined doctypes (Frappe's Custom Field and
Property Setter).

A custom field's value lives in the document's ``custom`` JSON column, typed
by the field on every read and write (a date is stored as its ISO text and
read back as a date, Currency as exact decimal text, Int and Float as
numbers). Custom fields appear in the desk form and list, the API (values
and filters), print formats (``doc.<field>``) and workflow conditions. A
changed property (label, order, mandatory, list column, list filter,
hidden) applies to the code-defined field in the desk and the API's form.
Both are cached per worker and follow the same stamp as data-defined
doctypes, so a change is live everywhere at once.
"""

import datetime
import decimal
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import fieldtypes as ft
from . import runtime

_cache = {"key": None, "fields": {}, "props": {}}


def _load():
    from ..models import CustomField, PropertySetter
    from ..scope import remember

    # the stamp file is read once per request (a list reads this per document);
    # a change made in this process bumps the generation at once
    key = (remember(("docflow.doctypes-stamp",), runtime._read_stamp), runtime.generation())
    if _cache["key"] == key:
        return _cache
    fields, props = {}, {}
    for cf in CustomField.objects.filter(is_removed=False).order_by("dt", "idx", "pk"):
        fields.setdefault(cf.dt, []).append(cf)
    for ps in PropertySetter.objects.all():
        props.setdefault(ps.doc_type, {})[(ps.field_name, ps.property)] = ps.value
    _cache.update(key=key, fields=fields, props=props)
    return _cache


def fields_for(doctype: str) -> list:
    try:
        return _load()["fields"].get(doctype, [])
    except Exception:  # noqa: BLE001 - before migrate, or no database access
        return []


def props_for(doctype: str) -> dict:
    try:
        return _load()["props"].get(doctype, {})
    except Exception:  # noqa: BLE001
        return {}


def prop(doctype: str, field_name: str, name: str, default=None):
    value = props_for(doctype).get((field_name, name))
    if value is None:
        return default
    if name in ("reqd", "in_list_view", "in_standard_filter", "hidden"):
        return value.strip().lower() in ("1", "true", "ya", "yes")
    if name == "idx":
        try:
            return int(value)
        except ValueError:
            return default
    return value


def names(doctype: str) -> set:
    return {cf.fieldname for cf in fields_for(doctype) if cf.fieldtype in ft.VALUE_TYPES}


def model_field(cf):
    """A detached Django field that parses and forms this custom field's values."""
    target = runtime.link_target(cf.options, {}) if cf.fieldtype == "Link" else None
    probe = SimpleNamespace(**{k: getattr(cf, k) for k in ("fieldtype", "label", "fieldname", "options", "description",
                                                             "default", "length", "precision")},
                            column_name=cf.fieldname, unique=False, in_standard_filter=False)  # fmt: skip
    if cf.fieldtype == "Link" and target is None:
        probe.fieldtype = "Data"
    field = ft.model_field(probe, link_target=target)
    field.set_attributes_from_name(cf.fieldname)
    if field.is_relation and isinstance(field.remote_field.model, str):
        from django.apps import apps

        field.remote_field.model = apps.get_model(field.remote_field.model)
    return field


def field_named(doctype: str, fieldname: str):
    for cf in fields_for(doctype):
        if cf.fieldname == fieldname:
            return cf
    return None


def stored(value):
    """The JSON form of a typed value."""
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def value(doc, cf):
    raw = (getattr(doc, "custom", None) or {}).get(cf.fieldname)
    if raw is None:
        return None
    field = model_field(cf)
    try:
        if field.is_relation:
            return field.remote_field.model._default_manager.filter(pk=raw).first()
        return field.to_python(raw)
    except ValidationError:
        return raw


def values(doc, doctype: str) -> dict:
    return {cf.fieldname: value(doc, cf) for cf in fields_for(doctype) if cf.fieldtype in ft.VALUE_TYPES}


def apply(doc, doctype: str, given: dict, user) -> None:
    """Parse, store and check the given custom values on ``doc`` (unsaved)."""
    from .hooks import holds

    errors = {}
    custom = dict(getattr(doc, "custom", None) or {})
    for key, raw in given.items():
        cf = field_named(doctype, key)
        field = model_field(cf)
        try:
            parsed = raw if (field.is_relation and hasattr(raw, "pk")) else field.to_python(raw)
            if cf.fieldtype == "Select" and parsed and parsed not in dict(ft.select_choices(cf.options)):
                raise ValidationError(_("%(value)s bukan pilihan yang tersedia.") % {"value": parsed})
        except ValidationError as exc:
            errors[key] = exc.messages
            continue
        custom[key] = stored(parsed)
    doc.custom = custom
    for cf in fields_for(doctype):
        if cf.fieldtype not in ft.VALUE_TYPES:
            continue
        current = custom.get(cf.fieldname)
        shown = not cf.depends_on or holds(cf.depends_on, doc, user)
        mandatory = cf.reqd or (cf.mandatory_depends_on and holds(cf.mandatory_depends_on, doc, user))
        if mandatory and shown and current in (None, "", False) and cf.fieldtype != "Check":
            errors.setdefault(cf.fieldname, []).append(
                _("%(label)s wajib diisi.") % {"label": cf.label or cf.fieldname}
            )
    if errors:
        raise ValidationError(errors)


def split(doctype: str, data: dict) -> tuple[dict, dict]:
    custom_names = names(doctype)
    if not custom_names:
        return data, {}
    return (
        {k: v for k, v in data.items() if k not in custom_names},
        {k: v for k, v in data.items() if k in custom_names},
    )


def check(cf) -> list[str]:
    """Problems of a custom field definition (the same rules as a DocType's fields)."""
    from .. import registry
    from . import definitions

    problems = []
    try:
        info = registry.get(cf.dt)
    except Exception:  # noqa: BLE001
        return [_("jenis dokumen %(name)s tidak dikenal.") % {"name": cf.dt}]
    if info.data_defined:
        problems.append(_("%(name)s didefinisikan sebagai data: ubah DocType-nya langsung.") % {"name": cf.dt})
    model_names = {f.name for f in info.model._meta.get_fields()} | {
        f.attname for f in info.model._meta.concrete_fields
    }
    if cf.fieldname in model_names:
        problems.append(_("nama field %(name)s sudah ada pada %(doctype)s.") % {"name": cf.fieldname, "doctype": cf.dt})
    if cf.fieldtype in ft.TABLE_TYPES:
        problems.append(_("tabel anak tidak dapat ditambahkan sebagai field tambahan."))
    row = {k: getattr(cf, k) for k in definitions.FIELD_PROPS}
    _spec, found = definitions.validate({"name": "Customize Form", "fields": [row]})
    problems += [m for k, m in found if k not in ("name",)]
    return problems
