"""Data-defined doctypes at run time: each definition (DocTypeDef) becomes a
Django model subclassing the engine's Document, registered in the one
registry, the app registry and the desk, exactly like a code-defined type.

Every worker keeps the models it built and a stamp (a file in the site
directory, touched whenever a definition is saved). A request whose worker
sees a newer stamp rebuilds the models from the database before anything
else runs (``DocTypeMiddleware``), so a saved DocType is live everywhere at
once, with no restart and no migration command.
"""

import hashlib
import json
import logging
import os
import threading
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.db import DatabaseError, models, transaction

from .. import registry
from . import fieldtypes as ft

log = logging.getLogger(__name__)

APP_LABEL = "docflow_data"
MODULE = "apps.docflow.data.models"

_lock = threading.RLock()
_state = {"stamp": None, "signature": None, "loaded": False, "installed": [], "version": 0, "generation": 0}
# Every model ever built stays referenced: signal receivers are keyed by id(sender), and a
# freed class's id reused by a new one would fire the old class's receivers (history).
_keepalive: list = []


def generation() -> int:
    """Bumps on every definition change and every ``forget()`` (caches that follow definitions key on it)."""
    return _state["generation"]


def version() -> int:
    """Bumps every time the set of built models changes (the desk's URLs follow it)."""
    return _state["version"]


def _stamp_file() -> Path:
    return Path(settings.SITE_DIR) / "doctypes.stamp"


def _read_stamp() -> int:
    try:
        return os.stat(_stamp_file()).st_mtime_ns
    except OSError:
        return 0


def _touch() -> None:
    path = _stamp_file()
    path.touch()
    # a new stamp even when two saves fall in the same clock tick
    stamp = max(_read_stamp(), (_state["stamp"] or 0)) + 1
    os.utime(path, ns=(stamp, stamp))


def definitions_changed() -> None:
    """A definition was saved or deleted: rebuild here now (inside the
    transaction, so the rest of the request sees it) and tell every other
    worker, now and again once the transaction commits."""
    _state["generation"] += 1
    _touch()
    reload()
    transaction.on_commit(_touch)


def forget() -> None:
    """Rebuild from the database at the next use (tests: after a rollback)."""
    _state["loaded"] = False
    _state["generation"] += 1


def ensure_current() -> None:
    if _state["loaded"] and _read_stamp() == _state["stamp"]:
        return
    reload()


def reload() -> None:
    from ..models import DocTypeDef

    with _lock:
        stamp = _read_stamp()
        try:
            defs = list(DocTypeDef.objects.prefetch_related("fields", "permissions__role").order_by("pk"))
        except (DatabaseError, RuntimeError) as exc:  # not migrated yet, or no database access here
            log.debug("data-defined doctypes not loaded: %s", exc)
            return
        signature = _signature(defs)
        if signature != _state["signature"]:
            _install(defs)
            _state["signature"] = signature
        _state["stamp"], _state["loaded"] = stamp, True


def _signature(defs) -> str:
    from django.forms.models import model_to_dict

    data = [
        (
            model_to_dict(d, exclude=["seed_hash"]),
            [model_to_dict(f) for f in d.fields.all()],
            [model_to_dict(p) for p in d.permissions.all()],
        )
        for d in defs
    ]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# --- building -------------------------------------------------------------------------


def live_fields(defn) -> list:
    return [f for f in defn.fields.all() if not f.is_removed]


def link_target(options: str, by_name: dict):
    """The model (or lazy reference) a Link's options name; None when unknown."""
    name = (options or "").strip()
    if name in ft.SYSTEM_LINKS:
        return ft.SYSTEM_LINKS[name]
    target = by_name.get(name)
    if target is not None and not target.istable:
        return f"{APP_LABEL}.{target.class_name}"
    if name in registry.names(load=False):
        return registry.get(name, load=False).model
    master = registry.master(name)
    return master.model if master else None


def _value_fields(defn, by_name, *, rows=False) -> dict:
    fields = {}
    for f in live_fields(defn):
        if f.fieldtype == "Link" and (f.options or "").strip() == "DocType":
            f = _as_data(f)  # a Link to DocType holds the doctype's name, as in Frappe
        target = link_target(f.options, by_name) if f.fieldtype == "Link" else None
        if f.fieldtype == "Link" and target is None:
            log.warning("%s.%s: Link target %r unknown, field left out", defn.name, f.fieldname, f.options)
            continue
        field = ft.model_field(f, link_target=target)
        if field is not None and rows and f.reqd:
            field.blank = False  # a row's mandatory field (rows have no conditions)
        if field is not None:
            fields[f.fieldname] = field
    return fields


