"""The REST API in Frappe's dialect, so Frappe's own clients work unchanged.

Responses: ``{"data": ...}`` for /api/resource, ``{"message": ...}`` for
/api/method; errors carry ``exc_type``, ``exception``, ``_server_messages``
(as Frappe) and a readable ``message``, with the matching HTTP status. The
same selector and services as the desk decide what a user sees and may do.
"""

import datetime
import decimal
import json
from functools import wraps

from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import printing, registry
from ..exceptions import DocflowError, DocumentNotFound
from ..issuing import ensure_rendered
from ..models import File, IssuedDocument
from ..security import lockout_json
from ..selectors import document_get_for_user, visible_documents
from ..services import workflow as wf
from ..services.files import file_attach_check, file_create
from .auth import API_SESSION_FLAG, csrf_failure
from .query import STANDARD, QueryError, apply_query, loads, parse_filters, resolve_field, text_param

ENGINE_READONLY = {
    "id", "name", "workflow_state", "docstatus", "process_code", "number", "number_date", "state_entered_at",
    "due_at", "state_seq", "created_by", "modified_by", "created_at", "modified_at", "unit",
}  # fmt: skip


class ApiError(DocflowError):
    pass


class AuthError(ApiError):
    http_status = 401
    exc_type = "AuthenticationError"


class Forbidden(ApiError):
    http_status = 403
    exc_type = "PermissionError"


def _error_response(status: int, exc_type: str, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "exc_type": exc_type,
            "exception": f"frappe.exceptions.{exc_type}: {message}",
            "_server_messages": json.dumps([json.dumps({"message": message, "indicator": "red"})]),
            "message": message,
        },
        status=status,
    )


