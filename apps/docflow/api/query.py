"""Frappe's list query arguments, parsed and checked before any SQL runs:
fields, filters and or_filters (``[[field, op, value]]``,
``[[doctype, field, op, value]]`` and ``{field: value}``), order_by,
limit_start, limit/limit_page_length."""

import datetime
import json
import re
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from .. import registry
from ..exceptions import DocflowError

STANDARD = {
    "name": "name",
    "owner": "created_by__username",
    "creation": "created_at",
    "modified": "modified_at",
    "modified_by": "modified_by__username",
    "docstatus": "docstatus",
    "workflow_state": "workflow_state",
}
MAX_PAGE = 1000
MAX_START = 2**31 - 1
MAX_LIKE_LENGTH = 140  # characters of a like pattern
MAX_LIKE_WILDCARDS = 8  # % and _ inside a like pattern
MAX_JSON_DEPTH = 20
INT64 = (-(2**63), 2**63 - 1)
LIKE_ESCAPE = "!"
ORDER_RE = re.compile(
    r"(?:`(?P<table>[^`]+)`\.|(?P<btable>tab\w+)\.)?`?(?P<field>\w+)`?(?:\s+(?P<dir>asc|desc))?", re.IGNORECASE
)


class QueryError(DocflowError):
    exc_type = "ValidationError"
    http_status = 417


def _no_constant(name):
    raise ValueError(name)


def _finite(text):
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(text)
    return number


def _depth(value) -> int:
    """Nesting depth of decoded JSON, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            if level > MAX_JSON_DEPTH:
                return level
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def loads(text, error_class=None, message=None):
    """json.loads for client input: no NaN/Infinity, no deep nesting; a bad
    body is the client's error (``error_class``), never a 500."""
    error_class = error_class or QueryError
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except (TypeError, ValueError, RecursionError):
        raise error_class(message or _("Isi permintaan bukan JSON yang sah.")) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise error_class(_("JSON bersarang terlalu dalam (paling banyak %(n)s tingkat).") % {"n": MAX_JSON_DEPTH})
    return data


def text_param(params, key: str, default: str = "") -> str:
    """A parameter that must be a string (doctype, name, usr, comment ...)."""
    value = params.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise QueryError(_("Parameter %(key)s harus berupa teks.") % {"key": key})
    return value


def _json(value, what):
    if value in (None, ""):
        return None
    if isinstance(value, (list, dict)):
        if _depth(value) > MAX_JSON_DEPTH:
            raise QueryError(_("%(what)s bersarang terlalu dalam.") % {"what": what})
        return value
    if not isinstance(value, str):
        raise QueryError(_("%(what)s bukan JSON yang sah.") % {"what": what})
    return loads(value, message=_("%(what)s bukan JSON yang sah.") % {"what": what})


def _aliases(model) -> dict:
    """Frappe's standard field names: a document's, or a master's `name`."""
    master = registry.master_for_model(model)
    return master.aliases if master is not None else STANDARD


