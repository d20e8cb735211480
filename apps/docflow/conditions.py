"""Transition conditions: expressions over ``doc`` evaluated with simpleeval,
never with eval. The document is exposed as a read-only view of its field
values, so a condition cannot call methods or reach other objects."""

import ast
import functools
import operator
import threading
from dataclasses import dataclass

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
# lookups across documents (docflow.reader): link("field") and exists(doctype, filters)
LOOKUPS = ("link", "exists")

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
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in LOOKUPS:
            problem = _check_lookup(node, model)
            if problem:
                return problem
        if isinstance(node, ast.Name) and node.id not in FUNCTIONS and node.id not in NAMES and node.id not in LOOKUPS:
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


def _check_lookup(node: ast.Call, model) -> str | None:
    """``link("field")`` names a link field of the doctype; ``exists`` names a
    registered doctype as a constant."""
    from . import reader

    first = node.args[0] if node.args else None
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str) or node.keywords:
        return _("%(name)s() memerlukan nama sebagai teks tetap") % {"name": node.func.id}
    if node.func.id == "link":
        if len(node.args) != 1:
            return _("link() menerima satu nama field")
        if model is not None:
            try:
                reader.link_field(model, first.value)
            except reader.LookupError_ as exc:
                return str(exc)
    else:
        if len(node.args) != 2:
            return _("exists() menerima jenis dokumen dan filter")
        try:
            reader._target_model(first.value)
        except reader.LookupError_ as exc:
            return str(exc)
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


FAILURES = (
    InvalidExpression,
    AttributeError,
    TypeError,
    ValueError,
    ArithmeticError,
    SyntaxError,
    RecursionError,
    MemoryError,
)


def _evaluator(doc, user) -> StrictEval:
    from . import reader

    budget = reader.Budget()

    def link(name):
        values = reader.linked_values(doc, name, budget)
        return None if values is None else DocView(values)

    def exists(doctype, filters):
        budget.spend()
        return reader.exists(doctype, filters)

    return StrictEval(
        names={
            "doc": DocView.of(doc),
            "user": getattr(user, "username", None),
            "user_id": getattr(user, "pk", None),
            "True": True,
            "False": False,
            "None": None,
        },
        functions={**FUNCTIONS, "link": link, "exists": exists},
    )


def _holds(evaluator, source: str, node=None) -> bool:
    from .reader import LookupError_

    try:
        return bool(evaluator.eval(source, previously_parsed=node if node is not None else _parsed(source)))
    except (*FAILURES, LookupError_):
        return False


def evaluate(expression: str, doc, user=None) -> bool:
    """True when the condition holds; an expression that fails counts as not met.

    Names: ``doc`` (the document's field values), ``user`` (the acting user's
    username) and ``user_id`` (their id), as Frappe's ``frappe.session.user``;
    ``link("field")`` (the linked document's values) and ``exists(doctype,
    filters)`` read other documents through ``docflow.reader``.
    """
    if not expression or not expression.strip():
        return True
    if len(expression) > MAX_EXPRESSION_LENGTH:
        return False
    expression = expression.strip()
    return _holds(_evaluator(doc, user), expression)


# --- explaining what is missing ----------------------------------------------------


@dataclass
class Explanation:
    text: str
    # who can make the condition true: "fields" (filling the document: a duty
    # of the one who acts), "user" (it names the acting user: not theirs),
    # "time" (it waits for a date), "other"
    kind: str
    fields: frozenset = frozenset()  # the document fields the missing parts name


_OPS = {
    ast.Gt: "lebih dari",
    ast.GtE: "paling sedikit",
    ast.Lt: "kurang dari",
    ast.LtE: "paling banyak",
    ast.Eq: "bernilai",
    ast.NotEq: "tidak sama dengan",
}


def _label(model, name: str) -> str:
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an attname (klasifikasi_id) or unknown
        for f in model._meta.concrete_fields:
            if f.attname == name:
                field = f
                break
        else:
            return name.replace("_", " ")
    return str(field.verbose_name)


def _doc_field(node) -> str | None:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "doc":
        return node.attr
    return None


def _is_boolean(model, name) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.BooleanField)
    except Exception:  # noqa: BLE001
        return False


def _linked_field(model, node) -> str | None:
    """``link("skt").workflow_state`` as "status SKT"."""
    from . import reader

    call = node.value if isinstance(node, ast.Attribute) else None
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "link" and call.args):
        return None
    first = call.args[0]
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return None
    try:
        field = reader.link_field(model, first.value)
    except reader.LookupError_:
        return None
    return f"{_label(field.remote_field.model, node.attr)} {field.verbose_name}"


def _operand(model, node) -> str:
    name = _doc_field(node)
    if name:
        return _label(model, name)
    linked = _linked_field(model, node)
    if linked:
        return linked
    if isinstance(node, ast.Constant):
        return str(node.value) if not isinstance(node.value, str) else f"'{node.value}'"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "today":
        return _("hari ini")
    return ast.unparse(node)


def _and_parts(tree) -> list:
    if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And):
        return [p for v in tree.values for p in _and_parts(v)]
    return [tree]


def _kind(node) -> str:
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if names & {"user", "user_id"}:
        return "user"
    if "today" in names:
        return "time"
    if names & set(LOOKUPS):
        return "other"
    return "fields"


