"""What a web worker's first request would otherwise pay, done before the
worker takes requests (gunicorn's ``post_worker_init``, see
``config/deploy/gunicorn.conf.py``): the data-defined doctypes built from
the database, every URL module imported (and with it each desk page's
admin), the desk's main templates compiled. Without it the first user
served by each new worker waits half a second or more.

Nothing here is needed for correctness: a failure (no database yet, say)
is logged and the worker starts as before.
"""

import logging

log = logging.getLogger(__name__)

TEMPLATES = (
    "docflow/desk/change_form.html",
    "admin/change_list.html",
    "admin/index.html",
)


def warm_up() -> None:
    from django.db import connections
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.urls import get_resolver

    from .dynamic import runtime

    try:
        runtime.ensure_current()
        get_resolver().url_patterns  # noqa: B018 - importing the URL modules is the point
        for name in TEMPLATES:
            try:
                get_template(name)
            except TemplateDoesNotExist:
                log.warning("warm-up: template %s not found", name)
    except Exception:  # noqa: BLE001 - a cold start is slower, not wrong
        log.warning("warm-up of the web worker failed; it starts cold", exc_info=True)
    finally:
        connections.close_all()  # requests run in other threads, with their own connections
