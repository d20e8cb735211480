"""The desk's base for every process document: rows filtered by the one
visibility selector, the form editable only by the state's editing role,
workflow buttons from ``available_actions`` (POST only), the timeline, the
print preview and the PDF."""

import functools
from urllib.parse import quote

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.forms import AdminForm as UnfoldAdminForm

from .. import issuing, printing, registry
from ..dynamic import customize
from ..exceptions import DocflowError
from ..models import File, IssuedDocument, RupiahField, SubTask, WorkflowLog
from ..scope import backend
from ..selectors import visible_documents
from ..services import subtasks
from ..services import workflow as wf
from ..services.files import file_create
from . import collab, customize_desk
from .fieldsets import OnceAdminForm
from .forms import DocumentFormMixin, form_data
from .timeline import timeline_for
from .workflow_builder import document_diagram_context

ENGINE_FIELDS = (
    "name",
    "workflow_state",
    "docstatus",
    "process_code",
    "number",
    "number_date",
    "state_entered_at",
    "due_at",
    "created_by",
    "created_at",
    "modified_by",
    "modified_at",
)


def _unit_model():
    return django_apps.get_model(settings.DOCFLOW_UNIT_MODEL)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _people() -> list:
    """Active people who may be named in a sub-task (accounts that log in)."""
    users = get_user_model().objects.filter(is_active=True).exclude(password__startswith="!").order_by("username")
    return [(u.pk, u.get_full_name() or u.get_username()) for u in users]


RELATED_PER_TYPE = 10


def related_documents(doc, user) -> list[dict]:
    """Frappe's dashboard links ("Terkait"): per document type with a Link
    field to ``doc``'s type, the documents pointing at ``doc`` that ``user``
    may see (through ``visible_documents``), counted, the newest listed."""
    target = type(doc)._meta.concrete_model
    groups = []
    for info in registry.all_doctypes():
        for field in info.model._meta.concrete_fields:
            if (
                not (field.many_to_one or field.one_to_one)
                or field.remote_field.model._meta.concrete_model is not target
            ):
                continue
            qs = visible_documents(info.model, user).filter(**{field.attname: doc.pk})
            rows = list(qs.order_by("-pk").values("pk", "name", "workflow_state")[: RELATED_PER_TYPE + 1])
            if not rows:
                continue
            meta = info.model._meta
            groups.append(
                {
                    "doctype": info.doctype,
                    "field": str(field.verbose_name),
                    "count": qs.count() if len(rows) > RELATED_PER_TYPE else len(rows),
                    "rows": rows[:RELATED_PER_TYPE],
                    "change_url": f"/app/{meta.app_label}/{meta.model_name}/",
                }
            )
    return groups


def visible_choices(db_field, user):
    """The visible documents of the doctype ``db_field`` points at (None: not a doctype)."""
    try:
        registry.for_model(db_field.remote_field.model)
    except DocflowError:
        return None
    return visible_documents(db_field.remote_field.model, user)


def _visible_choices(db_field, request):
    return visible_choices(db_field, request.user)


def _readonly_links_only_to_documents():
    """A read-only foreign key on a document's form links to the record's desk
    page; a person or a unit has none for most users (the account and unit
    pages are the administrator's), so on document forms only documents are
    links (their pages go through the visibility selector) and people show
    by name, not as a link to a page that refuses them."""
    from django.contrib.auth import get_user_model
    from unfold.fields import UnfoldAdminReadonlyField

    original = UnfoldAdminReadonlyField.get_admin_url
    if getattr(original, "_docflow", False):
        return

    def get_admin_url(self, remote_field, remote_obj):
        if not isinstance(self.model_admin, DocumentAdmin):
            return original(self, remote_field, remote_obj)
        if isinstance(remote_obj, get_user_model()):
            from ..scope import backend

            return backend().person(remote_obj).name or remote_obj.get_username()
        try:
            registry.for_model(remote_obj)
        except DocflowError:
            return str(remote_obj)
        return original(self, remote_field, remote_obj)

    get_admin_url._docflow = True
    UnfoldAdminReadonlyField.get_admin_url = get_admin_url


RUPIAH_SUFFIX = "__rupiah"


