"""The desk's collaboration views on every document type: comments with
@mentions, assignments (and the "Ditugaskan ke Saya" list), the attachments
panel, and the global search. Documents are always fetched through the
visibility selector (``DocumentAdmin._get_visible``)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import registry
from ..exceptions import DocflowError
from ..models import ToDo
from ..selectors import global_search
from ..services import collab
from ..services.files import file_attach_check, file_create


def _error_text(exc) -> str:
    if isinstance(exc, DocflowError):
        return exc.message
    if hasattr(exc, "message_dict"):
        return " ".join(m for msgs in exc.message_dict.values() for m in msgs)
    return " ".join(exc.messages)


def _change_url(doc) -> str:
    return reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])


class AssignForm(forms.Form):
    allocated_to = forms.ModelChoiceField(
        label=gettext_lazy("Tugaskan kepada"),
        queryset=get_user_model().objects.none(),
        widget=forms.Select(attrs={"class": "docflow-input"}),
        error_messages={"required": gettext_lazy("Tugaskan kepada: pilih orangnya."),
                        "invalid_choice": gettext_lazy("Tugaskan kepada: pilihan tidak sah.")},
    )  # fmt: skip
    date = forms.DateField(
        label=gettext_lazy("Batas waktu"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "docflow-input"}),
        error_messages={"invalid": gettext_lazy("Batas waktu: tanggal tidak sah.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Keterangan"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "docflow-input"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allocated_to"].queryset = assignable_users()
        self.fields["allocated_to"].label_from_instance = person_label


def assignable_users():
    return get_user_model().objects.filter(is_active=True).exclude(password__startswith="!").order_by("username")


def person_label(user) -> str:
    """A person in the assignment list, from the account row alone (no query per person)."""
    name = user.get_full_name()
    return f"{name} (@{user.username})" if name else f"@{user.username}"


def panel_context(request, doc) -> dict:
    """What the form's panels show: comments, open assignments and the forms."""
    can_attach = True
    try:
        file_attach_check(doc=doc, user=request.user)
    except DocflowError:
        can_attach = False
    return {
        "docflow_todos": list(collab.todos_for(doc)),
        "docflow_can_assign": collab.can_assign(doc, request.user),
        "docflow_assign_form": AssignForm(),
        "docflow_can_attach": can_attach,
    }


def comment_view(model_admin, request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    doc = model_admin._get_visible(request, pk)
    try:
        _comment, skipped = collab.comment_add(doc=doc, user=request.user, content=request.POST.get("content", ""))
    except (DocflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(_change_url(doc) + "#docflow-comments")
    messages.success(request, _("Komentar ditambahkan."))
    if skipped:
        messages.warning(
            request,
            _("Tidak diberi tahu (tidak dikenal atau tidak dapat melihat dokumen ini): %(names)s")
            % {"names": ", ".join("@" + n for n in skipped)},
        )
    return redirect(_change_url(doc) + "#docflow-comments")


def assign_view(model_admin, request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    doc = model_admin._get_visible(request, pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return redirect(_change_url(doc) + "#docflow-assign")
    try:
        todo = collab.todo_add(
            doc=doc,
            user=request.user,
            allocated_to=form.cleaned_data["allocated_to"],
            date=form.cleaned_data["date"],
            description=form.cleaned_data["description"],
        )
    except (DocflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(_change_url(doc) + "#docflow-assign")
    messages.success(request, _("Ditugaskan kepada %(who)s.") % {"who": person_label(todo.allocated_to)})
    return redirect(_change_url(doc) + "#docflow-assign")


def unassign_view(model_admin, request, pk, todo_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    doc = model_admin._get_visible(request, pk)
    todo = get_object_or_404(
        ToDo, pk=todo_id, reference_type=registry.for_model(doc).doctype, document_id=doc.pk, status=ToDo.Status.OPEN
    )
    try:
        if request.POST.get("close"):
            collab.todo_close(todo=todo, user=request.user)
            messages.success(request, _("Penugasan ditandai selesai."))
        else:
            collab.todo_remove(doc=doc, user=request.user, allocated_to=todo.allocated_to)
            messages.success(request, _("Penugasan dibatalkan."))
    except (DocflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    if request.POST.get("next") == "mine":
        return redirect("desk-assigned")
    return redirect(_change_url(doc) + "#docflow-assign")


def attach_view(model_admin, request, pk):
    """The attachments panel: files attached outside an action, for users with edit rights."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    doc = model_admin._get_visible(request, pk)
    info = registry.for_model(doc)
    uploads = request.FILES.getlist("files")
    try:
        file_attach_check(doc=doc, user=request.user)
        if not uploads:
            raise ValidationError(_("Lampiran: pilih berkas yang akan diunggah."))
        created = []
        try:
            for f in uploads:
                created.append(file_create(uploaded=f, user=request.user, doctype=info.doctype, name=doc.name))
        except ValidationError:
            for record in created:
                record.file.delete(save=False)
                record.delete()
            raise
    except (DocflowError, ValidationError) as exc:
        messages.error(request, _error_text(exc))
        return redirect(_change_url(doc) + "#docflow-files")
    messages.success(request, _("%(n)s berkas dilampirkan.") % {"n": len(created)})
    return redirect(_change_url(doc) + "#docflow-files")


# --- pages ------------------------------------------------------------------------------


def assigned_to_me_view(request):
    """ "Ditugaskan ke Saya": the open assignments of the user, on documents they can see."""
    todos = list(collab.my_open_todos(request.user).select_related("assigned_by"))
    urls = {}
    for doctype in {t.reference_type for t in todos}:
        meta = registry.get(doctype).model._meta
        urls[doctype] = f"admin:{meta.app_label}_{meta.model_name}"
    rows = [
        {
            "todo": t,
            "url": reverse(urls[t.reference_type] + "_change", args=[t.document_id]),
            "close_url": reverse(urls[t.reference_type] + "_tugas", args=[t.document_id, t.pk]),
        }
        for t in todos
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Ditugaskan ke Saya"),
        "rows": rows,
    }
    return TemplateResponse(request, "docflow/desk/assigned.html", context)


def search_view(request):
    """The global search: documents by registration number, letter number or title."""
    text = request.GET.get("q", "")
    rows = global_search(request.user, text, limit=50)
    for row in rows:
        meta = row["model"]._meta
        row["url"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row["pk"]])
    context = {
        **admin.site.each_context(request),
        "title": _("Cari dokumen"),
        "q": text,
        "rows": rows,
        "too_short": 0 < len(text.strip()) < 2,
    }
    return TemplateResponse(request, "docflow/desk/search.html", context)


def command_search(request, search_term: str) -> list:
    """Unfold's command palette (the sidebar search): matching documents."""
    from unfold.dataclasses import SearchResult

    results = []
    for row in global_search(request.user, search_term, limit=15):
        meta = row["model"]._meta
        label = " · ".join(x for x in (row["number"], row["workflow_state"]) if x)
        results.append(
            SearchResult(
                title=f"{row['name']} — {row['title']}" if row["title"] != row["name"] else row["name"],
                description=f"{row['doctype']} · {label}" if label else row["doctype"],
                link=reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row["pk"]]),
                icon="description",
            )
        )
    return results
