"""The desk's admin site (django-unfold's, installed as Django's default site
by ``apps.docflow.desk.apps.DeskAdminConfig``): the same pages, with the chrome every page draws
built once per kind of user instead of once per request.

Every desk page lists the applications and models its user may open (the
"all applications" panel and the sidebar). Building that list asks each of
the hundred-odd registered models for the user's rights and reverses a URL
for each: about a third of a small page's time. What it shows depends only
on the user's Django permissions, the language, the URL prefix and the
data-defined doctypes, so it is kept per those, in this process, and built
again when any of them changes.
"""

import threading
from collections import OrderedDict

from django.urls import get_script_prefix
from django.utils.translation import get_language
from unfold.sites import UnfoldAdminSite

CHROME_CACHE_SIZE = 256


class ChromeCache:
    """A small LRU of what a page's chrome shows, keyed by ``chrome_key``."""

    def __init__(self, size=CHROME_CACHE_SIZE):
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get_or_build(self, key, build):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = build()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._data.clear()


chrome_cache = ChromeCache()


def chrome_key(request, part: str):
    """What the chrome of ``request`` depends on: the user's rights (Django
    permissions, which the roles' DocPerm rights are synced into), the
    language, the URL prefix and the data-defined doctypes' generation."""
    from ..dynamic.runtime import generation

    user = request.user
    if not user.is_active or not user.is_staff:
        return None
    rights = "*" if user.is_superuser else frozenset(user.get_all_permissions())
    return (part, rights, get_language(), get_script_prefix(), generation())


class DeskSite(UnfoldAdminSite):
    def get_urls(self):
        """Django's admin URLs with the models' pages grouped under their
        application (``perizinan/`` then ``permohonanskt/``): resolving a
        desk URL tries one pattern per application and per model of that
        application, not one per model of the whole desk (more than a
        hundred). Same URLs and names. A filtered list resolves each row's
        link once (the admin's preserved filters), so that is fifty times a
        page."""
        from django.urls import URLResolver, include, path
        from django.urls.resolvers import RoutePattern

        urls = super().get_urls()
        routes = {f"{m._meta.app_label}/{m._meta.model_name}/" for m in self._registry}
        grouped: dict[str, list] = {}
        rest, at = [], None
        for pattern in urls:
            route = str(pattern.pattern) if isinstance(pattern, URLResolver) else None
            if route in routes and isinstance(pattern.pattern, RoutePattern):
                app_label, model_name, _ = route.split("/")
                grouped.setdefault(app_label, []).append(path(f"{model_name}/", include(pattern.urlconf_name)))
                at = len(rest) if at is None else at
            else:
                rest.append(pattern)
        if at is None:
            return urls
        return [*rest[:at], *(path(f"{label}/", include(models)) for label, models in grouped.items()), *rest[at:]]

    def get_app_list(self, request, app_label=None):
        key = chrome_key(request, "apps") if app_label is None else None
        if key is None:
            return super().get_app_list(request, app_label)
        apps = chrome_cache.get_or_build(key, lambda: super(DeskSite, self).get_app_list(request))
        # a copy per request: a page may sort or annotate its own list
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in apps]


def headers_once_per_list() -> None:
    """django-unfold 0.91 computes a list's column headers again for every
    row it draws (``items_for_result`` asks ``result_headers`` for the
    labels), each time looking up every column's label and, on a list with
    actions, drawing the select-all checkbox through the form templates:
    fifty times a page. The headers depend on the list only, so each list
    (``ChangeList``) keeps the first answer. Compare at an upgrade of unfold
    (``tests/docflow/test_desk_chrome.py`` counts them)."""
    from unfold.templatetags import unfold_list

    compute = unfold_list.result_headers
    if getattr(compute, "once_per_list", False):
        return

    def result_headers(cl):
        headers = cl.__dict__.get("_docflow_headers")
        if headers is None:
            headers = cl._docflow_headers = list(compute(cl))
        return iter(headers)

    result_headers.once_per_list = True
    unfold_list.result_headers = result_headers