def resolve_field(model, name: str) -> tuple[str, models.Field | None]:
    """ORM path and model field for an API field name, or QueryError."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name or ""):
        raise QueryError(_("Nama field tidak sah: %(name)s") % {"name": name})
    aliases = _aliases(model)
    if name in aliases:
        path = aliases[name]
        return path, model._meta.get_field(path.split("__")[0])
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        custom = _custom_field(model, name)
        if custom is not None:  # Customize Form: a key of the JSON column, compared as stored
            return f"custom__{name}", custom
        raise QueryError(_("Field tidak dikenal: %(name)s") % {"name": name}) from None
    if not field.concrete or field.many_to_many or name == "history":
        raise QueryError(_("Field tidak dikenal: %(name)s") % {"name": name})
    return (field.attname if field.is_relation else field.name), field


class _StoredCustom:
    """A custom field in the query language: values parsed by the field and
    compared in the form the JSON column stores them (ISO dates, decimal text)."""

    is_relation = False

    def __init__(self, field):
        self.field, self.name = field, field.name

    def to_python(self, value):
        from ..dynamic.customize import stored

        return stored(self.field.to_python(value))


def _custom_field(model, name):
    from ..dynamic import customize

    try:
        doctype = registry.for_model(model).doctype
    except Exception:  # noqa: BLE001 - a master: no custom fields
        return None
    cf = customize.field_named(doctype, name)
    if cf is None or cf.fieldtype not in (
        "Data",
        "Select",
        "Int",
        "Float",
        "Percent",
        "Date",
        "Datetime",
        "Check",
        "Currency",
        "Small Text",
        "Text",
        "Link",
        "Dynamic Link",
        "Time",
    ):
        return None
    return _StoredCustom(customize.model_field(cf))


def _convert(field, value):
    if value is None:
        return value
    name = field.name if field is not None else "-"
    if isinstance(value, (list, dict)):
        raise QueryError(_("Nilai untuk field %(field)s harus berupa nilai tunggal.") % {"field": name})
    if isinstance(value, str) and "\x00" in value:
        raise QueryError(_("Nilai untuk field %(field)s memuat karakter NUL.") % {"field": name})
    if field is None:
        return value
    target = field.target_field if field.is_relation else field
    try:
        result = target.to_python(value)
    except (ValidationError, TypeError, ValueError, OverflowError):
        raise QueryError(
            _("Nilai %(value)s tidak sah untuk field %(field)s.") % {"value": str(value)[:80], "field": name}
        ) from None
    if isinstance(result, int) and not isinstance(result, bool) and not INT64[0] <= result <= INT64[1]:
        raise QueryError(
            _("Nilai %(value)s di luar jangkauan field %(field)s.") % {"value": str(value)[:80], "field": name}
        )
    if settings.USE_TZ and isinstance(result, datetime.datetime) and timezone.is_naive(result):
        result = timezone.make_aware(result)  # a client's wall-clock time is local time
    return result


@models.CharField.register_lookup
@models.TextField.register_lookup
class FrappeLike(models.Lookup):
    """Case-insensitive SQL LIKE with the client's own % and _ wildcards, run by
    the database (never a regular expression, which SQLite runs in Python)."""

    lookup_name = "frappe_like"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"UPPER({lhs}) LIKE UPPER({rhs}) ESCAPE '{LIKE_ESCAPE}'", [*lhs_params, *rhs_params]


def _like(path: str, field, pattern) -> Q:
    if isinstance(pattern, (list, dict)) or pattern is None:
        raise QueryError(_("Nilai untuk operator like harus berupa teks."))
    pattern = str(pattern)
    if "\x00" in pattern:
        raise QueryError(_("Pola like memuat karakter NUL."))
    if len(pattern) > MAX_LIKE_LENGTH:
        raise QueryError(_("Pola like terlalu panjang (paling banyak %(n)s karakter).") % {"n": MAX_LIKE_LENGTH})
    inner = pattern.strip("%")
    if "%" not in inner and "_" not in inner:
        if pattern.startswith("%") and pattern.endswith("%") and len(pattern) > 1:
            return Q(**{f"{path}__icontains": inner})
        if pattern.startswith("%"):
            return Q(**{f"{path}__iendswith": inner})
        if pattern.endswith("%"):
            return Q(**{f"{path}__istartswith": inner})
        return Q(**{f"{path}__iexact": inner})
    if sum(pattern.count(ch) for ch in "%_") > MAX_LIKE_WILDCARDS:
        raise QueryError(
            _("Pola like memuat terlalu banyak karakter pengganti %% dan _ (paling banyak %(n)s).")
            % {"n": MAX_LIKE_WILDCARDS}
        )
    if field is None or not isinstance(field, (models.CharField, models.TextField)):
        raise QueryError(_("Pola like dengan karakter pengganti di tengah hanya untuk field teks."))
    escaped = pattern.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
    return Q(**{f"{path}__frappe_like": escaped})


def _final_field(model, path: str, field):
    """The field a path ends on (owner -> created_by__username -> username)."""
    if isinstance(field, _StoredCustom):
        return field
    current, last = model, field
    for part in path.split("__"):
        last = current._meta.get_field(part)
        if last.is_relation:
            current = last.related_model
    return last


def _condition(model, doctype: str, item) -> Q:
    if isinstance(item, (list, tuple)):
        if len(item) == 4:
            if item[0] != doctype:
                raise QueryError(_("Filter untuk jenis dokumen lain tidak didukung: %(dt)s") % {"dt": item[0]})
            item = item[1:]
        if len(item) == 2:
            item = [item[0], "=", item[1]]
        if len(item) != 3:
            raise QueryError(_("Filter harus berbentuk [field, operator, nilai]."))
        name, op, value = item
    else:
        raise QueryError(_("Filter harus berbentuk [field, operator, nilai]."))
    if not isinstance(op, str):
        raise QueryError(_("Operator filter tidak sah."))
    path, field = resolve_field(model, name)
    field = _final_field(model, path, field)
    op = op.strip().lower()
    if op == "=":
        return Q(**{path: _convert(field, value)})
    if op == "!=":
        return ~Q(**{path: _convert(field, value)})
    lookups = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}
    if op in lookups:
        return Q(**{f"{path}__{lookups[op]}": _convert(field, value)})
    if op in ("like", "not like"):
        q = _like(path, field, value)
        return ~q if op == "not like" else q
    if op in ("in", "not in"):
        values = value.split(",") if isinstance(value, str) else value
        if not isinstance(values, (list, tuple)):
            raise QueryError(_("Nilai untuk operator %(op)s harus berupa daftar.") % {"op": op})
        q = Q(**{f"{path}__in": [_convert(field, v.strip() if isinstance(v, str) else v) for v in values]})
        return ~q if op == "not in" else q
    if op == "between":
        if not isinstance(value, (list, tuple)) or len(value) != 2:
            raise QueryError(_("Nilai untuk between harus berupa [awal, akhir]."))
        start, end = _convert(field, value[0]), _convert(field, value[1])
        if isinstance(field, models.DateTimeField) and isinstance(value[1], str) and parse_date(value[1].strip()):
            # as Frappe: a date alone as the end of a datetime range covers that whole day
            return Q(**{f"{path}__gte": start, f"{path}__lt": end + datetime.timedelta(days=1)})
        return Q(**{f"{path}__range": (start, end)})
    if op in ("is", "is set", "is not set"):
        wanted = {"is set": "set", "is not set": "not set"}.get(op, str(value).strip().lower())
        if wanted not in ("set", "not set"):
            raise QueryError(_("Nilai untuk operator is harus set atau not set."))
        empty = Q(**{f"{path}__isnull": True})
        if field is not None and isinstance(field, (models.CharField, models.TextField)):
            empty |= Q(**{path: ""})
        return ~empty if wanted == "set" else empty
    raise QueryError(_("Operator filter tidak dikenal: %(op)s") % {"op": op})


def parse_filters(model, doctype: str, raw, what="filters") -> list[Q]:
    data = _json(raw, what)
    if data is None:
        return []
    if isinstance(data, dict):
        items = []
        for key, value in data.items():
            if isinstance(value, (list, tuple)) and len(value) == 2 and isinstance(value[0], str):
                items.append([key, value[0], value[1]])
            else:
                items.append([key, "=", value])
        data = items
    if not isinstance(data, list):
        raise QueryError(_("%(what)s harus berupa daftar atau objek.") % {"what": what})
    return [_condition(model, doctype, item) for item in data]


def _whole(value) -> int:
    if isinstance(value, bool) or isinstance(value, (list, dict)):
        raise TypeError(value)
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    if isinstance(value, str) and len(value) > 30:
        raise ValueError(value)
    return int(value)


def apply_query(qs, model, doctype: str, params) -> tuple:
    """Filtered, ordered, sliced queryset and the field names to return."""
    conditions = parse_filters(model, doctype, params.get("filters"))
    for q in conditions:
        qs = qs.filter(q)
    alternatives = parse_filters(model, doctype, params.get("or_filters"), "or_filters")
    if alternatives:
        qs = qs.filter(reduce(or_, alternatives))
    fields = _json(params.get("fields"), "fields") or ["name"]
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise QueryError(_("fields harus berupa daftar nama field."))
    if "*" in fields:
        fields = None
    else:
        for f in fields:
            resolve_field(model, f)
    order = []
    master = registry.master_for_model(model)
    default_order = (master.default_order or master.name_field) if master else "modified desc"
    for part in str(params.get("order_by") or default_order).split(","):
        if not part.strip():
            continue
        # field, `field`, tabDocType.field or `tabDoc Type`.`field`, then asc/desc
        match = ORDER_RE.fullmatch(part.strip())
        if match is None or (match["table"] or match["btable"] or f"tab{doctype}") != f"tab{doctype}":
            raise QueryError(_("order_by tidak sah: %(part)s") % {"part": part.strip()})
        path, _field = resolve_field(model, match["field"])
        order.append(("-" if (match["dir"] or "").lower() == "desc" else "") + path)
    qs = qs.order_by(*order, "-pk")
    try:
        start = _whole(params.get("limit_start") or 0)
        length = _whole(params.get("limit_page_length") or params.get("limit") or params.get("page_length") or 20)
    except (TypeError, ValueError, OverflowError):
        raise QueryError(_("limit_start dan limit_page_length harus bilangan bulat.")) from None
    if start < 0 or length < 0:
        raise QueryError(_("limit_start dan limit_page_length tidak boleh negatif."))
    if start > MAX_START:
        raise QueryError(_("limit_start terlalu besar (paling besar %(n)s).") % {"n": MAX_START})
    length = min(length or MAX_PAGE, MAX_PAGE)
    return qs[start : start + length], fields
