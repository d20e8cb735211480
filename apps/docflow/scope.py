"""Who may act where: the engine asks a backend that the project names in
``DOCFLOW_SCOPE_BACKEND`` (the organisation app implements it), so the engine
itself knows nothing of units, positions or delegation rules."""

import contextlib
import contextvars
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class RoleGrant:
    """The right to act in ``role`` on documents of ``units`` (None: every unit).

    A delegated grant (Plt./Plh.) names the official it acts for and the label
    that logs and signature blocks print ("Plh. Kepala Badan").
    """

    role: str
    units: frozenset | None
    on_behalf_of: object | None = None  # the official (a user) when delegated
    label: str = ""
    committee: bool = False  # acts on any unit's documents that wait for the role

    def covers(self, unit_id) -> bool:
        return self.units is None or unit_id in self.units


@dataclass(frozen=True)
class Person:
    name: str
    nip: str = ""
    title: str = ""
    rank: str = ""


class ScopeBackend:
    """The interface; see apps.organisasi.scope for the agency's implementation."""

    def grants(self, user, *, at: datetime | None = None) -> list[RoleGrant]:
        raise NotImplementedError

    def visible_units(self, user) -> frozenset | None:
        """Units whose documents the user sees (None: all)."""
        raise NotImplementedError

    def users_for_role(self, role: str, unit_id) -> list:
        """Users who can act in ``role`` on a document of ``unit_id`` now."""
        raise NotImplementedError

    def person(self, user) -> Person:
        raise NotImplementedError

    def unit_label(self, unit_id) -> str:
        raise NotImplementedError

    def default_unit(self, doctype_info, user):
        """The unit id a new document of this type belongs to."""
        raise NotImplementedError

    def member_units(self, user) -> frozenset:
        """Units the user works in: their own and those above it (a sub-task
        to a unit waits for everyone working in it or below)."""
        return frozenset()

    def unit_members(self, unit_id) -> list:
        """Active users working in ``unit_id`` or below it."""
        return []

    def unit_by_code(self, code: str):
        """The id of the unit with this code (None: unknown)."""
        return None


@cache
def _backend() -> ScopeBackend:
    return import_string(settings.DOCFLOW_SCOPE_BACKEND)()


_memo: contextvars.ContextVar = contextvars.ContextVar("docflow_scope_memo", default=None)
MEMOIZED = ("grants", "visible_units")


class _Memoized:
    """The backend with grants and visible units remembered per user, for the
    length of one ``cached()`` block (a report asks the same for every doctype)."""

    def __init__(self, inner, store):
        self._inner, self._store = inner, store

    def __getattr__(self, name):
        method = getattr(self._inner, name)
        if name not in MEMOIZED:
            return method

        def remembered(user, **kwargs):
            key = (name, getattr(user, "pk", None), tuple(sorted(kwargs.items())))
            if key not in self._store:
                self._store[key] = method(user, **kwargs)
            return self._store[key]

        return remembered


@contextlib.contextmanager
def cached():
    """Remember who may do what for the duration of a block: a request (see
    ``RequestScopeMiddleware``) or a report. Writes to the organisation
    (roles, staff, delegations, units) call ``forget()``."""
    if _memo.get() is not None:  # already inside a block: share its memory
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key, compute):
    """``compute()`` once per ``cached()`` block for ``key`` (every time outside one)."""
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def forget():
    """Drop what the current block remembered (the organisation changed)."""
    store = _memo.get()
    if store is not None:
        store.clear()


class RequestScopeMiddleware:
    """One memory per request: grants, visible units, the unit tree and the
    loaded workflows are computed once however often a request asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with cached():
            return self.get_response(request)


def backend() -> ScopeBackend:
    store = _memo.get()
    return _backend() if store is None else _Memoized(_backend(), store)
