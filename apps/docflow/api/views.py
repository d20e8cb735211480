"""The REST API in Frappe's dialect, so Frappe's own clients work unchanged.

Responses: ``{"data": ...}`` for /api/resource, ``{"message": ...}`` for
/api/method; errors carry ``exc_type``, ``exception``, ``_server_messages``
(as Frappe) and a readable ``message``, with the matching HTTP status. The
same selector and services as the desk decide what a user sees and may do.
"""

import datetime
import decimal
import json
import re
from functools import wraps

from django import forms
from django.contrib.auth import authenticate, login, logout
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import printing, registry
from ..desk.forms import bind_payload, desk_admin, form_data
from ..dynamic import customize
from ..dynamic import fieldtypes as ft
from ..exceptions import DocflowError, DocumentNotFound, StateConflict, WorkflowPermissionError
from ..issuing import ensure_rendered
from ..models import File, IssuedDocument
from ..security import lockout_json
from ..selectors import document_get_for_user, visible_documents
from ..services import workflow as wf
from ..services.files import file_attach_check, file_create
from .auth import API_SESSION_FLAG, csrf_failure
from .query import STANDARD, apply_query, loads, parse_filters, text_param

# Frappe clients send these with a document; they are not fields
FRAPPE_META = {"doctype", "__islocal", "__unsaved", "idx"}


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


def unreadable(info, user) -> set:
    """Fields ``user`` may not read (a data-defined doctype's permission levels)."""
    return info.hidden_fields(user) if info.hidden_fields is not None and user is not None else set()


def serialize(doc, fields=None, user=None) -> dict:
    """The document as Frappe gives it; for ``user``, without the fields of a
    permission level they may not read."""
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
    for cf in customize.fields_for(info.doctype):  # Customize Form
        if cf.fieldtype in ft.VALUE_TYPES:
            out[cf.fieldname] = _value(customize.stored(customize.value(doc, cf)))
    for fieldname in info.children:
        out[fieldname] = [serialize_row(row, doc, info, fieldname) for row in getattr(doc, fieldname).all()]
    for name in unreadable(info, user):
        out.pop(name, None)
    if fields:
        return {k: out.get(k) for k in fields}
    return out


def serialize_row(row, parent, info, parentfield) -> dict:
    """A child table's row as Frappe gives it."""
    out = {
        "name": str(row.pk),
        "idx": row.idx,
        "doctype": getattr(type(row), "child_doctype", ""),
        "parent": parent.name,
        "parentfield": parentfield,
        "parenttype": info.doctype,
    }
    for field in row._meta.concrete_fields:
        if field.name not in ("id", "parent", "idx"):
            out[field.name] = _value(getattr(row, field.attname))
    return out


# what ``serialize`` names each key from, for a list that fetches only the asked
# fields: the standard fields as the query language names them (``STANDARD``)
_SERIALIZED = STANDARD
_NOT_SERIALIZED = ("id", "created_by", "modified_by", "created_at", "modified_at")


def _column(model, key: str) -> str | None:
    """The ORM path ``serialize`` takes ``key`` from (None: it gives None)."""
    if key in _SERIALIZED:
        return _SERIALIZED[key]
    for field in model._meta.concrete_fields:
        if field.name == key and key not in _NOT_SERIALIZED:
            return field.attname
    if key in customize.names(registry.for_model(model).doctype):
        return f"custom__{key}"
    return None


def _refuse_hidden_filters(info, user, params) -> set:
    """A field the user may not read neither filters nor sorts (a count or an
    order would tell its values); returns those fields."""
    hidden = unreadable(info, user)
    asked = " ".join(str(params.get(k, "")) for k in ("filters", "or_filters", "order_by", "group_by"))
    if hidden and any(re.search(rf"\b{re.escape(name)}\b", asked) for name in hidden):
        raise Forbidden(_("Field dengan tingkat izin yang tidak Anda miliki tidak dapat dipakai untuk menyaring."))
    return hidden


def _list(request, doctype: str):
    info = _doctype(doctype)
    _check_perm(request, info, "view")
    params = _params(request) if request.method == "POST" else dict(request.GET.items())
    qs = visible_documents(info.model, request.user)
    hidden = _refuse_hidden_filters(info, request.user, params)
    rows, fields = apply_query(qs, info.model, info.doctype, params)
    if not fields:  # "*": whole documents
        return [serialize(doc, fields, request.user) for doc in rows.select_related("created_by", "modified_by")]
    # only the asked columns, in one query (the same values ``serialize`` gives)
    columns = {key: None if key in hidden else _column(info.model, key) for key in fields if key != "doctype"}
    paths = sorted({path for path in columns.values() if path})
    return [
        {
            key: info.doctype if key == "doctype" else (_value(row[columns[key]]) if columns[key] else None)
            for key in fields
        }
        for row in rows.values(*paths)
    ]


