"""What a print template may see and do.

Templates are written by administrators in the desk, so they are not trusted
with the database: they get *views* of the document (its field values,
related records as views again, people as name/NIP/rank/position), never ORM
objects, and the sandbox refuses attributes that smell of credentials. The
environment bounds the work of one render: loop iterations and calls (a step
budget), the output size, string and list sizes built by ``*``, ``+``, ``~``
and ``%``, exponents, and the wall-clock time.
"""

import contextvars
import ctypes
import dataclasses
import datetime
import decimal
import inspect
import re
import signal
import threading
import time
import uuid
from contextlib import contextmanager
from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from markupsafe import Markup

MAX_STEPS = 200_000  # loop iterations plus calls in one render
MAX_OUTPUT = 2_000_000  # characters of HTML from one template
MAX_EXPONENT = 64
MAX_INT_BITS = 4096
MAX_RELATED = 1000  # rows of a related list
MAX_DEPTH = 4  # record -> related record -> ... views
SENSITIVE = re.compile(r"password|secret|token|hash|salt|session|api_?key|otp|credential", re.IGNORECASE)
WIDE_FORMAT = re.compile(r"\d{6,}")  # '%0999999d', '{:>999999}'
PLAIN = (str, int, float, bool, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta, uuid.UUID)


class RenderLimit(SecurityError):
    """A render went past one of its limits."""


# --- views of records and people ------------------------------------------------------


class PersonView:
    """A user as a print shows them: name, NIP, rank and position only."""

    __slots__ = ("name", "nip", "title", "rank")

    def __init__(self, user):
        from .scope import backend

        person = backend().person(user)
        self.name, self.nip, self.title, self.rank = person.name, person.nip, person.title, person.rank

    # Indonesian names, as templates write them
    nama = property(lambda self: self.name)
    jabatan = property(lambda self: self.title)
    pangkat = property(lambda self: self.rank)

    def __str__(self):
        return self.name

    def __html__(self):
        return Markup.escape(self.name)


class RecordView:
    """Field values of a model instance by attribute (and by item); foreign
    keys as views of the related record, people as PersonView, reverse
    relations as lists of views, the model's own properties, nothing else."""

    __slots__ = ("_obj", "_depth")

    def __init__(self, obj: models.Model, depth: int = 0):
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_depth", depth)

    def __getattr__(self, name):
        if name.startswith("_") or SENSITIVE.search(name):
            raise AttributeError(name)
        return _attribute(self._obj, name, self._depth)

    def __getitem__(self, name):
        if not isinstance(name, str):
            raise KeyError(name)
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __setattr__(self, name, value):
        raise AttributeError(name)

    def __str__(self):
        return str(self._obj)

    def __html__(self):
        return Markup.escape(str(self._obj))

    def __eq__(self, other):
        return isinstance(other, RecordView) and other._obj == self._obj

    def __hash__(self):
        return hash(self._obj)


def _attribute(obj, name: str, depth: int):
    try:
        field = obj._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if field is not None:
        if SENSITIVE.search(field.name):
            raise AttributeError(name)
        if field.concrete and not field.is_relation:
            return safe(getattr(obj, field.attname), depth)
        if field.many_to_one or field.one_to_one:
            if getattr(field, "attname", None) == name and field.concrete:
                return getattr(obj, name)  # unit_id: the key itself
            try:
                return safe(getattr(obj, field.name), depth + 1)
            except models.ObjectDoesNotExist:
                return None
        if field.one_to_many or field.many_to_many:
            accessor = field.get_accessor_name() if field.auto_created else field.name
            if not accessor or accessor.endswith("+") or depth >= MAX_DEPTH:
                raise AttributeError(name)
            return safe(getattr(obj, accessor).all()[:MAX_RELATED], depth + 1)
        raise AttributeError(name)
    # a reverse accessor named by related_name (doc.diktum), or a property of the model
    for rel in obj._meta.related_objects:
        if rel.get_accessor_name() == name:
            if depth >= MAX_DEPTH:
                raise AttributeError(name)
            if rel.one_to_one:
                try:
                    return safe(getattr(obj, name), depth + 1)
                except models.ObjectDoesNotExist:
                    return None
            return safe(getattr(obj, name).all()[:MAX_RELATED], depth + 1)
    custom = getattr(obj, "custom", None)
    if isinstance(custom, dict) and name in custom:  # a Customize Form field, typed
        from .dynamic import customize
        from .registry import for_model

        cf = customize.field_named(for_model(obj).doctype, name)
        if cf is not None:
            return safe(customize.value(obj, cf), depth + 1)
    static = inspect.getattr_static(type(obj), name, None)
    if isinstance(static, (property, cached_property)):
        return safe(getattr(obj, name), depth)
    if re.fullmatch(r"get_\w+_display", name) and callable(getattr(obj, name, None)):
        return getattr(obj, name)
    raise AttributeError(name)