class WorkflowStateFilter(admin.SimpleListFilter):
    """The states of the document type's workflow: fixed choices, no
    ``SELECT DISTINCT`` over the whole table on every page."""

    title = gettext_lazy("status")
    parameter_name = "workflow_state"

    def lookups(self, request, model_admin):
        try:
            loaded = wf.cached_workflow(registry.for_model(model_admin.model).doctype)
        except DocflowError:
            return []
        return [(name, name) for name in loaded.states]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(workflow_state=value) if value else queryset


@functools.lru_cache(maxsize=8)
def _action_checkbox(language: str) -> tuple[str, str]:
    """unfold's row checkbox in ``language`` (its label is translated), split
    where the row's key goes."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
    from unfold.admin import checkbox

    before, after = checkbox.render(ACTION_CHECKBOX_NAME, "docflow-row-key").split("docflow-row-key", 1)
    return before, after


class DocumentAdmin(SimpleHistoryAdmin, ModelAdmin):
    change_form_template = "docflow/desk/change_form.html"
    list_display = ("name", "workflow_state", "number", "unit", "modified_at")
    list_filter = ("workflow_state", "unit")
    search_fields = ("name", "number")
    readonly_fields = ENGINE_FIELDS
    list_per_page = 50
    # fields writable only in the listed states, e.g. an amount once decided:
    # {"pagu_disetujui": ("Menunggu Keputusan Wali Kota",)}; read-only elsewhere, in the desk and the API
    field_states: dict = {}
    show_full_result_count = False
    # unfold's row template asks every field for a conditional display (x-show); none here,
    # and a name the admin lacks costs a dir() of it per field
    conditional_fields: dict = {}
    ordering = ("-pk",)  # newest first through the primary key (no sort of the whole table)
    engine_fieldset = (
        gettext_lazy("Status dan registrasi"),
        {"fields": (("name", "workflow_state"), ("number", "number_date"), ("state_entered_at", "due_at"), "unit")},
    )

    # --- rows and rights ---------------------------------------------------

    def action_checkbox(self, obj):
        """The row's checkbox for list actions (an export): unfold's widget,
        drawn once per language and given each row's key, instead of through
        the form templates fifty times a page."""
        before, after = _action_checkbox(get_language())
        return format_html("{}{}{}", SafeString(before), obj.pk, SafeString(after))

    action_checkbox.short_description = ModelAdmin.action_checkbox.short_description

    def get_queryset(self, request):
        return visible_documents(self.model, request.user)

    def get_object(self, request, object_id, from_field=None):
        """Read once per request: ``change_view`` (buttons, timeline) and the
        admin's form view ask for the same document (a GET changes nothing
        in between)."""
        if request.method not in ("GET", "HEAD") or from_field is not None:
            return super().get_object(request, object_id, from_field)
        memo = request.__dict__.setdefault("_docflow_objects", {})
        key = (self.model, str(object_id))
        if key not in memo:
            memo[key] = super().get_object(request, object_id, from_field)
        return memo[key]

    def get_list_select_related(self, request):
        """Join only the related rows the list shows."""
        names = []
        for name in self.get_list_display(request):
            if isinstance(name, str):
                try:
                    field = self.model._meta.get_field(name)
                except FieldDoesNotExist:  # a method or property column
                    field = None
                if field is not None and (field.many_to_one or field.one_to_one):
                    names.append(name)
        return names

    def lookup_allowed(self, lookup, value, request=None):
        if lookup == "workflow_state__exact":  # the parameter of the former column filter (bookmarks)
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_list_filter(self, request):
        filters = [WorkflowStateFilter if f == "workflow_state" else f for f in super().get_list_filter(request)]
        return customize_desk.list_filter(self._doctype(), filters, self.model)

    def get_list_display(self, request):
        names = customize_desk.list_display(self._doctype(), list(super().get_list_display(request)))
        amounts = {f.name for f in self.model._meta.concrete_fields if isinstance(f, RupiahField)}
        return [f"{n}{RUPIAH_SUFFIX}" if isinstance(n, str) and n in amounts else n for n in names]

    def _doctype(self) -> str:
        return registry.for_model(self.model).doctype

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """A choice pointing at another document type lists only what the
        user may see (the add form of a grant must not list every SKT)."""
        queryset = _visible_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        queryset = _visible_choices(db_field, request)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # A document outside the user's view answers 404, never a hint.
        raise Http404

    # a template shown in the workflow panel, with extra_panel_context()
    extra_panel_template = None

    def extra_panel_context(self, request, obj) -> dict:
        return {}

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or wf.can_edit(obj, request.user):
            return True
        # Frappe's allow_on_submit: some fields (and inlines) stay editable once submitted
        return obj.docstatus == 1 and bool(registry.for_model(obj).allow_on_submit)

    def _locked_fields(self, request, obj) -> list:
        """What the engine does not let this user write in the document's
        state (``workflow.editable_fields``): shown read-only."""
        if obj is None:
            return []
        allowed = wf.editable_fields(obj, request.user)
        return [f.name for f in obj._meta.concrete_fields if f.editable and f.name not in allowed and f.name != "id"]

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or (obj.docstatus == 0 and obj.state_seq == 0)

    def get_fieldsets(self, request, obj=None):
        """A new document has no registration data yet: the add form leaves out
        the engine's section."""
        fieldsets = customize_desk.fieldsets(self._doctype(), super().get_fieldsets(request, obj), self.engine_fieldset)
        if obj is None:
            return [fs for fs in fieldsets if fs is not self.engine_fieldset]
        return fieldsets

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Read-only amounts show as rupiah: the form's ``<amount>`` becomes
        ``<amount>__rupiah`` (both read-only, see get_readonly_fields)."""
        adminform = context.get("adminform")
        if type(adminform) is UnfoldAdminForm:
            adminform.__class__ = OnceAdminForm  # each field built once per page (see desk.fieldsets)
        if adminform is not None:
            readonly = set(adminform.readonly_fields)
            amounts = {n[: -len(RUPIAH_SUFFIX)] for n in readonly if isinstance(n, str) and n.endswith(RUPIAH_SUFFIX)}

            def swap(names):
                if isinstance(names, str):
                    return f"{names}{RUPIAH_SUFFIX}" if names in amounts else names
                return type(names)(swap(n) for n in names)

            if amounts:
                adminform.fieldsets = [
                    (title, {**options, "fields": swap(options["fields"])}) for title, options in adminform.fieldsets
                ]
        return super().render_change_form(request, context, add, change, form_url, obj)

    def __getattr__(self, name):
        """``<amount>__rupiah``: a read-only amount as Rp151.875.000."""
        if not name.endswith(RUPIAH_SUFFIX):
            raise AttributeError(name)
        field_name = name[: -len(RUPIAH_SUFFIX)]
        try:
            field = self.model._meta.get_field(field_name)
        except FieldDoesNotExist:
            raise AttributeError(name) from None

        def display(obj):
            value = getattr(obj, field_name, None)
            return printing.rupiah(value) if value is not None else "—"

        display.short_description = field.verbose_name
        display.admin_order_field = field_name
        return display

    def get_readonly_fields(self, request, obj=None):
        """The engine's fields, the owning unit (a new document goes to the
        doctype's owner unit or the user's; the add form does not offer it)
        and what the user may not write in this state. The API refuses the
        same fields: it validates with this form (``desk.forms``)."""
        fields = list(super().get_readonly_fields(request, obj))
        if "unit" not in fields:
            fields.append("unit")
        fields += [f for f in self._locked_fields(request, obj) if f not in fields]
        if obj is not None:
            fields += [
                f for f, states in self.field_states.items() if obj.workflow_state not in states and f not in fields
            ]
        if getattr(request, "_docflow_history_readonly", False):
            fields += [f for f in flatten_fieldsets(self.get_fieldsets(request, obj)) if f not in fields]
        amounts = {f.name for f in self.model._meta.concrete_fields if isinstance(f, RupiahField)}
        fields += [f"{f}{RUPIAH_SUFFIX}" for f in list(fields) if f in amounts]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        doctype = self._doctype()
        custom = customize.names(doctype)
        if custom:  # the model form gets the model's fields; the custom ones are added below
            names = kwargs.get("fields")
            if names is None:
                names = flatten_fieldsets(self.get_fieldsets(request, obj))
            readonly = set(self.get_readonly_fields(request, obj))
            kwargs["fields"] = [n for n in names if n not in custom and n not in readonly]
        form = super().get_form(request, obj, change=change, **kwargs)
        form = type(form.__name__, (DocumentFormMixin, form), {"docflow_user": request.user})
        return customize_desk.form(doctype, form, request.user, obj)

    def save_model(self, request, obj, form, change):
        """The one write path, shared with the API: document_create or
        document_update (locks, allowed fields, the doctype's validate hook)."""
        if change:
            saved = wf.document_update(doc=obj, user=request.user, data=form_data(form))
        else:
            saved = wf.document_create(model=self.model, user=request.user, data=form_data(form))
        obj.pk = saved.pk
        obj.__dict__.update(saved.__dict__)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (DocflowError, ValidationError) as exc:
            # a rule checked under the row lock refused after the form passed: say why, save nothing
            messages.error(request, exc.message if isinstance(exc, DocflowError) else " ".join(exc.messages))
            return redirect(request.path)

    # --- extra views -----------------------------------------------------------

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        extra = [
            path("<int:pk>/tindakan/", self.admin_site.admin_view(self.action_view), name="%s_%s_tindakan" % info),
            path("<int:pk>/cetak/", self.admin_site.admin_view(self.print_view), name="%s_%s_cetak" % info),
            path("<int:pk>/subtugas/", self.admin_site.admin_view(self.subtask_view), name="%s_%s_subtugas" % info),
            path("<int:pk>/unit-bersama/", self.admin_site.admin_view(self.units_view), name="%s_%s_unit" % info),
            path("<int:pk>/pdf/", self.admin_site.admin_view(self.pdf_view), name="%s_%s_pdf" % info),
            path("<int:pk>/komentar/", self._collab(collab.comment_view), name="%s_%s_komentar" % info),
            path("<int:pk>/tugaskan/", self._collab(collab.assign_view), name="%s_%s_tugaskan" % info),
            path("<int:pk>/tugas/<int:todo_id>/", self._collab(collab.unassign_view), name="%s_%s_tugas" % info),
            path("<int:pk>/lampiran/", self._collab(collab.attach_view), name="%s_%s_lampiran" % info),
        ]
        return extra + super().get_urls()

    def _collab(self, view):
        return self.admin_site.admin_view(lambda request, *args, **kwargs: view(self, request, *args, **kwargs))

    def _check_print(self, request, doc):
        info = registry.for_model(doc)
        if not info.allows(request.user, "print"):
            raise PermissionDenied(_("Anda tidak berwenang mencetak %(doctype)s.") % {"doctype": info.doctype})

    def _get_visible(self, request, pk):
        obj = self.get_object(request, unquote(str(pk)))  # goes through get_queryset
        if obj is None or not self.has_view_permission(request, obj):
            raise Http404
        return obj

    def action_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        doc = self._get_visible(request, pk)
        change_url = reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])
        action = request.POST.get("action", "")
        # Uploaded unattached: apply_action attaches them in its transaction,
        # so a refused action leaves nothing on the document.
        files = []
        try:
            for f in request.FILES.getlist("attachments"):
                files.append(file_create(uploaded=f, user=request.user))
            result = wf.apply_action(
                doc=doc,
                action=action,
                user=request.user,
                comment=request.POST.get("comment", ""),
                attachments=files,
                expected_state=request.POST.get("expected_state") or None,
            )
        except (DocflowError, ValidationError) as exc:
            for record in files:
                record.file.delete(save=False)
                record.delete()
            messages.error(request, exc.message if isinstance(exc, DocflowError) else " ".join(exc.messages))
            return redirect(change_url)
        if result.applied:
            messages.success(
                request,
                _("%(action)s: %(name)s kini berstatus %(state)s.")
                % {"action": action, "name": doc.name, "state": result.doc.workflow_state},
            )
        else:
            messages.info(
                request,
                _("Persetujuan Anda tercatat (%(votes)s dari %(quorum)s). Status berubah setelah kuorum tercapai.")
                % {"votes": result.votes, "quorum": result.quorum},
            )
        if not visible_documents(type(doc), request.user).filter(pk=doc.pk).exists():
            # the step took the document out of this user's view (a committee
            # member whose vote completed the quorum): back to their inbox
            return redirect("desk-inbox")
        return redirect(change_url)

    def subtask_view(self, request, pk):
        """Sub-tasks of the document: send, answer, return for revision, cancel (POST only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        doc = self._get_visible(request, pk)
        change_url = reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])
        op = request.POST.get("op", "")
        files = []
        try:
            if op == "create":
                unit = _unit_model().objects.filter(pk=_int(request.POST.get("unit"))).first()
                assignee = None
                if request.POST.get("assignee"):
                    assignee = (
                        get_user_model().objects.filter(pk=_int(request.POST.get("assignee")), is_active=True).first()
                    )
                    if assignee is None:
                        raise ValidationError(_("Orang tujuan tidak dikenal."))
                due = request.POST.get("due_days") or None
                if due is not None and not str(due).isdigit():
                    raise ValidationError(_("Batas waktu harus berupa jumlah hari kerja."))
                subtasks.subtask_create(
                    doc=doc,
                    user=request.user,
                    unit=unit,
                    assignee=assignee,
                    instruction=request.POST.get("instruction", ""),
                    due_days=int(due) if due else None,
                )
                messages.success(request, _("Permintaan data/tugas terkirim."))
            elif op in ("answer", "return", "cancel"):
                task = SubTask.objects.filter(
                    pk=_int(request.POST.get("task")), doctype=registry.for_model(doc).doctype, document_id=doc.pk
                ).first()
                if task is None:
                    raise Http404
                if op == "answer":
                    for f in request.FILES.getlist("answer_files"):
                        files.append(file_create(uploaded=f, user=request.user))
                    subtasks.subtask_answer(
                        task=task, user=request.user, answer=request.POST.get("answer", ""), files=files
                    )
                    messages.success(request, _("Jawaban terkirim."))
                elif op == "return":
                    subtasks.subtask_return(task=task, user=request.user, note=request.POST.get("note", ""))
                    messages.success(request, _("Jawaban dikembalikan untuk perbaikan."))
                else:
                    subtasks.subtask_cancel(task=task, user=request.user, note=request.POST.get("note", ""))
                    messages.success(request, _("Permintaan data/tugas dibatalkan."))
            else:
                return HttpResponseNotAllowed(["POST"])
        except (DocflowError, ValidationError) as exc:
            for record in files:
                record.file.delete(save=False)
                record.delete()
            messages.error(request, exc.message if isinstance(exc, DocflowError) else " ".join(exc.messages))
        return redirect(change_url)

    def units_view(self, request, pk):
        """Set the document's additional owning units (joint ownership)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        doc = self._get_visible(request, pk)
        change_url = reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])
        ids = [_int(v) for v in request.POST.getlist("units")]
        units = list(_unit_model().objects.filter(pk__in=[i for i in ids if i]).values_list("pk", flat=True))
        if len(units) != len([i for i in ids if i]):
            messages.error(request, _("Unit tidak dikenal."))
            return redirect(change_url)
        try:
            wf.document_units_set(doc=doc, user=request.user, units=units)
        except DocflowError as exc:
            messages.error(request, exc.message)
            return redirect(change_url)
        messages.success(request, _("Unit pemilik tambahan disimpan."))
        return redirect(change_url)

    def print_view(self, request, pk):
        doc = self._get_visible(request, pk)
        self._check_print(request, doc)
        pf = self._print_format(request, doc)
        issued = IssuedDocument.objects.filter(
            doctype=registry.for_model(doc).doctype, document_id=doc.pk, print_format=pf, revoked_at__isnull=True
        ).first()
        change_url = reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])
        try:
            context = issuing.issued_context(issued, doc) if issued else printing.draft_context(doc, pf)
            html = printing.preview_html(
                pf,
                context,
                pdf_url=f"../pdf/?format={quote(pf.name)}",
                back_url=change_url,
                script_url=static("docflow/desk.js"),
            )
        except DocflowError as exc:
            return self._print_error(request, doc, exc)
        return HttpResponse(html)

    def _print_error(self, request, doc, exc):
        """A template that does not render: a readable 400 page, not a 500."""
        change_url = reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk])
        context = {
            **self.admin_site.each_context(request),
            "title": _("Format cetak tidak dapat ditampilkan"),
            "message": exc.message,
            "back_url": change_url,
        }
        return TemplateResponse(request, "docflow/desk/bad_request.html", context, status=400)

    def pdf_view(self, request, pk):
        doc = self._get_visible(request, pk)
        self._check_print(request, doc)
        info = registry.for_model(doc)
        pf = self._print_format(request, doc)
        issued = IssuedDocument.objects.filter(
            doctype=info.doctype, document_id=doc.pk, print_format=pf, revoked_at__isnull=True
        ).first()
        if issued is not None:
            return redirect("docflow:issued", pk=issued.pk)
        try:
            pdf = printing.render_pdf(pf, printing.draft_context(doc, pf), {"Title": f"DRAF {pf.name} {doc.name}"})
        except DocflowError as exc:
            return self._print_error(request, doc, exc)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="DRAF-{doc.name}.pdf"'
        return response

    def _print_format(self, request, doc):
        from ..models import PrintFormat

        info = registry.for_model(doc)
        name = request.GET.get("format")
        pf = (
            PrintFormat.objects.filter(doc_type=info.doctype, name=name, disabled=False).first()
            if name
            else printing.default_format(info.doctype)
        )
        if pf is None:
            raise Http404(_("Belum ada format cetak untuk jenis dokumen ini."))
        return pf

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_permission(request, obj):
            info = registry.for_model(obj)
            actions = wf.available_actions(obj, request.user, include_blocked=True)
            tasks = subtasks.subtasks_of(obj)
            may_request = subtasks.can_request(obj, request.user)
            may_edit_units = may_request or wf.can_edit(obj, request.user)
            for task in tasks:
                task.owner = wf.subtask_owner(task)
                task.can_answer = task.is_open and subtasks.is_assignee(task, request.user)
                task.can_return = may_request and task.status == SubTask.Status.DONE and task.state_seq == obj.state_seq
                task.can_cancel = may_request and task.is_open
            extra_context.update(
                docflow_doc=obj,
                docflow_actions=[a for a in actions if a.enabled],
                docflow_blocked=[a for a in actions if not a.enabled],
                docflow_subtasks=tasks,
                docflow_can_request=may_request,
                docflow_units_all=list(_unit_model().objects.all()) if may_request or may_edit_units else [],
                docflow_people=_people() if may_request else [],
                docflow_joint_units=[backend().unit_label(u) for u in sorted(wf.additional_units(obj))],
                docflow_joint_ids=wf.additional_units(obj),
                docflow_can_edit_units=may_edit_units,
                docflow_related=related_documents(obj, request.user),
                docflow_timeline=timeline_for(obj),
                docflow_issued=IssuedDocument.objects.filter(doctype=info.doctype, document_id=obj.pk),
                docflow_files=File.objects.filter(attached_to_doctype=info.doctype, attached_to_name=obj.name),
                docflow_formats=printing.PrintFormat.objects.filter(doc_type=info.doctype, disabled=False),
                docflow_doctype=info.doctype,
                docflow_extra_template=self.extra_panel_template,
                **collab.panel_context(request, obj),
                **document_diagram_context(obj),
                **self.extra_panel_context(request, obj),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- history (django-simple-history) ---------------------------------------
    # Read-only and through the selector: a workflow document's state, docstatus,
    # number and counters only ever change through apply_action, so nobody
    # reverts one to an older version.

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._get_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._get_visible(request, object_id)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        request._docflow_history_readonly = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        if WorkflowLog.objects.filter(
            doctype=registry.for_model(obj).doctype, document_id=obj.pk, kind="transition"
        ).exists():
            raise PermissionDenied
        try:
            wf.document_delete(doc=obj, user=request.user)
        except DocflowError as exc:
            raise PermissionDenied(exc.message) from None

    def delete_queryset(self, request, queryset):
        for obj in queryset:  # one by one through the write path: on_trash fires for each
            self.delete_model(request, obj)


_readonly_links_only_to_documents()
