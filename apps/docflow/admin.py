"""The desk for the engine's configuration: workflows (with validation across
states and transitions), print formats, letterheads, numbering, the working
calendar, issued documents, the log, notifications and API keys."""

import difflib
import json
import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin, TabularInline

from . import numbering, printing
from .desk.history import GuardedHistoryAdmin
from .desk.workflow_builder import WorkflowBuilderMixin
from .exceptions import NumberingError
from .models import (
    ApiKey,
    Holiday,
    IssuedDocument,
    LetterHead,
    NamingCounter,
    NamingSeries,
    Notification,
    PrintFormat,
    SubTask,
    Workflow,
    WorkflowLog,
    WorkflowState,
    WorkflowTransition,
)
from .selectors import inbox_for_user
from .services.apikeys import api_key_generate
from .services.collab import my_open_todos
from .services.definitions import export_workflow, import_workflow, normalize_spec, validate_spec


class ConfigAdmin(GuardedHistoryAdmin, ModelAdmin):
    pass


# --- workflows ------------------------------------------------------------------


class WorkflowStateFormSet(forms.BaseInlineFormSet):
    pass


class WorkflowTransitionFormSet(forms.BaseInlineFormSet):
    """Validates the whole workflow as it would be after saving: the states
    formset, this one and the main form together."""

    siblings: list = []
    parent_form = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        states_fs = next((fs for fs in self.siblings if isinstance(fs, WorkflowStateFormSet)), None)
        if states_fs is None or not states_fs.is_valid() or self.parent_form is None or not self.parent_form.is_valid():
            return

        def rows(fs):
            kept = [f for f in fs.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            return sorted(kept, key=lambda f: f.cleaned_data.get("idx") or 0)

        spec = {
            "workflow_name": self.parent_form.cleaned_data.get("workflow_name"),
            "document_type": self.parent_form.cleaned_data.get("document_type"),
            "is_active": self.parent_form.cleaned_data.get("is_active"),
            "states": [
                {
                    "state": f.cleaned_data["state"],
                    "doc_status": f.cleaned_data.get("doc_status", 0),
                    "allow_edit": f.cleaned_data.get("allow_edit").name if f.cleaned_data.get("allow_edit") else None,
                    "update_field": f.cleaned_data.get("update_field", ""),
                    "update_value": f.cleaned_data.get("update_value", ""),
                    "is_final": f.cleaned_data.get("is_final", False),
                    "sla_days": f.cleaned_data.get("sla_days"),
                    "numbering_series": f.cleaned_data["numbering_series"].key
                    if f.cleaned_data.get("numbering_series")
                    else None,
                    "print_format": f.cleaned_data["print_format"].name if f.cleaned_data.get("print_format") else None,
                }
                for f in rows(states_fs)
            ],
            "transitions": [
                {
                    **{
                        k: f.cleaned_data.get(k) for k in ("state", "action", "next_state", "condition", "on_behalf_of")
                    },
                    "allowed": f.cleaned_data["allowed"].name if f.cleaned_data.get("allowed") else "",
                    "allow_self_approval": f.cleaned_data.get("allow_self_approval", False),
                    "require_comment": f.cleaned_data.get("require_comment", False),
                    "require_attachment": f.cleaned_data.get("require_attachment", False),
                    "quorum": f.cleaned_data.get("quorum") or 1,
                    "condition_description": f.cleaned_data.get("condition_description", ""),
                    "duty_when_blocked": f.cleaned_data.get("duty_when_blocked", False),
                    "require_subtasks_done": f.cleaned_data.get("require_subtasks_done", False),
                }
                for f in rows(self)
            ],
        }
        errors = validate_spec(spec)
        if errors:
            raise ValidationError(errors)


class WorkflowStateInline(TabularInline):
    model = WorkflowState
    formset = WorkflowStateFormSet
    extra = 0
    fields = (
        "idx",
        "state",
        "doc_status",
        "allow_edit",
        "sla_days",
        "is_final",
        "numbering_series",
        "print_format",
        "update_field",
        "update_value",
    )
    ordering = ("idx", "pk")


class WorkflowTransitionInline(TabularInline):
    model = WorkflowTransition
    formset = WorkflowTransitionFormSet
    extra = 0
    fields = (
        "idx", "state", "action", "next_state", "allowed", "condition", "condition_description",
        "allow_self_approval", "require_comment", "require_attachment", "on_behalf_of", "quorum",
        "duty_when_blocked", "require_subtasks_done",
    )  # fmt: skip
    ordering = ("idx", "pk")


class WorkflowImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas JSON alur kerja"))


def workflow_diff(current: dict, incoming: dict) -> dict:
    """What an import changes in a workflow: states and transitions added,
    removed or changed, and the unified diff of the two JSON texts."""

    def text(spec):
        return json.dumps(spec, indent=2, ensure_ascii=False, sort_keys=True).splitlines()

    def by_key(rows, key):
        return {key(r): r for r in rows}

    def t_key(t):
        return f"{t['state']} → {t['action']} → {t['next_state']}"

    old_s, new_s = by_key(current["states"], lambda s: s["state"]), by_key(incoming["states"], lambda s: s["state"])
    old_t, new_t = by_key(current["transitions"], t_key), by_key(incoming["transitions"], t_key)
    return {
        "states_added": [k for k in new_s if k not in old_s],
        "states_removed": [k for k in old_s if k not in new_s],
        "states_changed": [k for k in new_s if k in old_s and new_s[k] != old_s[k]],
        "transitions_added": [k for k in new_t if k not in old_t],
        "transitions_removed": [k for k in old_t if k not in new_t],
        "transitions_changed": [k for k in new_t if k in old_t and new_t[k] != old_t[k]],
        "lines": list(
            difflib.unified_diff(
                text(current), text(incoming), fromfile=_("sekarang"), tofile=_("berkas impor"), lineterm=""
            )
        ),
    }


@admin.register(Workflow)
class WorkflowAdmin(WorkflowBuilderMixin, ConfigAdmin):
    list_display = ("workflow_name", "document_type", "is_active", "modified_at")
    list_filter = ("is_active", "document_type")
    fields = ("workflow_name", "document_type", "is_active", "description")
    inlines = [WorkflowStateInline, WorkflowTransitionInline]
    change_form_template = "docflow/desk/workflow_change_form.html"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "document_type":
            from . import registry

            return forms.ChoiceField(
                label=db_field.verbose_name, choices=[(n, n) for n in registry.names()], required=True
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _create_formsets(self, request, obj, change):
        formsets, inline_instances = super()._create_formsets(request, obj, change)
        for fs in formsets:
            if isinstance(fs, WorkflowTransitionFormSet):
                fs.siblings = formsets
                fs.parent_form = getattr(request, "_docflow_workflow_form", None)
        return formsets, inline_instances

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)

        class Remembering(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                request._docflow_workflow_form = self

        return Remembering

    def get_urls(self):
        return [
            path("<int:pk>/ekspor/", self.admin_site.admin_view(self.export_view), name="docflow_workflow_export"),
            path("impor/", self.admin_site.admin_view(self.import_view), name="docflow_workflow_import"),
            *self.builder_urls(),
        ] + super().get_urls()

    def export_view(self, request, pk):
        workflow = self.get_object(request, str(pk))
        if workflow is None or not self.has_view_permission(request, workflow):
            return redirect("admin:docflow_workflow_changelist")
        body = json.dumps(export_workflow(workflow), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{workflow.workflow_name}.json"'
        return response

    def import_view(self, request):
        """Upload a workflow's JSON. Replacing an existing workflow shows what
        changes (a diff) and asks for confirmation first; the JSON waits in the
        session, never in the page."""
        if not self.has_add_permission(request):
            return redirect("admin:docflow_workflow_changelist")
        pending = request.session.get("docflow_workflow_import")
        if request.method == "POST" and request.POST.get("konfirmasi") and pending:
            form = WorkflowImportForm()
            if request.POST.get("konfirmasi") == "batal":
                request.session.pop("docflow_workflow_import", None)
                messages.info(request, _("Impor dibatalkan; alur kerja tidak berubah."))
                return redirect("admin:docflow_workflow_changelist")
            request.session.pop("docflow_workflow_import", None)
            return self._import_spec(request, form, pending)
        form = WorkflowImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                spec = json.loads(form.cleaned_data["berkas"].read().decode("utf-8"))
                if not isinstance(spec, dict):
                    raise ValueError
                normalized = normalize_spec(spec)
            except (ValueError, UnicodeDecodeError, TypeError, AttributeError, KeyError):
                form.add_error("berkas", _("Berkas bukan JSON alur kerja yang sah."))
            else:
                current = Workflow.objects.filter(workflow_name=normalized["workflow_name"]).first()
                if current is None:
                    return self._import_spec(request, form, spec)
                problems = validate_spec(spec)
                request.session["docflow_workflow_import"] = spec
                context = {
                    **self.admin_site.each_context(request),
                    "title": _("Ganti alur kerja %(name)s?") % {"name": current.workflow_name},
                    "workflow": current,
                    "diff": workflow_diff(export_workflow(current), normalized),
                    "problems": problems,
                }
                return TemplateResponse(request, "docflow/desk/workflow_import_confirm.html", context)
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Impor alur kerja (JSON)")}
        return TemplateResponse(request, "docflow/desk/form_page.html", context)

    def _import_spec(self, request, form, spec):
        try:
            workflow = import_workflow(spec)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        except (TypeError, ValueError, AttributeError, KeyError):
            # JSON, but not shaped like a workflow (e.g. "states": "x").
            form.add_error(None, _("Berkas bukan JSON alur kerja yang sah."))
        else:
            messages.success(request, _("Alur kerja %(name)s diimpor.") % {"name": workflow.workflow_name})
            return redirect("admin:docflow_workflow_change", workflow.pk)
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Impor alur kerja (JSON)")}
        return TemplateResponse(request, "docflow/desk/form_page.html", context)


# --- print formats, letterheads, numbering, calendar -----------------------------


class PrintFormatForm(forms.ModelForm):
    class Meta:
        model = PrintFormat
        fields = "__all__"

    def clean_html(self):
        html = self.cleaned_data["html"]
        problem = printing.check_template(html)
        if problem:
            raise ValidationError(_("Templat tidak dapat dibaca: %(error)s") % {"error": problem})
        return html

    def clean(self):
        """Render against a sample document of the type, as approval would."""
        cleaned = super().clean()
        if self.errors or not cleaned.get("doc_type"):
            return cleaned
        trial = PrintFormat(**{f: cleaned.get(f) for f in ("name", "doc_type", "html", "css", "page_size", "margin")})
        trial.letter_head = cleaned.get("letter_head")
        problem = printing.check_against_sample(trial)
        if problem:
            self.add_error("html", _("Templat gagal ditampilkan: %(error)s") % {"error": problem})
        return cleaned


@admin.register(PrintFormat)
class PrintFormatAdmin(ConfigAdmin):
    form = PrintFormatForm
    list_display = ("name", "doc_type", "page_size", "is_default", "disabled")
    list_filter = ("doc_type", "disabled")


class LetterHeadForm(forms.ModelForm):
    class Meta:
        model = LetterHead
        fields = "__all__"

    def clean_lambang(self):
        """The emblem is printed as a data: URI: PNG or JPEG by content, at most 2 MB."""
        from .services.files import sniff

        upload = self.cleaned_data.get("lambang")
        if not upload or not hasattr(upload, "read") or getattr(upload, "_committed", False):
            return upload
        head = upload.read(16)
        upload.seek(0)
        if sniff(head) not in ("image/png", "image/jpeg"):
            raise ValidationError(_("Lambang daerah harus berkas PNG atau JPEG (diperiksa dari isinya)."))
        if upload.size > 2 * 1024 * 1024:
            raise ValidationError(_("Lambang daerah paling besar 2 MB."))
        return upload

    def clean_content(self):
        content = self.cleaned_data["content"]
        problem = printing.check_template(content)
        if problem:
            raise ValidationError(_("Templat tidak dapat dibaca: %(error)s") % {"error": problem})
        return content

    def clean(self):
        """The letterhead rendered with every print format that uses it (or the default ones)."""
        cleaned = super().clean()
        if self.errors:
            return cleaned
        trial = LetterHead(name=cleaned.get("name") or "", content=cleaned.get("content") or "")
        formats = PrintFormat.objects.filter(disabled=False)
        formats = formats.filter(letter_head=self.instance) if self.instance.pk else formats.none()
        for pf in list(formats[:20]) or list(PrintFormat.objects.filter(disabled=False, is_default=True)[:5]):
            pf.letter_head = trial
            problem = printing.check_against_sample(pf)
            if problem:
                self.add_error(
                    "content", _("Kop gagal ditampilkan dengan %(pf)s: %(error)s") % {"pf": pf.name, "error": problem}
                )
                break
        return cleaned


@admin.register(LetterHead)
class LetterHeadAdmin(ConfigAdmin):
    form = LetterHeadForm
    list_display = ("name", "is_default")
    fieldsets = (
        (None, {"fields": ("name", "is_default")}),
        (
            gettext_lazy("Identitas kop (Tata Naskah Dinas)"),
            {"fields": ("lambang", "alamat", "telepon", "email", "website")},
        ),
        (gettext_lazy("Templat"), {"fields": ("content",)}),
    )


class NamingSeriesForm(forms.ModelForm):
    class Meta:
        model = NamingSeries
        fields = "__all__"

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        problem = numbering.check_pattern(pattern, numbering.models_numbered_by(self.instance))
        if problem:
            raise ValidationError(problem)
        return pattern


class NamingCounterForm(forms.ModelForm):
    class Meta:
        model = NamingCounter
        fields = ("period", "current")

    def clean(self):
        data = super().clean()
        series = self.instance.series if self.instance.series_id else getattr(self, "parent_series", None)
        period, current = data.get("period"), data.get("current")
        if series is not None and period:
            shape = {NamingSeries.Reset.YEARLY: r"^\d{4}$", NamingSeries.Reset.MONTHLY: r"^\d{4}-\d{2}$"}.get(
                series.reset, r"^-$"
            )
            if not re.match(shape, period):
                example = {NamingSeries.Reset.YEARLY: "2026", NamingSeries.Reset.MONTHLY: "2026-03"}.get(
                    series.reset, "-"
                )
                self.add_error(
                    "period", _("Periode harus berbentuk %(example)s untuk seri ini.") % {"example": example}
                )
        if self.instance.pk and current is not None:
            stored = NamingCounter.objects.filter(pk=self.instance.pk).values_list("current", flat=True).first() or 0
            if current < stored:
                self.add_error(
                    "current",
                    _("Penghitung tidak boleh diturunkan dari %(old)s (nomor yang sudah terpakai akan ganda).")
                    % {"old": stored},
                )
        return data


class NamingCounterInline(TabularInline):
    model = NamingCounter
    form = NamingCounterForm
    extra = 0
    fields = ("period", "current", "next_number")
    readonly_fields = ("next_number",)
    ordering = ("-period",)
    can_delete = False
    verbose_name = gettext_lazy("penghitung per periode")
    verbose_name_plural = gettext_lazy("penghitung per periode (nomor terakhir yang dipakai)")

    @admin.display(description=gettext_lazy("nomor berikutnya"))
    def next_number(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        try:
            return numbering.render(obj.series.pattern, obj.current + 1, timezone.localtime(), None, None)
        except Exception:  # noqa: BLE001 - a pattern with document fields has no preview
            return _("(bergantung pada dokumen)")


@admin.register(NamingSeries)
class NamingSeriesAdmin(ConfigAdmin):
    form = NamingSeriesForm
    list_display = ("key", "pattern", "reset", "description")
    search_fields = ("key", "description")
    inlines = [NamingCounterInline]

    def save_formset(self, request, form, formset, change):
        """Counters change only through ``numbering.counter_set``: under the
        issuing lock, never lower, with an entry in the series' history."""
        if formset.model is not NamingCounter:
            return super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            data = inline_form.cleaned_data
            try:
                numbering.counter_set(
                    series=form.instance, period=data["period"], value=data["current"], user=request.user
                )
            except NumberingError as exc:
                messages.error(request, str(exc))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


@admin.register(Holiday)
class HolidayAdmin(ConfigAdmin):
    list_display = ("date", "description", "kind", "is_working_day")
    list_filter = ("kind", "is_working_day")
    search_fields = ("description",)
    date_hierarchy = "date"


# --- records -----------------------------------------------------------------------


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkflowLog)
class WorkflowLogAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "doctype",
        "document_name",
        "action",
        "from_state",
        "to_state",
        "user",
        "delegation_label",
    )
    list_filter = ("doctype", "kind")
    search_fields = ("document_name", "action", "comment")
    date_hierarchy = "created_at"


@admin.register(SubTask)
class SubTaskAdmin(ReadOnlyAdmin):
    """Sub-tasks of the documents the user sees, and those addressed to them;
    they are sent, answered and returned on their document's form."""

    list_display = ("document_link", "state", "unit", "assignee", "status", "due_date", "created_at")
    list_filter = ("status", "unit")
    search_fields = ("document_name", "instruction")
    ordering = ("-pk",)

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        from functools import reduce
        from operator import or_

        from django.db.models import Q

        from . import registry
        from .selectors import visible_documents
        from .services.subtasks import addressed_to_user_q

        qs = super().get_queryset(request).select_related("unit", "assignee")
        if request.user.is_superuser:
            return qs
        scope = [addressed_to_user_q(request.user)] + [
            Q(doctype=info.doctype, document_id__in=visible_documents(info.model, request.user).values("pk"))
            for info in registry.all_doctypes()
        ]
        return qs.filter(reduce(or_, scope))

    @admin.display(description=gettext_lazy("dokumen"))
    def document_link(self, obj):
        from django.utils.html import format_html

        from . import registry

        try:
            meta = registry.get(obj.doctype).model._meta
        except Exception:  # noqa: BLE001 - a doctype no longer registered
            return obj.document_name
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.document_id])
        return format_html('<a class="underline" href="{}">{} {}</a>', url, obj.doctype, obj.document_name)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is None:
            from django.http import Http404

            raise Http404
        from . import registry

        meta = registry.get(obj.doctype).model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.document_id]))


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ModelAdmin):
    list_display = ("issued_at", "title", "number", "holder", "signer_name", "revoked_at")
    list_filter = ("doctype", "title")
    search_fields = ("number", "holder", "document_name", "token")
    readonly_fields = [f.name for f in IssuedDocument._meta.fields if f.name not in ("revoked_reason",)]
    fields = (
        "title",
        "number",
        "holder",
        "document_name",
        "signer_name",
        "signer_title",
        "issued_at",
        "valid_until",
        "sha256",
        "token",
        "file",
        "revoked_at",
        "revoked_reason",
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.revoked_reason and obj.revoked_at is None:
            obj.revoked_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = ("created_at", "subject", "read_at")
    readonly_fields = ("subject", "message", "doctype", "document_name", "url", "created_at", "read_at")
    fields = readonly_fields

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def has_module_permission(self, request):
        return request.user.is_active

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (obj is None or obj.user_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and obj.read_at is None:
            Notification.objects.filter(pk=obj.pk).update(read_at=timezone.now())
        if obj is not None and obj.url:
            return redirect(obj.url)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("user", "api_key", "created_at", "last_used_at")

    def get_urls(self):
        return [
            path("saya/", self.admin_site.admin_view(self.mine_view), name="docflow_apikey_mine")
        ] + super().get_urls()

    def mine_view(self, request):
        """Every user generates their own key; the secret is shown once."""
        secret = None
        if request.method == "POST":
            key, secret = api_key_generate(user=request.user)
            messages.warning(request, _("Simpan rahasia ini sekarang; rahasia tidak akan ditampilkan lagi."))
        current = ApiKey.objects.filter(user=request.user).first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Kunci API Saya"),
            "current": current,
            "secret": secret,
        }
        return render(request, "docflow/desk/api_key.html", context)


# --- the inbox ----------------------------------------------------------------------


INBOX_PER_PAGE = 50


def inbox_view(request):
    page = Paginator(inbox_for_user(request.user), INBOX_PER_PAGE).get_page(request.GET.get("p"))
    context = {
        **admin.site.each_context(request),
        "title": _("Menunggu Tindakan Saya"),
        "rows": [
            {
                "doctype": info.doctype,
                "doc": doc,
                "title": getattr(doc, info.title_field, doc.name),
                "actions": actions,
                "url": reverse(f"admin:{doc._meta.app_label}_{doc._meta.model_name}_change", args=[doc.pk]),
            }
            for info, doc, actions in page.object_list
        ],
        "page": page,
        "now": timezone.now(),
        "assigned_count": my_open_todos(request.user).count(),
    }
    return TemplateResponse(request, "docflow/desk/inbox.html", context)


from .desk import automation_admin, login_audit  # noqa: E402,F401  (jobs, webhooks, recurring documents; axes)
from .dynamic import admin as dynamic_admin  # noqa: E402,F401  (the DocType builder)
