"""Transition conditions: expressions over ``doc`` evaluated with simpleeval,
never with eval. The document is exposed as a read-only view of its field
values, so a condition cannot call methods or reach other objects."""

import ast
import functools
import operator
import threading

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simpleeval import DEFAULT_OPERATORS, EvalWithCompoundTypes, FeatureNotAvailable, InvalidExpression

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

# Conditions compare field values; they never need big numbers or long text.
MAX_EXPRESSION_LENGTH = 2000
MAX_EXPONENT = 64  # b in a ** b
MAX_POWER_BASE = 10**12
MAX_INT_BITS = 4096  # operands and results of *, <<
MAX_SEQUENCE = 10000  # characters or items a condition may build


# methods a condition may call: none of them builds anything larger than its input
SAFE_METHODS = frozenset(
    "startswith endswith lower upper strip lstrip rstrip casefold title isdigit isalpha isalnum isspace "
    "isupper islower count find split get keys values items".split()
)


class TooBig(InvalidExpression):
    """An operation a condition must not do (it would cost seconds or memory)."""


def _length(value):
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set)) else None


def _big(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS


def strict_power(a, b):
    if isinstance(b, (int, float)) and abs(b) > MAX_EXPONENT:
        raise TooBig(_("pangkat terlalu besar (paling besar %(n)s)") % {"n": MAX_EXPONENT})
    if isinstance(a, (int, float)) and abs(a) > MAX_POWER_BASE:
        raise TooBig(_("bilangan yang dipangkatkan terlalu besar"))
    if _big(a) or _big(b):
        raise TooBig(_("bilangan terlalu besar"))
    return a**b


def strict_mult(a, b):
    for seq, times in ((a, b), (b, a)):
        size = _length(seq)
        if size is not None and isinstance(times, int) and size * max(times, 0) > MAX_SEQUENCE:
            raise TooBig(_("teks atau daftar yang diulang terlalu panjang (paling banyak %(n)s)") % {"n": MAX_SEQUENCE})
    if isinstance(a, int) and isinstance(b, int) and abs(a).bit_length() + abs(b).bit_length() > MAX_INT_BITS:
        raise TooBig(_("bilangan terlalu besar"))
    return a * b


def strict_add(a, b):
    if _length(a) is not None and _length(b) is not None and _length(a) + _length(b) > MAX_SEQUENCE:
        raise TooBig(_("teks atau daftar terlalu panjang (paling banyak %(n)s)") % {"n": MAX_SEQUENCE})
    return a + b


def strict_lshift(a, b):
    if isinstance(b, int) and abs(b) > MAX_EXPONENT or _big(a):
        raise TooBig(_("geser bit terlalu besar"))
    return a << b


def strict_mod(a, b):
    if isinstance(a, (str, bytes)):
        raise TooBig(_("format teks dengan tanda persen tidak diizinkan"))
    return operator.mod(a, b)


OPERATORS = {
    **DEFAULT_OPERATORS,
    ast.Pow: strict_power,
    ast.Mult: strict_mult,
    ast.Add: strict_add,
    ast.LShift: strict_lshift,
    ast.Mod: strict_mod,
}


class StrictEval(EvalWithCompoundTypes):
    """simpleeval with strict size limits; of methods only SAFE_METHODS
    (not ``"a".ljust(10**9)``)."""

    def __init__(self, names=None, functions=None):
        super().__init__(operators=OPERATORS, names=names, functions=functions)
        for node in (ast.ListComp, ast.DictComp, ast.SetComp, ast.GeneratorExp, ast.Lambda):
            self.nodes.pop(node, None)

    def _eval_call(self, node):
        if isinstance(node.func, ast.Attribute) and node.func.attr not in SAFE_METHODS:
            raise FeatureNotAvailable(_("pemanggilan metode tidak diizinkan"))
        return super()._eval_call(node)


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
        for cf in _custom_fields(doc):  # Customize Form fields, typed, under their own names
            from .dynamic import customize

            value = customize.value(doc, cf)
            values[cf.fieldname] = getattr(value, "pk", value)
        for field in doc._meta.concrete_fields:
            values[field.attname] = getattr(doc, field.attname)
            if field.is_relation:
                values[field.name] = getattr(doc, field.attname)
        return cls(values)


def _custom_fields(model_or_doc) -> list:
    from .dynamic import customize
    from .exceptions import DocflowError
    from .registry import for_model

    if not hasattr(model_or_doc, "_meta") or not any(f.name == "custom" for f in model_or_doc._meta.concrete_fields):
        return []
    try:
        return customize.fields_for(for_model(model_or_doc).doctype)
    except DocflowError:
        return []


def field_names(model) -> set[str]:
    names = {cf.fieldname for cf in _custom_fields(model)}
    for field in model._meta.concrete_fields:
        names.add(field.name)
        names.add(field.attname)
    return names


# ast.parse is not thread-safe on Python 3.11: its AST constructor keeps one
# recursion counter per interpreter (CPython gh-106905), so two gunicorn
# threads parsing at once fail with "SystemError: AST constructor recursion
# depth mismatch". Every parse here takes this lock, and a condition is parsed
# once per process.
_PARSE_LOCK = threading.Lock()


def _parse(expression: str, mode: str = "exec"):
    with _PARSE_LOCK:
        return ast.parse(expression, mode=mode)


@functools.lru_cache(maxsize=4096)
def _parsed(expression: str):
    """The node simpleeval evaluates (the first statement), parsed once."""
    body = _parse(expression).body
    if not body:
        raise InvalidExpression(_("syarat kosong"))
    return body[0]


def check_condition(expression: str, model=None) -> str | None:
    """Return an error message if ``expression`` does not parse or names
    something other than ``doc.<field>`` and the allowed functions."""
    if not expression.strip():
        return None
    if len(expression) > MAX_EXPRESSION_LENGTH:
        return _("syarat terlalu panjang (paling banyak %(n)s karakter)") % {"n": MAX_EXPRESSION_LENGTH}
    try:
        tree = _parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return _("syarat tidak dapat dibaca: %(error)s") % {"error": getattr(exc, "msg", str(exc))}
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
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr not in SAFE_METHODS:
            return _("pemanggilan metode tidak diizinkan dalam syarat: %(name)s") % {"name": node.func.attr}
        problem = _check_size(node)
        if problem:
            return _("syarat terlalu berat: %(problem)s") % {"problem": problem}
    return None


def _check_size(node) -> str | None:
    """Refuse, when the workflow is saved, arithmetic the evaluator would
    refuse at run time: constant parts are computed with the strict operators,
    an exponent or shift written as a number is checked on its own."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Pow, ast.LShift)):
        exponent = node.right
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.op, (ast.USub, ast.UAdd)):
            exponent = exponent.operand
        if isinstance(exponent, ast.Constant) and isinstance(exponent.value, (int, float)):
            if abs(exponent.value) > MAX_EXPONENT:
                return _("pangkat atau geser bit terlalu besar (paling besar %(n)s)") % {"n": MAX_EXPONENT}
    if isinstance(node, ast.BinOp) and not any(isinstance(n, ast.Name) for n in ast.walk(node)):
        try:
            source = ast.unparse(node)
            StrictEval().eval(source, previously_parsed=_parsed(source))
        except TooBig as exc:
            return str(exc)
        except Exception:  # noqa: BLE001 - other errors (1/0, types) make the condition false, not heavy
            return None
    return None


def evaluate(expression: str, doc, user=None) -> bool:
    """True when the condition holds; an expression that fails counts as not met.

    Names: ``doc`` (the document's field values), ``user`` (the acting user's
    username) and ``user_id`` (their id), as Frappe's ``frappe.session.user``.
    """
    if not expression or not expression.strip():
        return True
    if len(expression) > MAX_EXPRESSION_LENGTH:
        return False
    evaluator = StrictEval(
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
        expression = expression.strip()
        return bool(evaluator.eval(expression, previously_parsed=_parsed(expression)))
    except (
        InvalidExpression,
        AttributeError,
        TypeError,
        ValueError,
        ArithmeticError,
        SyntaxError,
        RecursionError,
        MemoryError,
    ):
        return False


# --- the same test in SQL -------------------------------------------------------------
#
# Lists (the inbox) filter many documents by a transition's condition. The
# common conditions ("these fields are filled in", "this amount is above n")
# translate into a Q that selects exactly the documents ``evaluate`` accepts;
# anything else gives None and the caller checks each document in Python.

_TRUTHY_EMPTY = {
    models.BooleanField: (False,),
    models.CharField: ("",),
    models.TextField: ("",),
    models.FileField: ("",),
    models.IntegerField: (0,),
    models.BigIntegerField: (0,),
    models.SmallIntegerField: (0,),
    models.PositiveIntegerField: (0,),
    models.PositiveSmallIntegerField: (0,),
    models.PositiveBigIntegerField: (0,),
    models.DecimalField: (0,),
    models.FloatField: (0,),
    models.DateField: (),
    models.DateTimeField: (),
    models.ForeignKey: (),
}
_NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)
_COMPARE = {ast.Gt: "gt", ast.GtE: "gte", ast.Lt: "lt", ast.LtE: "lte", ast.Eq: "exact"}


class _NotSQL(Exception):
    pass


def _doc_field(node, model):
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "doc"):
        raise _NotSQL
    for field in model._meta.concrete_fields:
        if node.attr in (field.name, field.attname):
            return field
    raise _NotSQL


def _truthy_q(field) -> models.Q:
    kind = type(field)
    if kind not in _TRUTHY_EMPTY:  # subclasses may store other values: Python decides
        raise _NotSQL
    q = models.Q(**{f"{field.attname}__isnull": False})
    for empty in _TRUTHY_EMPTY[kind]:
        q &= ~models.Q(**{field.attname: empty})
    return q


def _to_q(node, model) -> models.Q:
    if isinstance(node, ast.BoolOp):
        parts = [_to_q(value, model) for value in node.values]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if isinstance(node.op, ast.And) else combined | part
        return combined
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return ~_to_q(node.operand, model)
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
        field = _doc_field(node.left, model)
        value = node.comparators[0]
        number = isinstance(value, ast.Constant) and type(value.value) in (int, float)
        if not (isinstance(field, _NUMERIC) and type(field) in _TRUTHY_EMPTY and number):
            raise _NotSQL  # text comparisons depend on the database's collation
        if field.null and not isinstance(node.ops[0], ast.Eq):
            raise _NotSQL  # None < 1 fails the whole condition in Python; SQL's NOT would pass it
        return models.Q(**{f"{field.attname}__{_COMPARE[type(node.ops[0])]}": value.value})
    return _truthy_q(_doc_field(node, model))


@functools.lru_cache(maxsize=1024)
def to_q(expression: str, model) -> models.Q | None:
    """The condition as a filter on ``model`` (``Q()`` when there is none), or
    None when only ``evaluate`` can decide it."""
    if not expression or not expression.strip():
        return models.Q()
    if len(expression) > MAX_EXPRESSION_LENGTH:
        return None
    try:
        tree = _parse(expression.strip(), mode="eval")
        return _to_q(tree.body, model)
    except (_NotSQL, SyntaxError, ValueError, RecursionError):
        return None