def _words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return _("%(items)s dan %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


@dataclass(frozen=True)
class _Part:
    """One part of a condition's ``and``, read once per expression."""

    source: str
    node: ast.AST
    statement: ast.AST  # what simpleeval evaluates
    kind: str
    named: frozenset


@functools.lru_cache(maxsize=1024)
def _analysed(expression: str) -> tuple | None:
    """The parts of ``expression`` (None when it does not parse): a list of
    many documents explains the same few conditions again and again."""
    try:
        tree = _parse(expression, mode="eval").body
        parts = []
        for node in _and_parts(tree):
            source = ast.unparse(node)
            named = frozenset(
                n.attr
                for n in ast.walk(node)
                if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "doc"
            )
            parts.append(_Part(source, node, _parsed(source), _kind(node), named))
        return tuple(parts)
    except (SyntaxError, ValueError, RecursionError, MemoryError, InvalidExpression):
        return None


def fields_named(expression: str) -> frozenset | None:
    """The document fields ``expression`` names, when each part of its
    ``and`` names at least one and nothing but the document (no user, date
    or lookup): then whatever part fails, ``explain`` calls it a matter of
    filling those fields ("fields"). None otherwise."""
    analysed = _analysed((expression or "").strip()) if (expression or "").strip() else None
    if not analysed or any(part.kind != "fields" or not part.named for part in analysed):
        return None
    return frozenset().union(*(part.named for part in analysed))


def explain(expression: str, doc, user=None, description: str = "") -> Explanation | None:
    """What is missing for ``expression`` to hold on ``doc``, in words (None
    when it holds). Each part of an ``and`` is checked on its own, so only
    what is missing is named: "Isi tanggal survei dan hasil survei". An
    administrator's ``description`` replaces the derived text."""
    if not expression or not expression.strip():
        return None
    expression = expression.strip()
    analysed = _analysed(expression)
    if analysed is None:
        return Explanation(description or _("syarat tidak dapat dibaca"), "other")
    evaluator = _evaluator(doc, user)
    model = type(doc)
    parts = [part.node for part in analysed]
    failing_parts = [part for part in analysed if not _holds(evaluator, part.source, part.statement)]
    if not failing_parts:
        return None if _holds(evaluator, expression) else Explanation(description or expression, "other")
    failing = [part.node for part in failing_parts]
    kinds = {part.kind for part in failing_parts}
    kind = next(k for k in ("user", "time", "other", "fields") if k in kinds)
    named = frozenset().union(*(part.named for part in failing_parts))
    if kind == "user":
        return Explanation(_("tindakan ini untuk orang yang dituju, bukan untuk Anda"), kind, named)
    if description:
        return Explanation(description, kind, named)
    fill, tick, other = [], [], []
    ticks_total = sum(1 for p in parts if _doc_field(p) and _is_boolean(model, _doc_field(p)))
    for part in failing:
        name = _doc_field(part)
        if name:
            (tick if _is_boolean(model, name) else fill).append(_label(model, name))
        elif isinstance(part, ast.Compare) and len(part.ops) == 1 and type(part.ops[0]) in _OPS:
            left, right = part.left, part.comparators[0]
            if isinstance(part.ops[0], ast.NotEq) and isinstance(right, ast.Constant) and right.value is None:
                fill.append(_operand(model, left))
            else:
                other.append(
                    _("%(left)s harus %(op)s %(right)s")
                    % {"left": _operand(model, left), "op": _OPS[type(part.ops[0])], "right": _operand(model, right)}
                )
        elif isinstance(part, ast.Compare) and len(part.ops) == 1 and isinstance(part.ops[0], ast.IsNot):
            fill.append(_operand(model, part.left))
        elif isinstance(part, ast.UnaryOp) and isinstance(part.op, ast.Not) and _doc_field(part.operand):
            other.append(_("%(field)s harus kosong") % {"field": _label(model, _doc_field(part.operand))})
        else:
            other.append(_("syarat belum terpenuhi: %(source)s") % {"source": ast.unparse(part)})
    sentences = []
    if fill:
        sentences.append(_("isi %(fields)s") % {"fields": _words(fill)})
    if tick:
        if ticks_total > 3:
            sentences.append(
                _("centang %(total)s kelengkapan: %(missing)s belum (%(fields)s)")
                % {"total": ticks_total, "missing": len(tick), "fields": ", ".join(tick)}
            )
        else:
            sentences.append(_("centang %(fields)s") % {"fields": _words(tick)})
    sentences += other
    text = "; ".join(sentences)
    return Explanation(text[:1].upper() + text[1:], kind, named)


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


def _sql_field(node, model):
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
        field = _sql_field(node.left, model)
        value = node.comparators[0]
        number = isinstance(value, ast.Constant) and type(value.value) in (int, float)
        if not (isinstance(field, _NUMERIC) and type(field) in _TRUTHY_EMPTY and number):
            raise _NotSQL  # text comparisons depend on the database's collation
        if field.null and not isinstance(node.ops[0], ast.Eq):
            raise _NotSQL  # None < 1 fails the whole condition in Python; SQL's NOT would pass it
        return models.Q(**{f"{field.attname}__{_COMPARE[type(node.ops[0])]}": value.value})
    return _truthy_q(_sql_field(node, model))


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