def safe(value, depth: int = 0):
    """A value a template may hold: plain values as they are, records and
    people as views, containers with safe contents; anything else as text."""
    if value is None or isinstance(value, (Markup, *PLAIN)):
        return value
    if isinstance(value, (RecordView, PersonView)):
        return value
    if isinstance(value, get_user_model()):
        return PersonView(value)
    if isinstance(value, models.Model):
        return RecordView(value, depth) if depth <= MAX_DEPTH else str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, (models.QuerySet, models.Manager)):
        qs = value.all() if isinstance(value, models.Manager) else value
        return [safe(v, depth) for v in qs[:MAX_RELATED]]
    if isinstance(value, dict):
        return {k: safe(v, depth) for k, v in value.items() if not (isinstance(k, str) and SENSITIVE.search(k))}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [safe(v, depth) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: safe(getattr(value, f.name), depth)
            for f in dataclasses.fields(value)
            if not SENSITIVE.search(f.name)
        }
    if callable(value):
        return value  # helpers (tanggal, rupiah ...) and get_*_display
    return str(value)


def safe_context(context: dict) -> dict:
    """The template context with every value made safe; ``token`` is the
    verification token the template prints in its QR code, kept as it is."""
    return {k: (v if k == "token" else safe(v)) for k, v in context.items()}


# --- the bounded environment ----------------------------------------------------------

_budget = contextvars.ContextVar("print_budget", default=None)


class _Budget:
    __slots__ = ("steps", "deadline")

    def __init__(self, seconds: float):
        self.steps = 0
        self.deadline = time.monotonic() + seconds

    def tick(self):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RenderLimit(
                _("templat melewati batas %(n)s putaran/pemanggilan dalam satu cetakan") % {"n": MAX_STEPS}
            )
        if self.steps % 256 == 0 and time.monotonic() > self.deadline:
            raise RenderLimit(_("templat melewati batas waktu cetak"))


def time_limit() -> float:
    return float(getattr(settings, "PRINT_TIME_LIMIT", 30))


def _tick():
    budget = _budget.get()
    if budget is not None:
        budget.tick()


def _too_long(size) -> bool:
    return size > MAX_OUTPUT


def _size(value):
    return len(value) if isinstance(value, (str, list, tuple, bytes)) else None


def _loop_budget(iterable):
    for item in iterable:
        _tick()
        yield item


def _bounded_text(value):
    if isinstance(value, str) and _too_long(len(value)):
        raise RenderLimit(_("teks dalam templat terlalu panjang (paling banyak %(n)s karakter)") % {"n": MAX_OUTPUT})
    return value


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        # every for loop counts its iterations; every ~ checks what it built
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_loop_budget", [], [], None, None, lineno=loop.lineno)
        for parent in list(tree.find_all(nodes.Node)):
            for field in parent.fields:
                child = getattr(parent, field, None)
                if isinstance(child, nodes.Concat):
                    setattr(
                        parent, field, nodes.Filter(child, "_bounded_text", [], [], None, None, lineno=child.lineno)
                    )
                elif isinstance(child, list):
                    for i, item in enumerate(child):
                        if isinstance(item, nodes.Concat):
                            child[i] = nodes.Filter(item, "_bounded_text", [], [], None, None, lineno=item.lineno)
        return tree

    def is_safe_attribute(self, obj, attr, value):
        if SENSITIVE.search(attr) or isinstance(obj, (models.Model, models.QuerySet, models.Manager)):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                raise RenderLimit(_("pangkat terlalu besar (paling besar %(n)s)") % {"n": MAX_EXPONENT})
        for value in (left, right):
            if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
                raise RenderLimit(_("bilangan dalam templat terlalu besar"))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if _size(seq) is not None and isinstance(times, int) and _too_long(_size(seq) * max(times, 0)):
                    raise RenderLimit(
                        _("teks atau daftar yang diulang terlalu panjang (paling banyak %(n)s)") % {"n": MAX_OUTPUT}
                    )
        if operator == "+" and _size(left) is not None and _size(right) is not None:
            if _too_long(_size(left) + _size(right)):
                raise RenderLimit(_("teks atau daftar terlalu panjang (paling banyak %(n)s)") % {"n": MAX_OUTPUT})
        if operator == "%" and isinstance(left, str) and WIDE_FORMAT.search(left):
            raise RenderLimit(_("lebar format terlalu besar"))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - as jinja's signature
        _tick()
        for value in (*args, *kwargs.values()):
            if isinstance(value, int) and _too_long(value):
                raise RenderLimit(_("argumen bilangan terlalu besar: %(v)s") % {"v": str(value)[:20]})
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") in ("replace", "expandtabs"):
            new = args[1] if len(args) > 1 else ""
            grow = max(len(new) if isinstance(new, str) else 1, 8)
            if _too_long(len(owner) * grow):
                raise RenderLimit(
                    _("teks dalam templat terlalu panjang (paling banyak %(n)s karakter)") % {"n": MAX_OUTPUT}
                )
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and WIDE_FORMAT.search(value.__self__):

            def refuse(*args, **kwargs):
                raise RenderLimit(_("lebar format terlalu besar"))

            return refuse
        return wrapped


