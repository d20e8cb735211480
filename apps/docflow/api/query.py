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
ORDER_RE = re.compile(
    r"(?:`(?P<table>[^`]+)`\.|(?P<btable>tab\w+)\.)?`?(?P<field>\w+)`?(?:\s+(?P<dir>asc|desc))?", re.IGNORECASE
)


class QueryError(DocflowError):
    exc_type = "ValidationError"
    http_status = 417


def _json(value, what):
    if value in (None, ""):
        return None
    if isinstance(value, (list, dict)):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        raise QueryError(_("%(what)s bukan JSON yang sah.") % {"what": what}) from None


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
        raise QueryError(_("Field tidak dikenal: %(name)s") % {"name": name}) from None
    if not field.concrete or field.many_to_many or name == "history":
        raise QueryError(_("Field tidak dikenal: %(name)s") % {"name": name})
    return (field.attname if field.is_relation else field.name), field


def _convert(field, value):
    if field is None or field.is_relation or value is None:
        return value
    try:
        result = field.to_python(value)
    except ValidationError:
        raise QueryError(
            _("Nilai %(value)s tidak sah untuk field %(field)s.") % {"value": value, "field": field.name}
        ) from None
    if settings.USE_TZ and isinstance(result, datetime.datetime) and timezone.is_naive(result):
        result = timezone.make_aware(result)  # a client's wall-clock time is local time
    return result


def _like(path: str, pattern: str) -> Q:
    pattern = str(pattern)
    inner = pattern.strip("%")
    if "%" not in inner and "_" not in inner:
        if pattern.startswith("%") and pattern.endswith("%") and len(pattern) > 1:
            return Q(**{f"{path}__icontains": inner})
        if pattern.startswith("%"):
            return Q(**{f"{path}__iendswith": inner})
        if pattern.endswith("%"):
            return Q(**{f"{path}__istartswith": inner})
        return Q(**{f"{path}__iexact": inner})
    regex = "^" + "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern) + "$"
    return Q(**{f"{path}__iregex": regex})


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
    op = op.strip().lower()
    if op == "=":
        return Q(**{path: _convert(field, value)})
    if op == "!=":
        return ~Q(**{path: _convert(field, value)})
    lookups = {"<": "lt", ">": "gt", "<=": "lte", ">=": "gte"}
    if op in lookups:
        return Q(**{f"{path}__{lookups[op]}": _convert(field, value)})
    if op in ("like", "not like"):
        q = _like(path, value)
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
        start = int(params.get("limit_start") or 0)
        length = int(params.get("limit_page_length") or params.get("limit") or params.get("page_length") or 20)
    except (TypeError, ValueError):
        raise QueryError(_("limit_start dan limit_page_length harus bilangan bulat.")) from None
    if start < 0 or length < 0:
        raise QueryError(_("limit_start dan limit_page_length tidak boleh negatif."))
    length = min(length or MAX_PAGE, MAX_PAGE)
    return qs[start : start + length], fields
