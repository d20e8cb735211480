"""Webhooks (Frappe's Webhook doctype, with its field names) and the
document events that fire them.

``fire(doc, event)`` is called by the one write path (``document_create``,
``document_update``, ``document_delete``, ``apply_action``) inside its
transaction, for every registered doctype. For each enabled webhook of the
doctype and event whose ``condition`` holds (the workflow's safe evaluator),
the request is built now, from the document as this step leaves it, and
recorded as a background job in the same transaction: a rolled-back step
sends nothing, a committed one is sent after commit by the worker, retried
with backoff. Each attempt is a ``WebhookRequestLog`` row.

Body: ``webhook_json`` (a Jinja template in the print sandbox, must give
JSON), else the ``webhook_data`` rows (fieldname -> key), else the whole
document as the API serialises it; ``request_structure`` "Form URL-Encoded"
sends the rows as a form. ``enable_security``: HMAC-SHA256 of the body with
``webhook_secret``, base64, in ``X-Frappe-Webhook-Signature`` (as Frappe).
"""

import base64
import functools
import hashlib
import hmac
import json
import re
from urllib.parse import urlencode

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from . import conditions, jobs, registry
from .models import Webhook, WebhookRequestLog

SIGNATURE_HEADER = "X-Frappe-Webhook-Signature"
MAX_LOGGED = 10_000
_SECRET_HEADER = re.compile(r"authorization|token|secret|key|cookie|password", re.I)


@functools.cache
def environment():
    """The payload templates' Jinja environment, built at the first webhook
    with a template (Jinja is imported there, not by every web worker)."""
    from jinja2 import StrictUndefined

    from .print_sandbox import make_environment

    env = make_environment(autoescape=False, undefined=StrictUndefined)
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "cls": DjangoJSONEncoder}
    return env


def check_template(source: str) -> str | None:
    from jinja2 import TemplateError

    try:
        environment().parse(source)
    except TemplateError as exc:
        return _("templat tidak dapat dibaca: %(e)s") % {"e": exc}
    return None


def _field_value(doc, fieldname: str):
    value = getattr(doc, fieldname)
    if hasattr(value, "pk"):
        value = value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def build_request(hook: Webhook, doc) -> dict:
    """URL, method, headers and body of ``hook`` for ``doc`` (raises on a bad
    template or field)."""
    rows = list(hook.webhook_data.all())
    headers = {h.key: h.value for h in hook.webhook_headers.all() if h.key}
    if hook.request_structure == Webhook.Structure.FORM:
        body = urlencode({row.key: _form_value(_field_value(doc, row.fieldname)) for row in rows})
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    else:
        if hook.webhook_json.strip():
            from .print_sandbox import render_bounded, safe

            body = render_bounded(environment().from_string(hook.webhook_json), {"doc": safe(doc)})
            try:
                json.loads(body)
            except ValueError as exc:
                raise ValueError(_("isi webhook_json bukan JSON yang sah: %(e)s") % {"e": exc}) from None
        elif rows:
            body = json.dumps({row.key: _field_value(doc, row.fieldname) for row in rows}, cls=DjangoJSONEncoder)
        else:
            from .api.views import serialize

            body = json.dumps(serialize(doc), cls=DjangoJSONEncoder)
        headers.setdefault("Content-Type", "application/json")
    if hook.enable_security and hook.webhook_secret:
        headers[SIGNATURE_HEADER] = signature(hook.webhook_secret, body)
    return {"url": hook.request_url, "method": hook.request_method, "headers": headers, "body": body}


def _form_value(value):
    return "" if value is None else value


def signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def fire(doc, event: str, *, user=None) -> int:
    """Record the requests of every webhook of ``doc``'s doctype on
    ``event``; sent after the caller's transaction commits. How many."""
    info = registry.for_model(doc)
    hooks = Webhook.objects.filter(enabled=True, webhook_doctype=info.doctype, webhook_docevent=event)
    count = 0
    for hook in hooks.prefetch_related("webhook_headers", "webhook_data"):
        if hook.condition and not conditions.evaluate(hook.condition, doc, user):
            continue
        try:
            request = build_request(hook, doc)
        except Exception as exc:  # noqa: BLE001 - a broken webhook must not refuse the user's step
            WebhookRequestLog.objects.create(
                webhook=hook,
                reference_doctype=info.doctype,
                reference_document=doc.name,
                event=event,
                attempt=0,
                url=hook.request_url,
                error=_("Isi permintaan tidak dapat dibuat: %(e)s") % {"e": exc},
            )
            continue
        jobs.enqueue(
            send_webhook,
            label=f"Webhook {hook.name}: {event} {info.doctype} {doc.name}"[:255],
            webhook_id=hook.pk,
            event=event,
            doctype=info.doctype,
            name=doc.name,
            timeout=hook.timeout,
            **request,
        )
        count += 1
    return count


