"""The desk for background jobs, webhooks and recurring documents: the
administrator configures them without code and sees what failed and why."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from unfold.admin import ModelAdmin, TabularInline

from .. import auto_repeat, conditions, jobs, registry, webhooks
from ..exceptions import DocflowError
from ..models import (
    AutoRepeat,
    AutoRepeatRun,
    BackgroundJob,
    Webhook,
    WebhookData,
    WebhookHeader,
    WebhookRequestLog,
)


def _doctype_choices():
    return [("", "---------")] + [(name, name) for name in registry.names()]


class _ReadOnly(ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- background jobs ------------------------------------------------------------------


@admin.register(BackgroundJob)
class BackgroundJobAdmin(_ReadOnly):
    list_display = ("pk", "label_or_task", "status", "attempts", "max_attempts", "run_after", "finished_at")
    list_filter = ("status",)
    search_fields = ("task", "label", "last_error")
    readonly_fields = (
        "task",
        "label",
        "kwargs",
        "status",
        "attempts",
        "max_attempts",
        "run_after",
        "worker",
        "created_at",
        "dispatched_at",
        "started_at",
        "finished_at",
        "error",
    )
    exclude = ("last_error",)
    actions = ["retry"]
    list_per_page = 50

    @admin.display(description=gettext_lazy("pekerjaan"))
    def label_or_task(self, obj):
        return obj.label or obj.task

    @admin.display(description=gettext_lazy("galat terakhir"))
    def error(self, obj):
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", obj.last_error or "-")

    @admin.action(description=gettext_lazy("Jalankan ulang pekerjaan yang gagal"), permissions=["retry"])
    def retry(self, request, queryset):
        count = jobs.retry_now(queryset.filter(status=BackgroundJob.Status.FAILED).values_list("pk", flat=True))
        messages.success(request, _("%(n)s pekerjaan dijalankan ulang.") % {"n": count})

    def has_retry_permission(self, request):
        return request.user.has_perm("docflow.change_backgroundjob")


# --- webhooks -------------------------------------------------------------------------


class WebhookForm(webhooks.WebhookBaseForm):
    webhook_doctype = forms.ChoiceField(label=gettext_lazy("jenis dokumen"), choices=_doctype_choices)
    webhook_secret = forms.CharField(
        label=gettext_lazy("rahasia"),
        required=False,
        widget=forms.PasswordInput(render_value=True),
    )

    class Meta:
        model = Webhook
        fields = "__all__"


class WebhookDataFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        doctype = self.instance.webhook_doctype or (self.data.get("webhook_doctype") if self.data else None)
        try:
            model = registry.get(doctype).model
        except DocflowError:
            return
        known = conditions.field_names(model)
        for form in self.forms:
            name = (form.cleaned_data or {}).get("fieldname")
            if name and not form.cleaned_data.get("DELETE") and name not in known:
                form.add_error("fieldname", _("Field %(f)s tidak dikenal pada %(d)s.") % {"f": name, "d": doctype})


class WebhookHeaderInline(TabularInline):
    model = WebhookHeader
    extra = 0
    verbose_name_plural = gettext_lazy("Header (webhook_headers)")


class WebhookDataInline(TabularInline):
    model = WebhookData
    formset = WebhookDataFormSet
    extra = 0
    verbose_name_plural = gettext_lazy("Data (webhook_data)")


@admin.register(Webhook)
class WebhookAdmin(ModelAdmin):
    form = WebhookForm
    list_display = ("name", "webhook_doctype", "webhook_docevent", "request_url", "enabled")
    list_filter = ("enabled", "webhook_docevent")
    search_fields = ("name", "webhook_doctype", "request_url")
    inlines = [WebhookHeaderInline, WebhookDataInline]
    fieldsets = (
        (None, {"fields": ("name", "enabled", ("webhook_doctype", "webhook_docevent"), "condition")}),
        (
            gettext_lazy("Permintaan"),
            {"fields": ("request_url", ("request_method", "request_structure", "timeout"), "webhook_json")},
        ),
        (gettext_lazy("Keamanan"), {"fields": ("enable_security", "webhook_secret")}),
    )


@admin.register(WebhookRequestLog)
class WebhookRequestLogAdmin(_ReadOnly):
    list_display = (
        "created_at",
        "webhook",
        "reference_doctype",
        "reference_document",
        "event",
        "attempt",
        "status_code",
        "short_error",
    )
    list_filter = ("event", "status_code")
    search_fields = ("reference_document", "url", "error")
    list_per_page = 50

    @admin.display(description=gettext_lazy("galat"))
    def short_error(self, obj):
        return (obj.error or "")[:80]


# --- recurring documents ------------------------------------------------------------


class AutoRepeatForm(forms.ModelForm):
    reference_doctype = forms.ChoiceField(label=gettext_lazy("jenis dokumen"), choices=_doctype_choices)

    class Meta:
        model = AutoRepeat
        fields = "__all__"


class AutoRepeatRunInline(TabularInline):
    model = AutoRepeatRun
    extra = 0
    can_delete = False
    fields = ("period_start", "period_end", "trigger", "document_name", "user", "created_at")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("Riwayat pembuatan")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AutoRepeat)
class AutoRepeatAdmin(ModelAdmin):
    form = AutoRepeatForm
    list_display = ("__str__", "frequency", "start_date", "end_date", "unit", "disabled", "last_run")
    list_filter = ("frequency", "disabled")
    search_fields = ("reference_doctype", "reference_document")
    inlines = [AutoRepeatRunInline]
    actions = ["make_current_period"]
    fieldsets = (
        (None, {"fields": (("reference_doctype", "reference_document"), "frequency", ("start_date", "end_date"))}),
        (
            gettext_lazy("Dokumen baru"),
            {"fields": ("unit", "run_as", "period_field", ("period_start_field", "period_end_field"))},
        ),
        (None, {"fields": ("disabled",)}),
    )

    def get_changeform_initial_data(self, request):
        return {"run_as": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.display(description=gettext_lazy("terakhir dibuat"))
    def last_run(self, obj):
        run = obj.runs.order_by("-period_start").first()
        return f"{run.period_start:%d-%m-%Y} {run.document_name}" if run else "-"

    @admin.action(description=gettext_lazy("Buat dokumen periode ini sekarang"), permissions=["change"])
    def make_current_period(self, request, queryset):
        for schedule in queryset:
            try:
                run = auto_repeat.run_now(schedule, request.user)
            except (DocflowError, ValidationError) as exc:
                text = exc.message if isinstance(exc, DocflowError) else " ".join(exc.messages)
                messages.error(request, f"{schedule}: {text}")
            else:
                messages.success(request, _("%(s)s: dokumen %(n)s dibuat.") % {"s": schedule, "n": run.document_name})


@admin.register(AutoRepeatRun)
class AutoRepeatRunAdmin(_ReadOnly):
    list_display = ("schedule", "period_start", "period_end", "trigger", "document_name", "user", "created_at")
    list_filter = ("trigger",)
    search_fields = ("document_name",)
