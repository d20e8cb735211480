"""Transition conditions: expressions over ``doc`` evaluated with simpleeval,
never with eval. The document is exposed as a read-only view of its field
values, so a condition cannot call methods or reach other objects."""

import ast

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simpleeval import EvalWithCompoundTypes, InvalidExpression

FUNCTIONS = {
    "len": len,
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "abs": abs,
    "min": min,
    "max": max,
    "today": lambda: timezone.localdate(),
}


NAMES = ("doc", "user", "user_id", "True", "False", "None")


class DocView:
    """Field values of a document, by attribute; foreign keys as their primary key."""

    __slots__ = ("_values",)

    def __init__(self, values: dict):
        object.__setattr__(self, "_values", values)

    def __getattr__(self, name):
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name, value):
        raise AttributeError(name)

    @classmethod
    def of(cls, doc: models.Model) -> "DocView":
        values = {}
        for field in doc._meta.concrete_fields:
            values[field.attname] = getattr(doc, field.attname)
            if field.is_relation:
                values[field.name] = getattr(doc, field.attname)
        return cls(values)


def field_names(model) -> set[str]:
    names = set()
    for field in model._meta.concrete_fields:
        names.add(field.name)
        names.add(field.attname)
    return names


def check_condition(expression: str, model=None) -> str | None:
    """Return an error message if ``expression`` does not parse or names
    something other than ``doc.<field>`` and the allowed functions."""
    if not expression.strip():
        return None
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError as exc:
        return _("syarat tidak dapat dibaca: %(error)s") % {"error": exc.msg}
    known = field_names(model) if model is not None else None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in NAMES:
            return _("nama tidak dikenal dalam syarat: %(name)s") % {"name": node.id}
        if isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                return _("atribut tidak diizinkan: %(name)s") % {"name": node.attr}
            if isinstance(node.value, ast.Name) and node.value.id == "doc" and known is not None:
                if node.attr not in known:
                    return _("field tidak dikenal dalam syarat: doc.%(name)s") % {"name": node.attr}
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp)):
            return _("bentuk ungkapan ini tidak diizinkan dalam syarat")
    return None


def evaluate(expression: str, doc, user=None) -> bool:
    """True when the condition holds; an expression that fails counts as not met.

    Names: ``doc`` (the document's field values), ``user`` (the acting user's
    username) and ``user_id`` (their id), as Frappe's ``frappe.session.user``.
    """
    if not expression or not expression.strip():
        return True
    evaluator = EvalWithCompoundTypes(
        names={
            "doc": DocView.of(doc),
            "user": getattr(user, "username", None),
            "user_id": getattr(user, "pk", None),
            "True": True,
            "False": False,
            "None": None,
        },
        functions=FUNCTIONS,
    )
    try:
        return bool(evaluator.eval(expression.strip()))
    except (InvalidExpression, AttributeError, TypeError, ValueError, ZeroDivisionError, SyntaxError):
        return False