def _as_data(f):
    import copy

    clone = copy.copy(f)
    clone.fieldtype = "Data"
    return clone


def _build_document(defn, by_name):
    from ..models import Document, document_indexes

    fields = _value_fields(defn, by_name)
    meta = type(
        "Meta",
        (),
        {
            "app_label": APP_LABEL,
            "db_table": defn.table_name,
            "verbose_name": defn.name,
            "verbose_name_plural": defn.name,
            "indexes": [*document_indexes(f"dt{defn.pk}"), *_filter_indexes(defn, fields)],
        },
    )
    attrs = {"__module__": MODULE, "Meta": meta, **fields}
    return type(defn.class_name, (Document,), attrs)


def _filter_indexes(defn, names) -> list:
    """A list filter field: one index with the lists' order (newest first), so
    a filtered page reads the index in order instead of sorting the matches."""
    return [
        models.Index(fields=[f.fieldname, "-modified_at"], name=f"dt{defn.pk}_f{f.pk}")
        for f in live_fields(defn)
        if f.in_standard_filter and f.fieldname in names
    ]


class ChildRow(models.Model):
    """Base of a child table's row (Frappe's istable DocType): ordered rows of one parent."""

    idx = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["idx", "pk"]


def child_table_name(parent, field) -> str:
    return f"dtc{parent.pk}_{field.column_name or field.fieldname}"[:60]


def _build_child(parent_def, table_field, child_def, parent_model, by_name):
    meta = type(
        "Meta",
        (),
        {
            "app_label": APP_LABEL,
            "db_table": child_table_name(parent_def, table_field),
            "verbose_name": child_def.name,
            "verbose_name_plural": table_field.label or child_def.name,
            "ordering": ["idx", "pk"],
        },
    )
    attrs = {
        "__module__": MODULE,
        "Meta": meta,
        "parent": models.ForeignKey(
            parent_model, on_delete=models.CASCADE, related_name=table_field.fieldname, db_constraint=False
        ),
        **_value_fields(child_def, by_name, rows=True),
    }
    model = type(f"{parent_def.class_name}_{table_field.fieldname}", (ChildRow,), attrs)
    model.child_doctype = child_def.name
    model.parentfield = table_field.fieldname
    return model


def _uninstall():
    from django.contrib import admin

    for doctype, model_list in _state["installed"]:
        if doctype:
            registry.unregister(doctype)
        for model in model_list:
            if admin.site.is_registered(model):
                admin.site.unregister(model)
            django_apps.all_models[APP_LABEL].pop(model._meta.model_name, None)
    _state["installed"] = []
    django_apps.clear_cache()


def _install(defs) -> None:
    from .desk import register_desk
    from .hooks import doctype_info

    _uninstall()
    by_name = {d.name: d for d in defs}
    built = []
    for defn in defs:
        if defn.istable:
            continue
        model = _build_document(defn, by_name)
        children = {}
        for f in live_fields(defn):
            child_def = by_name.get((f.options or "").strip())
            if f.fieldtype in ft.TABLE_TYPES and child_def is not None and child_def.istable:
                children[f.fieldname] = _build_child(defn, f, child_def, model, by_name)
        built.append((defn, model, children))
    django_apps.clear_cache()
    for defn, model, children in built:
        info = registry.register(doctype_info(defn, model, children, by_name))
        history = model.history.model if hasattr(model, "history") else None
        register_desk(defn, info)
        built_models = [model, *([history] if history else []), *children.values()]
        _keepalive.extend(built_models)
        _state["installed"].append((defn.name, built_models))
    _state["version"] += 1
    django_apps.clear_cache()
    # reverse() keeps namespaced resolvers over a copy of their patterns: rebuild them
    from django.urls.resolvers import get_ns_resolver

    get_ns_resolver.cache_clear()


def models_of(doctype: str) -> list:
    """The doctype's model, its history model and its child models (for the schema)."""
    for name, model_list in _state["installed"]:
        if name == doctype:
            return model_list
    return []
