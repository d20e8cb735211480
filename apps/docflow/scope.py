"""Who may act where: the engine asks a backend that the project names in
``DOCFLOW_SCOPE_BACKEND`` (the organisation app implements it), so the engine
itself knows nothing of units, positions or delegation rules."""

import contextlib
import contextvars
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.db import transaction
from django.utils import timezone
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

    def home_unit(self, user):
        """The id of the unit the user works in (None: none, or not staff)."""
        return None

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
MEMOIZED = ("grants", "visible_units", "member_units")


# Across requests, grants, visible units and a user's permissions live in
# Django's cache under an authorisation version that every write to the
# organisation bumps (``forget``), now and again when the transaction commits,
# and under today's date (delegations and team memberships run by days).
# A shared cache (Redis, ``CACHE_URL``) sees a bump at once in every worker;
# a per-process cache (LocMemCache) in the process that wrote it, and in the
# others within AUTHZ_TIMEOUT.
AUTHZ_VERSION_KEY = "docflow:authz-version"
AUTHZ_TIMEOUT = 60  # seconds


def authz_version() -> int:
    return remember(("authz_version",), lambda: django_cache.get_or_set(AUTHZ_VERSION_KEY, 1, None))


def _bump_authz_version():
    try:
        django_cache.incr(AUTHZ_VERSION_KEY)
    except ValueError:
        django_cache.set(AUTHZ_VERSION_KEY, 1, None)


def authz_cached(kind: str, user_pk, compute):
    """``compute()`` kept across requests for ``user_pk`` (see AUTHZ_VERSION_KEY)."""
    key = f"docflow:authz:{authz_version()}:{timezone.localdate().isoformat()}:{kind}:{user_pk}"
    value = django_cache.get(key)
    if value is None:
        value = (compute(),)  # in a tuple: None is a value (visible_units: all)
        django_cache.set(key, value, AUTHZ_TIMEOUT)
    return value[0]


class _Memoized:
    """The backend with grants and visible units remembered per user, for the
    length of one ``cached()`` block (a report asks the same for every doctype)
    and, asked without arguments, across blocks (``authz_cached``)."""

    def __init__(self, inner, store):
        self._inner, self._store = inner, store

    def __getattr__(self, name):
        method = getattr(self._inner, name)
        if name not in MEMOIZED:
            return method

        def remembered(user, **kwargs):
            key = (name, getattr(user, "pk", None), tuple(sorted(kwargs.items())))
            if key not in self._store:
                shareable = not kwargs and getattr(user, "is_authenticated", False) and user.is_active
                if shareable:
                    self._store[key] = authz_cached(name, user.pk, lambda: method(user))
                else:
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
    """Drop what the current block remembered and what requests share (the
    organisation or someone's permissions changed)."""
    store = _memo.get()
    if store is not None:
        store.clear()
    _bump_authz_version()
    transaction.on_commit(_bump_authz_version)  # what others read meanwhile was the old state


class PermissionCacheBackend:
    """An authentication backend that authenticates no one: listed before
    Django's ModelBackend, it hands that backend a user's permissions from
    the shared cache (``authz_cached``) instead of two queries per request."""

    def authenticate(self, request, **credentials):
        return None

    def _prefill(self, user_obj):
        from django.contrib.auth.backends import ModelBackend

        if not user_obj.is_active or user_obj.is_anonymous or hasattr(user_obj, "_perm_cache"):
            return
        if not hasattr(user_obj, "_user_perm_cache") and not hasattr(user_obj, "_group_perm_cache"):
            model = ModelBackend()
            kind = f"perms-{int(user_obj.is_superuser)}"
            own, group = authz_cached(
                kind, user_obj.pk, lambda: (model.get_user_permissions(user_obj), model.get_group_permissions(user_obj))
            )
            user_obj._user_perm_cache, user_obj._group_perm_cache = own, group
            user_obj._perm_cache = {*own, *group}

    def has_perm(self, user_obj, perm, obj=None):
        self._prefill(user_obj)
        return False

    def has_module_perms(self, user_obj, app_label):
        self._prefill(user_obj)
        return False

    def get_all_permissions(self, user_obj, obj=None):
        self._prefill(user_obj)
        return set()

    def get_user_permissions(self, user_obj, obj=None):
        self._prefill(user_obj)
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        self._prefill(user_obj)
        return set()


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