def _logged_headers(headers: dict) -> str:
    shown = {k: ("***" if _SECRET_HEADER.search(k) and k != SIGNATURE_HEADER else v) for k, v in headers.items()}
    return json.dumps(shown, indent=1, sort_keys=True)


@jobs.job
def send_webhook(*, webhook_id, event, doctype, name, url, method, headers, body, timeout=5) -> int:
    """One attempt: the request, logged; a network error or a status other
    than 2xx fails the attempt (the job is retried with backoff)."""
    import requests
    from django.conf import settings

    current = jobs.current()
    log = WebhookRequestLog(
        webhook_id=webhook_id if Webhook.objects.filter(pk=webhook_id).exists() else None,
        job_id=current.pk if current else None,
        reference_doctype=doctype,
        reference_document=name,
        event=event,
        attempt=current.attempts if current else 1,
        url=url,
        headers=_logged_headers(headers),
        data=body[:MAX_LOGGED],
    )
    try:
        response = requests.request(
            method,
            url,
            data=body.encode(),
            headers=headers,
            timeout=(3.05, min(float(timeout or 5), settings.WEBHOOK_TIMEOUT)),
            allow_redirects=False,
        )
        log.status_code = response.status_code
        log.response = response.text[:MAX_LOGGED]
        response.raise_for_status()
    except requests.RequestException as exc:
        log.error = f"{type(exc).__name__}: {exc}"[:MAX_LOGGED]
        log.save()
        raise
    log.save()
    return response.status_code


# --- the API: POST /api/resource/Webhook ---------------------------------------------


class WebhookBaseForm(forms.ModelForm):
    """What the desk's form and the API validate alike."""

    request_url = forms.URLField(label=_lazy("URL tujuan"), max_length=2000, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = "__all__"


FIELDS = (
    "name",
    "webhook_doctype",
    "webhook_docevent",
    "enabled",
    "condition",
    "request_url",
    "request_method",
    "request_structure",
    "timeout",
    "enable_security",
    "webhook_secret",
    "webhook_json",
)
HIDDEN = ("webhook_secret",)


def webhook_create(payload: dict, user) -> Webhook:
    """A webhook from Frappe's JSON (child tables ``webhook_headers`` and
    ``webhook_data`` as lists of rows), validated like the desk's form; the
    caller holds the transaction."""
    from django.core.exceptions import ValidationError

    from .models import WebhookData, WebhookHeader

    unknown = sorted(set(payload) - set(FIELDS) - {"webhook_headers", "webhook_data", "doctype"})
    if unknown:
        raise ValidationError(_("Field tidak dikenal pada Webhook: %(f)s") % {"f": ", ".join(unknown)})
    form_class = forms.modelform_factory(Webhook, form=WebhookBaseForm, fields=FIELDS)
    data = {k: v for k, v in payload.items() if k in FIELDS}
    if not data.get("name"):
        import secrets

        data["name"] = f"HOOK-{secrets.token_hex(4).upper()}"
    base = {f: form_class.base_fields[f].initial for f in FIELDS if form_class.base_fields[f].initial is not None}
    base.update(data)
    form = form_class(data=base)
    if not form.is_valid():
        raise ValidationError({k: [str(m) for m in v] for k, v in form.errors.items()})
    hook = form.save()
    rows = []
    for kind, model, keys in (
        ("webhook_headers", WebhookHeader, ("key", "value")),
        ("webhook_data", WebhookData, ("fieldname", "key")),
    ):
        raw = payload.get(kind) or []
        if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
            raise ValidationError({kind: [_("harus berupa daftar baris")]})
        for row in raw:
            obj = model(webhook=hook, **{k: str(row.get(k) or "") for k in keys})
            obj.full_clean()
            rows.append(obj)
    info = registry.get(hook.webhook_doctype)
    for obj in rows:
        if isinstance(obj, WebhookData) and obj.fieldname not in conditions.field_names(info.model):
            raise ValidationError({"webhook_data": [_("Field %(f)s tidak dikenal.") % {"f": obj.fieldname}]})
        obj.save()
    return hook