def _guard_filter(fn):
    """Builtin filters with a size argument (center, indent, batch, wordwrap,
    format ...) refuse sizes beyond the output limit."""

    def guarded(*args, **kwargs):
        for value in (*args[1:], *kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and _too_long(value):
                raise RenderLimit(_("argumen bilangan terlalu besar: %(v)s") % {"v": str(value)[:20]})
        if getattr(fn, "__name__", "") == "do_format" and len(args) > 1 and isinstance(args[1], str):
            if WIDE_FORMAT.search(args[1]):
                raise RenderLimit(_("lebar format terlalu besar"))
        return fn(*args, **kwargs)

    for attr in ("jinja_pass_arg",):
        if hasattr(fn, attr):
            setattr(guarded, attr, getattr(fn, attr))
    guarded.__name__ = getattr(fn, "__name__", "filter")
    return guarded


def make_environment(**kwargs) -> BoundedEnvironment:
    env = BoundedEnvironment(**kwargs)
    env.filters = {name: _guard_filter(fn) for name, fn in env.filters.items()}
    env.filters.update(_loop_budget=_loop_budget, _bounded_text=_bounded_text)
    return env


def render_bounded(template, context: dict) -> str:
    """Render with the step budget, the time limit and the output limit."""
    parts, size = [], 0
    with render_budget():
        for chunk in template.generate(context):
            size += len(chunk)
            if _too_long(size):
                raise RenderLimit(_("hasil templat terlalu panjang (paling banyak %(n)s karakter)") % {"n": MAX_OUTPUT})
            parts.append(chunk)
    return "".join(parts)


@contextmanager
def render_budget():
    token = _budget.set(_Budget(time_limit()))
    try:
        yield
    finally:
        _budget.reset(token)


class PrintTimeout(Exception):
    pass


@contextmanager
def wall_clock(seconds: float):
    """Stop what runs inside after ``seconds`` with PrintTimeout: the one way
    to stop WeasyPrint midway. In the main thread (sync workers, management
    commands) through SIGALRM; in any other thread (gunicorn's gthread
    workers, as ``make run`` uses) a timer raises the exception in the
    rendering thread at its next Python instruction."""
    if seconds <= 0:
        yield
        return
    # WeasyPrint catches broad exceptions in places (a font that fails to
    # load is skipped): a PrintTimeout raised there is swallowed and the
    # render goes on, so a block that ends after the limit fails here too.
    expired = []
    if threading.current_thread() is not threading.main_thread():
        with _thread_clock(seconds, expired):
            yield
        if expired:
            raise PrintTimeout
        return

    def expire(signum, frame):
        expired.append(True)
        raise PrintTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if expired:
        raise PrintTimeout


@contextmanager
def _thread_clock(seconds: float, expired: list):
    target = threading.get_ident()
    lock = threading.Lock()
    finished = False

    def expire():
        with lock:
            if not finished:
                expired.append(True)
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), ctypes.py_object(PrintTimeout))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            finished = True
            if expired:  # not yet delivered, it would strike whatever runs next: wall_clock raises instead
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)
        timer.cancel()
