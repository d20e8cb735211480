"""Frappe's collaboration API: comments (``frappe.desk.form.utils.add_comment``,
``/api/resource/Comment``), assignments (``frappe.desk.form.assign_to.add`` /
``remove``, ``/api/resource/ToDo``) and search (``frappe.desk.search.search_link``,
``frappe.utils.global_search.search``). Documents are reached through the
visibility selector; writes go through ``services.collab`` as in the desk."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.utils.translation import gettext as _

from .. import registry
from ..exceptions import DocumentNotFound
from ..models import Comment, ToDo
from ..selectors import document_get_for_user, global_search, visible_documents
from ..services import collab
from .query import loads, text_param
from .views import ApiError, _check_perm, _doctype, _params, _require_login, _value, api_view

MAX_PAGE = 500


def _document(request, doctype, name):
    info = _doctype(doctype)
    _check_perm(request, info, "view")
    if not isinstance(name, str) or not name:
        raise ApiError(_("Parameter name wajib diisi."))
    return document_get_for_user(user=request.user, model=info.model, name=name)


def _user_by_name(value):
    if not isinstance(value, str) or not value:
        raise ApiError(_("Pengguna wajib diisi."))
    user = get_user_model().objects.filter(Q(username=value) | Q(email__iexact=value), is_active=True).first()
    if user is None:
        raise ApiError(_("Pengguna %(user)s tidak dikenal.") % {"user": value})
    return user


def _page(params) -> tuple[int, int]:
    try:
        start = int(params.get("limit_start") or params.get("start") or 0)
        length = int(params.get("limit_page_length") or params.get("limit") or params.get("page_length") or 20)
    except (TypeError, ValueError):
        raise ApiError(_("limit_start dan limit_page_length harus berupa angka.")) from None
    if start < 0 or length < 0:
        raise ApiError(_("limit_start dan limit_page_length tidak boleh negatif."))
    return start, min(length or MAX_PAGE, MAX_PAGE)


def _equal_filters(params, allowed: dict) -> dict:
    """Frappe's filters, equality only, on the listed fields: ``{"field": value}``
    or ``[["field", "=", value]]`` (also ``[doctype, field, "=", value]``)."""
    raw = params.get("filters")
    if raw in (None, "", [], {}):
        return {}
    if isinstance(raw, str):
        raw = loads(raw, ApiError, _("filters bukan JSON yang sah."))
    items = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        for f in raw:
            if not isinstance(f, list) or len(f) not in (3, 4):
                raise ApiError(_("Setiap filter harus [field, operator, nilai]."))
            field, op, value = f[-3:]
            if op not in ("=", "=="):
                raise ApiError(_("Filter di sini hanya mendukung operator =."))
            items.append((field, value))
    else:
        raise ApiError(_("filters harus berupa objek atau daftar."))
    out = {}
    for field, value in items:
        if field not in allowed:
            raise ApiError(
                _("Field %(field)s tidak dapat difilter; pilih dari: %(fields)s")
                % {"field": field, "fields": ", ".join(allowed)}
            )
        if isinstance(value, (dict, list)):
            raise ApiError(_("Nilai filter %(field)s tidak sah.") % {"field": field})
        out[allowed[field]] = value
    return out


def _fields(params):
    raw = params.get("fields")
    if raw in (None, "", '["*"]', ["*"]):
        return None
    if isinstance(raw, str):
        raw = loads(raw, ApiError, _("fields bukan JSON yang sah."))
    if not isinstance(raw, list) or not all(isinstance(f, str) for f in raw):
        raise ApiError(_("fields harus berupa daftar nama field."))
    return None if "*" in raw else raw


def _pick(data: dict, fields):
    return data if not fields else {k: data.get(k) for k in fields}


# --- comments -----------------------------------------------------------------------------


def serialize_comment(c: Comment) -> dict:
    return {
        "doctype": "Comment",
        "name": str(c.pk),
        "comment_type": "Comment",
        "reference_doctype": c.reference_doctype,
        "reference_name": c.reference_name,
        "content": c.content,
        "comment_email": c.comment_by.email,
        "comment_by": c.comment_by.username,
        "owner": c.comment_by.username,
        "creation": _value(c.created_at),
        "mentions": [u.username for u in c.mentions.all()],
    }


def _visible_comments(user):
    return collab.about_visible_documents(Comment.objects.all(), user, "reference_doctype")


def _add_comment(request, params):
    doc = _document(request, params.get("reference_doctype"), params.get("reference_name"))
    if params.get("comment_type", "Comment") != "Comment":
        raise ApiError(_("Hanya comment_type Comment yang dapat ditambahkan."))
    content = params.get("content")
    if not isinstance(content, str):
        raise ApiError(_("Parameter content wajib diisi."))
    comment, _skipped = collab.comment_add(doc=doc, user=request.user, content=content)
    return serialize_comment(comment)


@api_view(("POST",))
def add_comment(request):
    _require_login(request)
    return JsonResponse({"message": _add_comment(request, _params(request))})


COMMENT_FILTERS = {
    "reference_doctype": "reference_doctype",
    "reference_name": "reference_name",
    "comment_type": None,
    "name": "pk",
}


@api_view(("GET", "POST"))
def comment_list(request):
    _require_login(request)
    params = _params(request)
    if request.method == "POST":
        payload = params.get("data", params)
        if isinstance(payload, str):
            payload = loads(payload, ApiError, _("Isi data bukan JSON yang sah."))
        if not isinstance(payload, dict):
            raise ApiError(_("Isi data harus berupa objek JSON."))
        return JsonResponse({"data": _add_comment(request, payload)})
    filters = _equal_filters(params, COMMENT_FILTERS)
    if filters.pop(None, "Comment") != "Comment":
        return JsonResponse({"data": []})
    start, length = _page(params)
    qs = (
        _visible_comments(request.user)
        .filter(**filters)
        .select_related("comment_by")
        .prefetch_related("mentions")
        .order_by("-created_at", "-pk")
    )
    fields = _fields(params)
    return JsonResponse({"data": [_pick(serialize_comment(c), fields) for c in qs[start : start + length]]})


@api_view(("GET",))
def comment_detail(request, name):
    _require_login(request)
    comment = _visible_comments(request.user).filter(pk=name if name.isdigit() else None).first()
    if comment is None:
        raise DocumentNotFound()
    return JsonResponse({"data": serialize_comment(comment)})


# --- assignments ----------------------------------------------------------------------------


def serialize_todo(t: ToDo) -> dict:
    return {
        "doctype": "ToDo",
        "name": str(t.pk),
        "allocated_to": t.allocated_to.username,
        "reference_type": t.reference_type,
        "reference_name": t.reference_name,
        "status": t.status,
        "date": _value(t.date),
        "description": t.description,
        "assigned_by": t.assigned_by.username,
        "owner": t.assigned_by.username,
        "creation": _value(t.created_at),
    }


def _date(value):
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ApiError(_("date harus berupa tanggal YYYY-MM-DD.")) from None


def _assignees(raw) -> list:
    if isinstance(raw, str) and raw.startswith("["):
        raw = loads(raw, ApiError, _("assign_to bukan JSON yang sah."))
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw:
        raise ApiError(_("assign_to wajib berisi paling sedikit satu pengguna."))
    return [_user_by_name(v) for v in raw]


def _open_assignees(doc) -> list[dict]:
    return [serialize_todo(t) for t in collab.todos_for(doc).select_related("assigned_by")]


@api_view(("POST",))
def assign_add(request):
    _require_login(request)
    params = _params(request)
    doc = _document(request, params.get("doctype"), params.get("name"))
    people = _assignees(params.get("assign_to"))
    date = _date(params.get("date"))
    description = params.get("description") or ""
    if not isinstance(description, str):
        raise ApiError(_("description harus berupa teks."))
    from django.db import transaction

    with transaction.atomic():  # all or none
        for person in people:
            collab.todo_add(doc=doc, user=request.user, allocated_to=person, date=date, description=description)
    return JsonResponse({"message": _open_assignees(doc)})


@api_view(("POST",))
def assign_remove(request):
    _require_login(request)
    params = _params(request)
    doc = _document(request, params.get("doctype"), params.get("name"))
    person = _user_by_name(params.get("assign_to"))
    collab.todo_remove(doc=doc, user=request.user, allocated_to=person)
    return JsonResponse({"message": _open_assignees(doc)})


TODO_FILTERS = {
    "allocated_to": "allocated_to__username",
    "reference_type": "reference_type",
    "reference_name": "reference_name",
    "status": "status",
    "date": "date",
    "name": "pk",
}


def _my_todos(user):
    """ToDos a user may read: their own and those they assigned, on documents they can see."""
    return collab.visible_todos(user, ToDo.objects.filter(Q(allocated_to=user) | Q(assigned_by=user)))


@api_view(("GET", "POST"))
def todo_list(request):
    _require_login(request)
    params = _params(request)
    if request.method == "POST":
        payload = params.get("data", params)
        if isinstance(payload, str):
            payload = loads(payload, ApiError, _("Isi data bukan JSON yang sah."))
        if not isinstance(payload, dict):
            raise ApiError(_("Isi data harus berupa objek JSON."))
        doc = _document(request, payload.get("reference_type"), payload.get("reference_name"))
        description = payload.get("description") or ""
        if not isinstance(description, str):
            raise ApiError(_("description harus berupa teks."))
        todo = collab.todo_add(
            doc=doc,
            user=request.user,
            allocated_to=_user_by_name(payload.get("allocated_to")),
            date=_date(payload.get("date")),
            description=description,
        )
        return JsonResponse({"data": serialize_todo(todo)})
    filters = _equal_filters(params, TODO_FILTERS)
    start, length = _page(params)
    qs = _my_todos(request.user).filter(**filters).select_related("allocated_to", "assigned_by")
    fields = _fields(params)
    rows = qs.order_by("-created_at", "-pk")[start : start + length]
    return JsonResponse({"data": [_pick(serialize_todo(t), fields) for t in rows]})


@api_view(("GET", "PUT", "DELETE"))
def todo_detail(request, name):
    _require_login(request)
    todo = (
        _my_todos(request.user)
        .filter(pk=name if name.isdigit() else None)
        .select_related("allocated_to", "assigned_by")
        .first()
    )
    if todo is None:
        raise DocumentNotFound()
    info = registry.get(todo.reference_type)
    doc = document_get_for_user(user=request.user, model=info.model, pk=todo.document_id)
    if request.method == "DELETE" or (request.method == "PUT" and _params_status(request) == ToDo.Status.CANCELLED):
        if todo.status == ToDo.Status.OPEN:
            collab.todo_remove(doc=doc, user=request.user, allocated_to=todo.allocated_to)
        todo.refresh_from_db()
        return JsonResponse({"data": serialize_todo(todo)} if request.method == "PUT" else {"message": "ok"})
    if request.method == "PUT":
        params = _params(request)
        payload = params.get("data", params)
        if isinstance(payload, str):
            payload = loads(payload, ApiError, _("Isi data bukan JSON yang sah."))
        unknown = set(payload) - {"status", "doctype", "name", *serialize_todo(todo)}
        if unknown:
            raise ApiError(_("Field tidak dikenal pada ToDo: %(f)s") % {"f": ", ".join(sorted(unknown))})
        changed = {k for k, v in payload.items() if k in serialize_todo(todo) and serialize_todo(todo)[k] != v}
        if changed - {"status"}:
            raise ApiError(
                _("Field %(f)s tidak dapat diubah; batalkan dan tugaskan ulang.") % {"f": ", ".join(sorted(changed))}
            )
        status = text_param(payload, "status")
        if status == ToDo.Status.CLOSED and todo.status == ToDo.Status.OPEN:
            collab.todo_close(todo=todo, user=request.user)
        elif status and status != todo.status:
            raise ValidationError({"status": [_("Status hanya dapat diubah menjadi Closed atau Cancelled.")]})
        todo.refresh_from_db()
    return JsonResponse({"data": serialize_todo(todo)})


def _params_status(request):
    params = _params(request)
    payload = params.get("data", params)
    if isinstance(payload, str):
        payload = loads(payload, ApiError, _("Isi data bukan JSON yang sah."))
    return payload.get("status") if isinstance(payload, dict) else None


# --- search --------------------------------------------------------------------------------


@api_view(("GET", "POST"))
def search_link(request):
    """Frappe's link search: documents of one doctype by name, number or title."""
    _require_login(request)
    params = _params(request)
    info = _doctype(params.get("doctype"))
    _check_perm(request, info, "view")
    _start, length = _page({"page_length": params.get("page_length") or 10})
    txt = params.get("txt") or ""
    if not isinstance(txt, str):
        raise ApiError(_("txt harus berupa teks."))
    if len(txt.strip()) < 2:
        qs = visible_documents(info.model, request.user).order_by("-pk")[:length]
        rows = [{"name": d.name, "title": str(getattr(d, info.title_field, d.name)), "number": d.number} for d in qs]
    else:
        rows = global_search(request.user, txt, doctype=info.doctype, limit=length)
    return JsonResponse(
        {
            "message": [
                {
                    "value": r["name"],
                    "label": r["title"] if r["title"] != r["name"] else "",
                    "description": ", ".join(x for x in (r["title"], r["number"]) if x and x != r["name"]),
                }
                for r in rows
            ]
        }
    )


@api_view(("GET", "POST"))
def global_search_view(request):
    """Frappe's global search: every doctype the user can see."""
    _require_login(request)
    params = _params(request)
    text = params.get("text") or params.get("txt") or ""
    if not isinstance(text, str):
        raise ApiError(_("text harus berupa teks."))
    doctype = params.get("doctype") or None
    if doctype is not None:
        _doctype(doctype)
    start, length = _page(params)
    rows = global_search(request.user, text, doctype=doctype, limit=length, start=start)
    return JsonResponse(
        {
            "message": [
                {
                    "doctype": r["doctype"],
                    "name": r["name"],
                    "title": r["title"],
                    "content": " | ".join(x for x in (r["name"], r["number"], r["title"], r["workflow_state"]) if x),
                    "route": collab.document_url(r["model"](pk=r["pk"])),
                }
                for r in rows
            ]
        }
    )