def _desk_form(request, info, doc=None):
    """The desk's form of this doctype for this user (and document state): the
    API writes exactly the fields the desk lets the user write."""
    model_admin = desk_admin(info.model)
    if model_admin is None:
        raise Forbidden(_("%(doctype)s tidak dapat diubah melalui API.") % {"doctype": info.doctype})
    if doc is None and not model_admin.has_add_permission(request):
        raise Forbidden(
            _("%(doctype)s tidak dibuat langsung, melainkan dari dokumen asalnya.") % {"doctype": info.doctype}
        )
    if doc is not None and not model_admin.has_change_permission(request, doc):
        raise WorkflowPermissionError(
            _("Dokumen berstatus %(state)s tidak dapat diubah oleh Anda.") % {"state": doc.workflow_state}
        )
    return model_admin.get_form(request, doc, change=doc is not None)


def _unchanged(doc, key, value) -> bool:
    """A value sent back as it is (Frappe clients send whole documents): no write.
    On a new document only an empty value is."""
    if doc is None:
        return value in (None, "", 0, False) and not isinstance(value, (dict, list))
    current = serialize(doc)
    return key in current and json.loads(json.dumps(current[key], cls=DjangoJSONEncoder)) == value


def _bound_form(request, info, payload: dict, doc=None):
    """The desk's form bound to the payload. A field the desk does not let
    this user write now (engine fields, the unit, read-only or locked fields,
    ``*_id``) is refused by name, before anything is written."""
    form_class = _desk_form(request, info, doc)
    writable = form_class.base_fields
    model = info.model
    unknown, refused, values, errors = [], [], {}, {}
    children = {}
    for key, value in payload.items():
        if key in FRAPPE_META or (doc is not None and key == "workflow_state"):
            continue  # workflow_state on PUT is the state the client saw (409 when it moved)
        if key in info.children:  # a child table's rows: validated by document_create/update, row by row
            if doc is not None and not wf.can_edit(doc, request.user):
                refused.append(key)
            else:
                children[key] = value
            continue
        if key not in writable:
            if _model_field(model, key) is None and key not in STANDARD and key not in customize.names(info.doctype):
                unknown.append(key)
            elif not _unchanged(doc, key, value):
                refused.append(key)
            continue
        field = _model_field(model, key)
        if field is None and key in customize.names(info.doctype):
            field = customize.model_field(customize.field_named(info.doctype, key))
        many = isinstance(writable[key], forms.ModelMultipleChoiceField)
        if isinstance(value, dict) or (isinstance(value, list) and not many):
            errors[key] = [_("Nilai field %(field)s tidak sah.") % {"field": key}]
            continue
        try:  # the model field's own parsing first: "mungkin" is no boolean, whatever a checkbox thinks
            values[key] = value if many or value is None else field.to_python(value)
        except ValidationError as exc:
            errors[key] = exc.messages
    if unknown:
        raise ApiError(
            _("Field tidak dikenal pada %(doctype)s: %(fields)s")
            % {"doctype": info.doctype, "fields": ", ".join(unknown)}
        )
    if refused:
        names = ", ".join(refused)
        if doc is None:
            message = _("Field %(fields)s tidak dapat diisi saat membuat %(doctype)s.")
        else:
            message = _("Field %(fields)s tidak dapat diubah oleh Anda pada %(doctype)s berstatus %(state)s.")
        raise ApiError(
            message % {"fields": names, "doctype": info.doctype, "state": getattr(doc, "workflow_state", "")}
        )
    if errors:
        raise ValidationError(errors)
    form = bind_payload(form_class, values, instance=doc)
    if not form.is_valid():
        raise ValidationError(
            {(k if k != "__all__" else info.doctype): [str(m) for m in v] for k, v in form.errors.items()}
        )
    form.docflow_children = children
    return form, [*values, *children]


def _form_values(form) -> dict:
    """What the services write: the form's values and the child tables' rows."""
    return {**form_data(form), **getattr(form, "docflow_children", {})}


def _model_field(model, key):
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


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
    _refuse_hidden_filters(info, request.user, params)
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
    return JsonResponse({"message": serialize(doc, user=request.user)})


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
    payload = serialize(result.doc, user=request.user)
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
    if not info.allows(request.user, "print"):
        raise Forbidden(_("Anda tidak berwenang mencetak %(doctype)s.") % {"doctype": info.doctype})
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
        pdf = printing.render_pdf(pf, printing.draft_context(doc, pf), {"Title": f"DRAF {pf.name} {doc.name}"})
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
    staff = request.user.is_staff and info.staff_readable
    if not request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}") and not staff:
        raise Forbidden(_("Anda tidak berwenang melihat %(doctype)s.") % {"doctype": info.doctype})