def api_view(methods=("GET", "POST")):
    """JSON errors, method check, CSRF rule of api.auth, one place."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method not in methods:
                return _error_response(
                    405, "ValidationError", _("Metode %(m)s tidak diizinkan.") % {"m": request.method}
                )
            if getattr(request, "docflow_bad_token", False):
                return _error_response(401, "AuthenticationError", _("Kunci API tidak sah."))
            if csrf_failure(request):
                return _error_response(403, "CSRFTokenError", _("Token CSRF tidak ada atau tidak sah."))
            try:
                return view(request, *args, **kwargs)
            except DocflowError as exc:
                return _error_response(exc.http_status, exc.exc_type, exc.message)
            except ValidationError as exc:
                return _error_response(417, "ValidationError", _messages(exc))

        return wrapper

    return decorate


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
    return " ".join(exc.messages)


def _require_login(request):
    if not request.user.is_authenticated:
        raise AuthError(_("Silakan masuk terlebih dahulu."))


def _params(request) -> dict:
    """GET query, form fields or a JSON body, merged as Frappe does."""
    data = dict(request.GET.items())
    if request.method in ("POST", "PUT"):
        if request.content_type == "application/json":
            body = loads(request.body or b"{}", ApiError)
            if not isinstance(body, dict):
                raise ApiError(_("Isi permintaan harus berupa objek JSON."))
            data.update(body)
        elif request.method == "PUT" and request.content_type == "application/x-www-form-urlencoded":
            # Django parses form bodies of POST only; frappeclient.update sends PUT data={"data": ...}
            data.update(QueryDict(request.body, encoding=request.encoding).items())
        else:
            data.update(request.POST.items())
    return data


def _doctype(name: str):
    if not isinstance(name, str):
        raise ApiError(_("Parameter doctype harus berupa teks."))
    return registry.get(name)


def _check_perm(request, info, action: str):
    meta = info.model._meta
    if not request.user.has_perm(f"{meta.app_label}.{action}_{meta.model_name}"):
        raise Forbidden(
            _("Anda tidak berwenang (%(action)s) atas %(doctype)s.") % {"action": action, "doctype": info.doctype}
        )


def _value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value) if value == value.to_integral() or abs(value) < 10**15 else str(value)
    return value


def serialize(doc, fields=None) -> dict:
    info = registry.for_model(doc)
    out = {
        "doctype": info.doctype,
        "name": doc.name,
        "owner": doc.created_by.username if doc.created_by_id else None,
        "creation": _value(doc.created_at),
        "modified": _value(doc.modified_at),
        "modified_by": doc.modified_by.username if doc.modified_by_id else None,
        "docstatus": doc.docstatus,
        "workflow_state": doc.workflow_state,
    }
    for field in doc._meta.concrete_fields:
        if field.name in ("id", "created_by", "modified_by", "created_at", "modified_at"):
            continue
        out[field.name] = _value(getattr(doc, field.attname))
    if fields:
        return {k: out.get(k) for k in fields}
    return out


def _list(request, doctype: str):
    info = _doctype(doctype)
    _check_perm(request, info, "view")
    params = _params(request) if request.method == "POST" else dict(request.GET.items())
    qs = visible_documents(info.model, request.user).select_related("created_by", "modified_by")
    rows, fields = apply_query(qs, info.model, info.doctype, params)
    return [serialize(doc, fields) for doc in rows]


def _writable(info, data: dict) -> dict:
    model = info.model
    clean = {}
    for key, value in data.items():
        if key in ("doctype", "__islocal", "__unsaved", "idx") or key in ENGINE_READONLY or key in STANDARD:
            continue  # Frappe clients send whole documents back; the engine's fields are not theirs to set
        try:
            _path, field = resolve_field(model, key)
        except QueryError:
            raise ApiError(
                _("Field tidak dikenal pada %(doctype)s: %(field)s") % {"doctype": info.doctype, "field": key}
            ) from None
        if not field.editable:
            raise ApiError(_("Field %(field)s tidak dapat diubah.") % {"field": key})
        if value is not None and isinstance(value, (dict, list)):
            raise ApiError(_("Nilai field %(field)s tidak sah.") % {"field": key})
        try:
            clean[field.attname] = field.to_python(value) if value is not None else None
        except ValidationError as exc:
            raise ValidationError({key: exc.messages}) from None
    return clean


def _doc_payload(params) -> dict:
    raw = params.get("data", params)
    if isinstance(raw, str):
        raw = loads(raw, ApiError, _("Isi data bukan JSON yang sah."))
    if not isinstance(raw, dict):
        raise ApiError(_("Isi data harus berupa objek JSON."))
    return raw


# --- /api/method --------------------------------------------------------------------


@api_view(("GET", "POST"))
def ping(request):
    return JsonResponse({"message": "pong"})


@api_view(("POST",))
def login_view(request):
    # django-axes counts failures per account and per account+address (shared
    # by all workers) and refuses a locked account inside authenticate().
    params = _params(request)
    user = authenticate(request=request, username=text_param(params, "usr"), password=text_param(params, "pwd"))
    if getattr(request, "axes_locked_out", False):
        return lockout_json(request)
    if user is None or not user.is_active:
        raise AuthError(_("Nama pengguna atau kata sandi salah."))
    login(request, user)
    request.session[API_SESSION_FLAG] = True
    return JsonResponse(
        {"message": "Logged In", "home_page": "/app", "full_name": user.get_full_name() or user.username}
    )


@api_view(("GET", "POST"))
def logout_view(request):
    logout(request)
    return JsonResponse({"message": "Logged Out"})


@api_view(("GET",))
def get_logged_user(request):
    _require_login(request)
    return JsonResponse({"message": request.user.get_username()})


@api_view(("GET", "POST"))
def client_get_list(request):
    _require_login(request)
    params = _params(request)
    return JsonResponse({"message": _list(request, params.get("doctype", ""))})


@api_view(("GET", "POST"))
def client_get_count(request):
    _require_login(request)
    params = _params(request)
    info = _doctype(params.get("doctype", ""))
    _check_perm(request, info, "view")
    qs = visible_documents(info.model, request.user)
    for q in parse_filters(info.model, info.doctype, params.get("filters")):
        qs = qs.filter(q)
    return JsonResponse({"message": qs.count()})


@api_view(("GET", "POST"))
def client_get(request):
    _require_login(request)
    params = _params(request)
    info = _doctype(params.get("doctype", ""))
    _check_perm(request, info, "view")
    doc = document_get_for_user(user=request.user, model=info.model, name=text_param(params, "name"))
    return JsonResponse({"message": serialize(doc)})


def _doc_from_param(request, raw) -> tuple:
    data = raw
    if isinstance(raw, str):
        data = loads(raw, ApiError, _("Parameter doc bukan JSON yang sah."))
    if not isinstance(data, dict) or not data.get("doctype") or not isinstance(data.get("name"), str):
        raise ApiError(_("Parameter doc harus memuat doctype dan name."))
    info = _doctype(data["doctype"])
    _check_perm(request, info, "view")
    doc = document_get_for_user(user=request.user, model=info.model, name=data["name"])
    return info, doc, data


@api_view(("GET", "POST"))
def workflow_get_transitions(request):
    _require_login(request)
    _info, doc, _data = _doc_from_param(request, _params(request).get("doc"))
    actions = wf.available_actions(doc, request.user)
    return JsonResponse(
        {
            "message": [
                {
                    "state": doc.workflow_state,
                    "action": a.action,
                    "next_state": a.next_state,
                    "allowed": a.role,
                    "require_comment": int(a.require_comment),
                    "require_attachment": int(a.require_attachment),
                    "on_behalf_of": a.on_behalf_of,
                    "quorum": a.quorum,
                    "votes": a.votes,
                }
                for a in actions
            ]
        }
    )


@api_view(("POST",))
def workflow_apply(request):
    _require_login(request)
    params = _params(request)
    _info, doc, data = _doc_from_param(request, params.get("doc"))
    action = params.get("action")
    if not action or not isinstance(action, str):
        raise ApiError(_("Parameter action wajib diisi."))
    files = []
    for file_id in _ids(params.get("attachments")):
        record = File.objects.filter(pk=file_id, uploaded_by=request.user).first()
        if record is None:
            raise ApiError(_("Lampiran %(id)s tidak ditemukan.") % {"id": file_id})
        files.append(record)
    result = wf.apply_action(
        doc=doc,
        action=action,
        user=request.user,
        comment=text_param(params, "comment"),
        attachments=files,
        expected_state=text_param(data, "workflow_state") or None,
    )
    payload = serialize(result.doc)
    if not result.applied:
        payload["_votes"] = {"votes": result.votes, "quorum": result.quorum}
    return JsonResponse({"message": payload})


def _ids(raw) -> list[int]:
    if raw in (None, "", []):
        return []
    if isinstance(raw, str):
        raw = loads(raw, ApiError, _("attachments harus berupa daftar ID berkas."))
    if not isinstance(raw, list):
        raise ApiError(_("attachments harus berupa daftar ID berkas."))
    try:
        ids = [int(x) for x in raw if not isinstance(x, (bool, float))]
    except (TypeError, ValueError):
        raise ApiError(_("attachments harus berupa daftar ID berkas.")) from None
    if len(ids) != len(raw) or any(not 0 < x < 2**63 for x in ids):
        raise ApiError(_("attachments harus berupa daftar ID berkas."))
    return ids


@api_view(("GET", "POST"))
def download_pdf(request):
    _require_login(request)
    params = _params(request)
    info = _doctype(params.get("doctype", ""))
    _check_perm(request, info, "view")
    doc = document_get_for_user(user=request.user, model=info.model, name=text_param(params, "name"))
    fmt = text_param(params, "format")
    pf = (
        printing.PrintFormat.objects.filter(doc_type=info.doctype, name=fmt, disabled=False).first()
        if fmt
        else printing.default_format(info.doctype)
    )
    if pf is None:
        raise DocumentNotFound(_("Format cetak %(name)s tidak ada.") % {"name": fmt or "-"})
    issued = IssuedDocument.objects.filter(
        doctype=info.doctype, document_id=doc.pk, print_format=pf, revoked_at__isnull=True
    ).first()
    if issued is not None:
        if not ensure_rendered(issued):
            response = JsonResponse(
                {"message": _("Dokumen sedang dibuat."), "status": "pending", "number": issued.number},
                status=202,
            )
            response["Retry-After"] = "3"
            return response
        with issued.file.open("rb") as fh:
            pdf = fh.read()
    else:
        pdf = printing.render_pdf(pf, printing.build_context(doc), {"Title": f"DRAF {pf.name} {doc.name}"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.name}.pdf"'
    return response


@api_view(("POST",))
def upload_file(request):
    _require_login(request)
    uploaded = request.FILES.get("file")
    if uploaded is None:
        raise ApiError(_("Tidak ada berkas yang diunggah (field file)."))
    doctype, docname = request.POST.get("doctype", ""), request.POST.get("docname", "")
    if doctype:
        info = _doctype(doctype)
        _check_perm(request, info, "view")
        file_attach_check(
            doc=document_get_for_user(user=request.user, model=info.model, name=docname), user=request.user
        )
    record = file_create(uploaded=uploaded, user=request.user, doctype=doctype, name=docname)
    return JsonResponse(
        {
            "message": {
                "name": str(record.pk),
                "file_name": record.file_name,
                "file_url": f"/files/{record.pk}/",
                "file_size": record.file_size,
                "content_hash": record.content_hash,
                "is_private": 1,
                "attached_to_doctype": record.attached_to_doctype or None,
                "attached_to_name": record.attached_to_name or None,
            }
        }
    )


# --- /api/resource ----------------------------------------------------------------------


def _master_perm(request, info):
    meta = info.model._meta
    if not request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}") and not request.user.is_staff:
        raise Forbidden(_("Anda tidak berwenang melihat %(doctype)s.") % {"doctype": info.doctype})


def serialize_master(info, obj, fields=None) -> dict:
    out = {"doctype": info.doctype, "name": getattr(obj, info.name_field)}
    for field in obj._meta.concrete_fields:
        if field.name == "id":
            continue
        value = getattr(obj, field.attname)
        if field.is_relation and value is not None:
            related = getattr(obj, field.name)
            value = getattr(related, info.name_field, value) if type(related) is info.model else value
        out[field.name] = _value(value)
    if fields:
        return {k: out.get(k) for k in fields}
    return out


def _master_view(request, info, name=None):
    """Reference data: read through the API, edited in the desk."""
    if request.method != "GET":
        raise Forbidden(_("%(doctype)s diubah melalui desk oleh administrator.") % {"doctype": info.doctype})
    _master_perm(request, info)
    if name is None:
        rows, fields = apply_query(
            info.model._default_manager.all(), info.model, info.doctype, dict(request.GET.items())
        )
        return JsonResponse({"data": [serialize_master(info, obj, fields) for obj in rows]})
    obj = info.model._default_manager.filter(**{info.name_field: name}).first()
    if obj is None:
        raise DocumentNotFound()
    return JsonResponse({"data": serialize_master(info, obj)})


@api_view(("GET", "POST"))
def resource_list(request, doctype: str):
    _require_login(request)
    if registry.master(doctype):
        return _master_view(request, registry.master(doctype))
    if request.method == "GET":
        return JsonResponse({"data": _list(request, doctype)})
    info = _doctype(doctype)
    _check_perm(request, info, "add")
    data = _writable(info, _doc_payload(_params(request)))
    doc = wf.document_create(model=info.model, user=request.user, data=data)
    return JsonResponse({"data": serialize(doc)})


@api_view(("GET", "PUT", "DELETE"))
def resource_detail(request, doctype: str, name: str):
    _require_login(request)
    if registry.master(doctype):
        return _master_view(request, registry.master(doctype), name)
    info = _doctype(doctype)
    _check_perm(request, info, "view")
    doc = document_get_for_user(user=request.user, model=info.model, name=name)
    if request.method == "GET":
        return JsonResponse({"data": serialize(doc)})
    if request.method == "PUT":
        _check_perm(request, info, "change")
        payload = _doc_payload(_params(request))
        data = _writable(info, payload)
        doc = wf.document_update(doc=doc, user=request.user, data=data, expected_state=payload.get("workflow_state"))
        return JsonResponse({"data": serialize(doc)})
    _check_perm(request, info, "delete")
    if doc.docstatus != 0 or doc.state_seq != 0:
        raise Forbidden(_("Hanya dokumen draf yang belum diproses yang dapat dihapus."))
    with transaction.atomic():
        doc.delete()
    return JsonResponse({"message": "ok"})


def not_found(request, path=""):
    return _error_response(404, "DoesNotExistError", _("Metode API tidak dikenal: %(path)s") % {"path": path})
