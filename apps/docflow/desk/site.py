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
    def get_app_list(self, request, app_label=None):
        key = chrome_key(request, "apps") if app_label is None else None
        if key is None:
            return super().get_app_list(request, app_label)
        apps = chrome_cache.get_or_build(key, lambda: super(DeskSite, self).get_app_list(request))
        # a copy per request: a page may sort or annotate its own list
        return [{**app, "models": [dict(model) for model in app["models"]]} for app in apps]
