"""Frappe's field types as Django model fields.

Types stay honest: Date is a date column, Currency a DECIMAL read as
Decimal, Link a reference to the target's primary key checked on write.
Every column is created nullable and without a database default, so adding
a field is a plain ``ADD COLUMN`` on all three databases (no table rebuild
on SQLite); defaults and mandatory fields are the engine's rule, on write.
"""

import contextlib
import datetime
import decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

VALUE_TYPES = {
    "Data", "Small Text", "Text", "Text Editor", "Int", "Float", "Currency", "Percent", "Date", "Datetime",
    "Time", "Check", "Select", "Link", "Dynamic Link", "Attach", "Attach Image", "Read Only",
}  # fmt: skip
TABLE_TYPES = {"Table", "Table MultiSelect"}
LAYOUT_TYPES = {"Section Break", "Column Break", "Tab Break", "HTML"}
ALL_TYPES = VALUE_TYPES | TABLE_TYPES | LAYOUT_TYPES

# names a data-defined field may not take: the engine's and Frappe's standard fields
RESERVED = frozenset(
    {
        "id", "pk", "name", "doctype", "docstatus", "workflow_state", "unit", "unit_id", "process_code", "number",
        "number_date", "state_entered_at", "due_at", "state_seq", "created_by", "created_at", "modified_by",
        "modified_at", "owner", "creation", "modified", "parent", "parentfield", "parenttype", "idx", "history",
        "objects", "custom", "_user_tags", "_comments", "_assign", "_liked_by",
    }
)  # fmt: skip

# Link targets that are not doctypes of the registry: Frappe's names for the masters
SYSTEM_LINKS = {
    "User": settings.AUTH_USER_MODEL,
    "Role": "auth.Group",
    "Unit": settings.DOCFLOW_UNIT_MODEL,
    "File": "docflow.File",
}

MAX_DIGITS = 21  # Currency: up to 10^19 rupiah with two decimals


def column_type(fieldtype: str, precision=None) -> str:
    """What the physical column holds: a change of it needs a new column."""
    if fieldtype in ("Data", "Select", "Dynamic Link", "Read Only"):
        return "varchar"
    if fieldtype in ("Small Text", "Text", "Text Editor"):
        return "text"
    if fieldtype == "Currency":
        return f"decimal{precision if precision is not None else 2}"
    if fieldtype in ("Float", "Percent"):
        return "float"
    if fieldtype in ("Link", "Attach", "Attach Image"):
        return "fk"
    return fieldtype.lower()


class FieldFileRef(models.ForeignKey):
    """Attach / Attach Image: a reference to a private File (served by the
    permission-checked download view)."""


def parse_default(fieldtype: str, raw: str):
    """Frappe's default values ("Today", "now", "1") as a Python value or a callable."""
    raw = (raw or "").strip()
    if not raw:
        return models.NOT_PROVIDED
    low = raw.lower()
    if fieldtype == "Date":
        return timezone.localdate if low == "today" else datetime.date.fromisoformat(raw)
    if fieldtype == "Datetime":
        return timezone.now if low == "now" else datetime.datetime.fromisoformat(raw)
    if fieldtype == "Time":
        return (
            (lambda: timezone.localtime().time().replace(microsecond=0))
            if low == "now"
            else datetime.time.fromisoformat(raw)
        )
    if fieldtype == "Check":
        return low in ("1", "true", "yes", "ya")
    if fieldtype == "Int":
        return int(raw)
    if fieldtype in ("Float", "Percent"):
        return float(raw)
    if fieldtype == "Currency":
        return decimal.Decimal(raw)
    return raw


def select_choices(options: str) -> list[tuple[str, str]]:
    return [(line.strip(), line.strip()) for line in (options or "").splitlines() if line.strip()]


def model_field(f, *, link_target=None):
    """The Django field for a value field definition ``f`` (None for tables and layout).

    ``link_target``: the model a Link points at (resolved by the caller).
    """
    t = f.fieldtype
    if t not in VALUE_TYPES:
        return None
    label = f.label or f.fieldname
    kw = {"verbose_name": label, "db_column": f.column_name or f.fieldname, "blank": True, "help_text": f.description}
    default = parse_default(t, f.default)
    if default is not models.NOT_PROVIDED:
        kw["default"] = default
    # a list filter gets a composite index with the list's order instead (runtime._build_document)
    indexed = bool(f.unique)
    if t in ("Data", "Dynamic Link", "Read Only"):
        kw.setdefault("default", "")
        if f.unique:  # empty values do not collide: stored as NULL
            kw.update(null=True, default=None)
        return models.CharField(max_length=min(f.length or 140, 255), db_index=indexed, **kw)
    if t == "Select":
        kw.setdefault("default", "")
        return models.CharField(max_length=140, choices=select_choices(f.options), db_index=indexed, **kw)
    if t in ("Small Text", "Text", "Text Editor"):
        kw.setdefault("default", "")
        return models.TextField(**kw)
    if t == "Int":
        return models.BigIntegerField(null=True, db_index=indexed, **kw)
    if t in ("Float", "Percent"):
        return models.FloatField(null=True, db_index=indexed, **kw)
    if t == "Currency":
        places = f.precision if f.precision is not None else 2
        return models.DecimalField(max_digits=MAX_DIGITS, decimal_places=places, null=True, db_index=indexed, **kw)
    if t == "Date":
        return models.DateField(null=True, db_index=indexed, **kw)
    if t == "Datetime":
        return models.DateTimeField(null=True, db_index=indexed, **kw)
    if t == "Time":
        return models.TimeField(null=True, **kw)
    if t == "Check":
        kw.setdefault("default", False)
        return models.BooleanField(db_index=indexed, **kw)
    if t == "Link":
        kw.pop("default", None)
        return models.ForeignKey(
            link_target,
            on_delete=models.PROTECT,
            null=True,
            db_constraint=False,  # checked by the engine on write; a definition may point at any table
            related_name="+",
            **kw,
        )
    if t in ("Attach", "Attach Image"):
        kw.pop("default", None)
        return FieldFileRef(
            "docflow.File", on_delete=models.SET_NULL, null=True, db_constraint=False, related_name="+", **kw
        )
    raise ValueError(t)  # pragma: no cover - VALUE_TYPES is exhaustive


@contextlib.contextmanager
def as_ddl(fields):
    """The columns as created: nullable, no database default, not unique (a
    unique field gets its own index), so ADD COLUMN never rebuilds a table."""
    saved = [(f, f.null, f.default, f.db_default, f._unique) for f in fields]
    try:
        for f in fields:
            f.null, f.default, f.db_default, f._unique = True, models.NOT_PROVIDED, models.NOT_PROVIDED, False
        yield
    finally:
        for f, null, default, db_default, unique in saved:
            f.null, f.default, f.db_default, f._unique = null, default, db_default, unique
