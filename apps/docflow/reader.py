"""The engine's reader of linked documents, for conditions and print formats.

It is visibility-blind on purpose: a workflow rule ("the SK that forms the
team is Ditetapkan", "this party's previous Banpol has an accepted LPJ") must
decide the same way whoever presses the button. Expressions never touch the
ORM: they get plain values (``DocView`` in conditions, dicts in prints).
The cost is bounded: a lookup reads one row (``link``) or asks one
``EXISTS`` (``exists``) on plain fields (no joins, no ``__`` lookups), at most
``MAX_LOOKUPS`` per evaluation, and every answer is remembered for the
request (``scope.remember``); lists prime the linked rows of all their
documents in one query per link field (``prime_links``).
"""

import datetime
import decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from . import registry
from .scope import remember

MAX_LOOKUPS = 20  # link() and exists() calls in one evaluation
MAX_FILTERS = 8
MAX_IN_VALUES = 100
OPERATORS = {"=": "exact", "!=": "exact", "<": "lt", ">": "gt", "<=": "lte", ">=": "gte", "in": "in", "not in": "in"}
PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, type(None))


class LookupError_(Exception):  # noqa: N801 - kept distinct from the builtin LookupError
    """A lookup an expression may not make (the expression counts as not met)."""


def _target_model(doctype: str):
    try:
        return registry.get(doctype).model
    except Exception:  # noqa: BLE001 - a master, or unknown
        info = registry.master(doctype)
        if info is None:
            raise LookupError_(_("jenis dokumen tidak dikenal: %(doctype)s") % {"doctype": doctype}) from None
        return info.model


def link_field(model, name: str):
    """The foreign key ``name`` of ``model`` if it points at a registered
    doctype or master (the only links an expression may follow)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        raise LookupError_(_("field tautan tidak dikenal: %(name)s") % {"name": name}) from None
    if not (field.many_to_one or field.one_to_one) or not field.concrete:
        raise LookupError_(_("%(name)s bukan field tautan") % {"name": name})
    target = field.remote_field.model
    try:
        registry.for_model(target)
    except Exception:  # noqa: BLE001
        if registry.master_for_model(target) is None:
            raise LookupError_(_("%(name)s tidak menaut ke jenis dokumen") % {"name": name}) from None
    return field


def _values(model, pk) -> dict | None:
    return (
        model._default_manager.filter(pk=pk).values(*[f.attname for f in model._meta.concrete_fields]).first()
        if pk is not None
        else None
    )


def _with_names(model, row: dict | None) -> dict | None:
    """A row keyed by attname, plus foreign keys by field name (as ``DocView``)."""
    if row is None:
        return None
    out = dict(row)
    for field in model._meta.concrete_fields:
        if field.is_relation:
            out[field.name] = row.get(field.attname)
    return out


def read(model, pk) -> dict | None:
    """Field values of one row of ``model`` (remembered for the request)."""
    key = ("docflow_read", model._meta.label, pk)
    return remember(key, lambda: _with_names(model, _values(model, pk)))


def prime_links(model, docs, field_names) -> None:
    """Load the rows that ``docs`` link to through ``field_names``, one query
    per field, into the request's memory (a list evaluating ``link()`` for
    every document then asks nothing more)."""
    from .scope import _memo

    store = _memo.get()
    if store is None or not docs:
        return
    for name in field_names:
        try:
            field = link_field(model, name)
        except LookupError_:
            continue
        target = field.remote_field.model
        ids = {getattr(d, field.attname) for d in docs} - {None}
        missing = [pk for pk in ids if ("docflow_read", target._meta.label, pk) not in store]
        if not missing:
            continue
        attnames = [f.attname for f in target._meta.concrete_fields]
        key = target._meta.pk.attname
        found = {row[key]: row for row in target._default_manager.filter(pk__in=missing).values(*attnames)}
        for pk in missing:
            store[("docflow_read", target._meta.label, pk)] = _with_names(target, found.get(pk))


def _filter_q(model, filters) -> models.Q:
    if isinstance(filters, dict):
        triples = [(k, "=", v) for k, v in filters.items()]
    elif isinstance(filters, (list, tuple)):
        triples = []
        for item in filters:
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                raise LookupError_(_("filter harus berbentuk [field, operator, nilai]"))
            triples.append(tuple(item))
    else:
        raise LookupError_(_("filter harus berupa dict atau daftar"))
    if len(triples) > MAX_FILTERS:
        raise LookupError_(_("paling banyak %(n)s filter") % {"n": MAX_FILTERS})
    q = models.Q()
    for name, op, value in triples:
        if not isinstance(name, str) or "__" in name or name.startswith("_"):
            raise LookupError_(_("field filter tidak diizinkan: %(name)s") % {"name": name})
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise LookupError_(_("field tidak dikenal: %(name)s") % {"name": name}) from None
        if not field.concrete or field.many_to_many:
            raise LookupError_(_("field filter tidak diizinkan: %(name)s") % {"name": name})
        if op not in OPERATORS:
            raise LookupError_(_("operator tidak dikenal: %(op)s") % {"op": op})
        if op in ("in", "not in"):
            if not isinstance(value, (list, tuple)) or len(value) > MAX_IN_VALUES:
                raise LookupError_(_("nilai 'in' harus daftar pendek"))
            if not all(isinstance(v, PLAIN) for v in value):
                raise LookupError_(_("nilai filter harus sederhana"))
        elif not isinstance(value, PLAIN):
            raise LookupError_(_("nilai filter harus sederhana"))
        column = field.attname
        if value is None and op in ("=", "!="):
            part = models.Q(**{f"{column}__isnull": True})
        else:
            part = models.Q(**{f"{column}__{OPERATORS[op]}": value})
        q &= ~part if op in ("!=", "not in") else part
    return q


def exists(doctype: str, filters) -> bool:
    """Frappe's ``frappe.db.exists(doctype, filters)``: one ``EXISTS`` query
    over plain fields of a registered doctype or master."""
    if not isinstance(doctype, str):
        raise LookupError_(_("jenis dokumen harus teks"))
    model = _target_model(doctype)
    q = _filter_q(model, filters)
    key = ("docflow_exists", doctype, repr(filters))
    return remember(key, lambda: model._default_manager.filter(q).exists())


class Budget:
    """Counts the lookups of one evaluation."""

    __slots__ = ("used",)

    def __init__(self):
        self.used = 0

    def spend(self):
        self.used += 1
        if self.used > MAX_LOOKUPS:
            raise LookupError_(_("terlalu banyak pencarian dokumen terkait (paling banyak %(n)s)") % {"n": MAX_LOOKUPS})


def linked_values(doc, name: str, budget: Budget | None = None) -> dict | None:
    """The values of the document ``doc`` links to through field ``name``."""
    if budget is not None:
        budget.spend()
    model = type(doc) if isinstance(doc, models.Model) else None
    if model is None:
        raise LookupError_(_("tautan hanya dari dokumen"))
    field = link_field(model, name)
    return read(field.remote_field.model, getattr(doc, field.attname))


def link_names_in(expression: str) -> set[str]:
    """The constant field names of ``link("...")`` calls in an expression
    (for ``prime_links``)."""
    import re

    return set(re.findall(r"""\blink\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\)""", expression or ""))