def serialize_master(info, obj, fields=None) -> dict:
    out = {"doctype": info.doctype, "name": getattr(obj, info.name_field)}
    for field in obj._meta.concrete_fields:
        if field.name == "id" or field.name in info.hidden_fields:
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
    """Reference data: read through the API, edited in the desk (a master
    with ``create``, e.g. Webhook, is also created by POST)."""
    if request.method == "POST" and name is None and info.create is not None:
        meta = info.model._meta
        if not request.user.has_perm(f"{meta.app_label}.add_{meta.model_name}"):
            raise Forbidden(_("Anda tidak berwenang membuat %(doctype)s.") % {"doctype": info.doctype})
        with transaction.atomic():
            obj = info.create(_doc_payload(_params(request)), request.user)
        return JsonResponse({"data": serialize_master(info, obj)})
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


# --- DocType as a resource (Frappe's DocType JSON) ---------------------------------------


def _doctype_admin(request, action: str):
    if not request.user.has_perm(f"docflow.{action}_doctypedef"):
        raise Forbidden(_("Hanya administrator yang dapat mengatur jenis dokumen (DocType)."))


def _doctype_resource(request, name=None):
    from ..dynamic import definitions
    from ..models import DocTypeDef

    if request.method == "GET":
        _doctype_admin(request, "view")
        if name is None:
            return JsonResponse({"data": [{"name": n} for n in DocTypeDef.objects.values_list("name", flat=True)]})
        defn = DocTypeDef.objects.filter(name=name).first()
        if defn is None:
            raise DocumentNotFound()
        return JsonResponse({"data": definitions.export(defn)})
    _doctype_admin(request, "add" if name is None else "change")
    params = _params(request)
    spec = _doc_payload(params)
    if name is not None:
        if not DocTypeDef.objects.filter(name=name).exists():
            raise DocumentNotFound()
        spec = {**spec, "name": name}
    as_data = str(params.get("import_unknown_as_data") or request.GET.get("import_unknown_as_data") or "") in (
        "1",
        "true",
    )
    try:
        defn = definitions.apply(spec, allow_unknown=as_data)
    except definitions.DefinitionError as exc:
        return _error_response(417, "ValidationError", "; ".join(f"{k}: {m}" if k else m for k, m in exc.problems))
    return JsonResponse({"data": definitions.export(defn)})


@api_view(("GET", "POST"))
def resource_list(request, doctype: str):
    _require_login(request)
    if doctype == "DocType":
        return _doctype_resource(request)
    if registry.master(doctype):
        return _master_view(request, registry.master(doctype))
    if request.method == "GET":
        return JsonResponse({"data": _list(request, doctype)})
    info = _doctype(doctype)
    _check_perm(request, info, "add")
    payload = _doc_payload(_params(request))
    with transaction.atomic():  # the desk's form and the desk's service: one write path
        form, _sent = _bound_form(request, info, payload)
        doc = wf.document_create(model=info.model, user=request.user, data=_form_values(form))
    return JsonResponse({"data": serialize(doc, user=request.user)})


@api_view(("GET", "PUT", "DELETE"))
def resource_detail(request, doctype: str, name: str):
    _require_login(request)
    if doctype == "DocType":
        if request.method == "DELETE":
            raise Forbidden(_("Jenis dokumen tidak dihapus melalui API; nonaktifkan alur kerjanya di desk."))
        return _doctype_resource(request, name)
    if registry.master(doctype):
        return _master_view(request, registry.master(doctype), name)
    info = _doctype(doctype)
    _check_perm(request, info, "view")
    doc = document_get_for_user(user=request.user, model=info.model, name=name)
    if request.method == "GET":
        return JsonResponse({"data": serialize(doc, user=request.user)})
    if request.method == "PUT":
        _check_perm(request, info, "change")
        payload = _doc_payload(_params(request))
        expected = text_param(payload, "workflow_state") or None
        if expected is not None and expected != doc.workflow_state:
            raise StateConflict(current=doc.workflow_state, expected=expected)
        with transaction.atomic():  # the desk's form and the desk's service: one write path
            form, sent = _bound_form(request, info, payload, doc)
            data = {k: v for k, v in _form_values(form).items() if k in sent}
            doc = wf.document_update(doc=doc, user=request.user, data=data, expected_state=expected)
        return JsonResponse({"data": serialize(doc, user=request.user)})
    _check_perm(request, info, "delete")
    model_admin = desk_admin(info.model)  # the desk's rule: a draft nobody has acted on yet
    if (
        doc.docstatus != 0
        or doc.state_seq != 0
        or not (model_admin and model_admin.has_delete_permission(request, doc))
    ):
        raise Forbidden(_("Hanya dokumen draf yang belum diproses yang dapat dihapus."))
    wf.document_delete(doc=doc, user=request.user)
    return JsonResponse({"message": "ok"})


def not_found(request, path=""):
    return _error_response(404, "DoesNotExistError", _("Metode API tidak dikenal: %(path)s") % {"path": path})
