"""The visual workflow builder and the workflow maps in the desk.

Pages (under the workflow admin, ``/app/docflow/workflow/``):

- ``<pk>/diagram/`` and ``diagram/baru/``: the builder (change rights). The
  browser draws the diagram (vendored dagre) and sends the whole definition
  to ``diagram/periksa/`` (problems per element, nothing saved) and to
  ``.../diagram/simpan/`` (saved through ``services.diagram.workflow_save_spec``).
- ``<pk>/peta/``: the live map (read-only, figures per state through the
  visibility selector; a click on a state opens the filtered desk list) and
  ``<pk>/peta/data/`` its figures as JSON.
- ``<pk>/swimlane/``, ``.svg``, ``.pdf``: the printable process map.

The live map and the swimlanes are open to whoever may see the workflow's
document type in the desk (the figures are only what they see).
"""

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import registry
from ..api.query import loads
from ..exceptions import DocflowError
from ..models import Workflow
from ..services import diagram
from ..services.definitions import validate_spec_detailed

MAX_SPEC_BYTES = 512 * 1024


def js_strings() -> dict:
    """The builder's words, translated on the server (no English in the desk)."""
    return {
        "add_state": _("Tambah status"),
        "new_state": _("Status baru"),
        "new_action": _("Tindakan baru"),
        "state": _("Status"),
        "transition": _("Transisi"),
        "name": _("Nama status"),
        "doc_status": _("Docstatus"),
        "allow_edit": _("Boleh diubah oleh (peran)"),
        "sla_days": _("SLA (hari kerja)"),
        "is_final": _("Status akhir"),
        "numbering": _("Beri nomor dari seri"),
        "print_format": _("Terbitkan PDF dengan format"),
        "update_field": _("Ubah field"),
        "update_value": _("Menjadi nilai"),
        "action": _("Nama tindakan"),
        "from": _("Dari status"),
        "to": _("Ke status"),
        "role": _("Peran yang boleh"),
        "condition": _("Syarat"),
        "insert_field": _("Sisipkan field…"),
        "require_comment": _("Wajib alasan"),
        "require_attachment": _("Wajib lampiran"),
        "allow_self_approval": _("Pembuat boleh menyetujui"),
        "on_behalf_of": _("Dicatat atas nama (pihak luar)"),
        "quorum": _("Kuorum (jumlah anggota)"),
        "none": _("— tidak ada —"),
        "delete_state": _("Hapus status"),
        "delete_transition": _("Hapus transisi"),
        "make_initial": _("Jadikan status awal"),
        "initial": _("status awal"),
        "save": _("Simpan alur kerja"),
        "saved": _("Alur kerja disimpan."),
        "save_failed": _("Alur kerja belum disimpan: perbaiki kesalahan yang ditandai."),
        "no_problems": _("Tidak ada kesalahan."),
        "problems": _("Kesalahan"),
        "select_hint": _(
            "Klik status atau panah untuk mengubahnya. Tarik dari titik di sisi kanan status ke status lain untuk "
            "membuat transisi."
        ),
        "documents": _("dokumen"),
        "overdue": _("terlambat"),
        "median": _("median"),
        "days": _("hari"),
        "open_list": _("Buka daftar dokumen"),
        "period": _("Periode median"),
        "workflow_name": _("Nama alur kerja"),
        "document_type": _("Jenis dokumen"),
        "is_active": _("Aktif"),
        "unsaved": _("Ada perubahan yang belum disimpan."),
        "network_error": _("Server tidak dapat dihubungi. Coba lagi."),
        "current": _("status sekarang"),
    }


def _read_spec(request) -> dict:
    if len(request.body) > MAX_SPEC_BYTES:
        raise ValidationError(_("Definisi alur kerja terlalu besar."))
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(_("Data bukan JSON alur kerja yang sah.")) from None
    spec = loads(text, ValidationError, _("Data bukan JSON alur kerja yang sah."))
    if not isinstance(spec, dict) or not isinstance(spec.get("states", []), list):
        raise ValidationError(_("Data bukan JSON alur kerja yang sah."))
    if not isinstance(spec.get("transitions", []), list):
        raise ValidationError(_("Data bukan JSON alur kerja yang sah."))
    return spec


def _problem_response(messages, status=400):
    return JsonResponse(
        {"ok": False, "problems": [{"message": m, "state": None, "transition": None} for m in messages]},
        status=status,
    )


class WorkflowBuilderMixin:
    """Mixed into WorkflowAdmin: the builder's and the maps' views."""

    def builder_urls(self):
        from django.urls import path

        view = self.admin_site.admin_view
        return [
            path("diagram/baru/", view(self.builder_view), name="docflow_workflow_builder_new"),
            path("diagram/periksa/", view(self.builder_check_view), name="docflow_workflow_builder_check"),
            path("diagram/simpan/", view(self.builder_save_view), name="docflow_workflow_builder_create"),
            path("<int:pk>/diagram/", view(self.builder_view), name="docflow_workflow_builder"),
            path("<int:pk>/diagram/simpan/", view(self.builder_save_view), name="docflow_workflow_builder_save"),
            path("<int:pk>/peta/", view(self.map_view), name="docflow_workflow_map"),
            path("<int:pk>/peta/data/", view(self.map_data_view), name="docflow_workflow_map_data"),
            path("<int:pk>/swimlane/", view(self.swimlane_view), name="docflow_workflow_swimlane"),
            path("<int:pk>/swimlane.svg", view(self.swimlane_svg_view), name="docflow_workflow_swimlane_svg"),
            path("<int:pk>/swimlane.pdf", view(self.swimlane_pdf_view), name="docflow_workflow_swimlane_pdf"),
        ]

    # --- rights -------------------------------------------------------------

    def _workflow_for_change(self, request, pk):
        if pk is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        workflow = get_object_or_404(Workflow, pk=pk)
        if not self.has_change_permission(request, workflow):
            raise PermissionDenied
        return workflow

    def _workflow_for_map(self, request, pk):
        workflow = get_object_or_404(Workflow, pk=pk)
        if self.has_view_permission(request, workflow):
            return workflow
        try:
            meta = registry.get(workflow.document_type).model._meta
        except DocflowError:
            raise Http404 from None
        if request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            return workflow
        raise Http404

    # --- the builder ----------------------------------------------------------

    def builder_view(self, request, pk=None):
        workflow = self._workflow_for_change(request, pk)
        if workflow is not None:
            data = diagram.diagram_data(workflow)
        else:
            doctype = request.GET.get("doctype") or ""
            data = {
                "workflow_name": "",
                "document_type": doctype if doctype in registry.names() else "",
                "is_active": False,
                "description": "",
                "states": [],
                "transitions": [],
            }
        context = {
            **self.admin_site.each_context(request),
            "title": _("Pembuat alur kerja: %(name)s") % {"name": workflow.workflow_name}
            if workflow
            else _("Alur kerja baru"),
            "workflow": workflow,
            "diagram": data,
            "choices": diagram.builder_choices(data["document_type"] or None),
            "strings": js_strings(),
            "periods": diagram.PERIODS,
            "check_url": reverse("admin:docflow_workflow_builder_check"),
            "save_url": reverse("admin:docflow_workflow_builder_save", args=[workflow.pk])
            if workflow
            else reverse("admin:docflow_workflow_builder_create"),
            "stats_url": reverse("admin:docflow_workflow_map_data", args=[workflow.pk]) if workflow else "",
        }
        return TemplateResponse(request, "docflow/desk/workflow_builder.html", context)

    def builder_check_view(self, request):
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if request.method != "POST":
            return JsonResponse({"ok": False}, status=405)
        try:
            spec = _read_spec(request)
            problems = validate_spec_detailed(spec)
        except ValidationError as exc:
            return _problem_response(exc.messages)
        except (TypeError, ValueError, AttributeError, KeyError):
            return _problem_response([_("Data bukan JSON alur kerja yang sah.")])
        return JsonResponse({"ok": not problems, "problems": problems})

    def builder_save_view(self, request, pk=None):
        workflow = self._workflow_for_change(request, pk)
        if request.method != "POST":
            return JsonResponse({"ok": False}, status=405)
        try:
            spec = _read_spec(request)
            saved = diagram.workflow_save_spec(spec, workflow=workflow)
        except ValidationError as exc:
            problems = getattr(exc, "problems", None)
            if problems is None:
                return _problem_response(exc.messages)
            return JsonResponse({"ok": False, "problems": problems}, status=400)
        except (TypeError, ValueError, AttributeError, KeyError):
            return _problem_response([_("Data bukan JSON alur kerja yang sah.")])
        return JsonResponse(
            {
                "ok": True,
                "message": _("Alur kerja %(name)s disimpan.") % {"name": saved.workflow_name},
                "url": reverse("admin:docflow_workflow_builder", args=[saved.pk]),
                "diagram": diagram.diagram_data(saved),
            }
        )

    # --- the live map ------------------------------------------------------------

    def map_view(self, request, pk):
        workflow = self._workflow_for_map(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Peta alur kerja: %(name)s") % {"name": workflow.workflow_name},
            "workflow": workflow,
            "diagram": diagram.diagram_data(workflow),
            "strings": js_strings(),
            "periods": diagram.PERIODS,
            "stats_url": reverse("admin:docflow_workflow_map_data", args=[workflow.pk]),
            "can_change": self.has_change_permission(request, workflow),
        }
        return TemplateResponse(request, "docflow/desk/workflow_map.html", context)

    def map_data_view(self, request, pk):
        workflow = self._workflow_for_map(request, pk)
        try:
            days = int(request.GET.get("hari", 30))
        except ValueError:
            days = 30
        if days not in diagram.PERIODS:
            days = 30
        try:
            figures = diagram.state_statistics(request.user, workflow.document_type, days=days)
        except DocflowError as exc:
            return JsonResponse({"ok": False, "message": str(exc)}, status=404)
        return JsonResponse({"ok": True, "days": days, "states": figures})

    # --- swimlanes ------------------------------------------------------------------

    def swimlane_view(self, request, pk):
        workflow = self._workflow_for_map(request, pk)
        spec = diagram.diagram_data(workflow)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Peta proses: %(name)s") % {"name": workflow.workflow_name},
            "workflow": workflow,
            "svg": diagram.swimlane_svg(spec, title=workflow.workflow_name),
        }
        return TemplateResponse(request, "docflow/desk/workflow_swimlane.html", context)

    def swimlane_svg_view(self, request, pk):
        workflow = self._workflow_for_map(request, pk)
        body = diagram.swimlane_svg(diagram.diagram_data(workflow), title=workflow.workflow_name)
        response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="peta-proses-{slugify(workflow.workflow_name)}.svg"'
        return response

    def swimlane_pdf_view(self, request, pk):
        workflow = self._workflow_for_map(request, pk)
        body = diagram.swimlane_pdf(diagram.diagram_data(workflow), title=workflow.workflow_name)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="peta-proses-{slugify(workflow.workflow_name)}.pdf"'
        return response


def document_diagram_context(doc) -> dict:
    """The read-only diagram on a document's form: its active workflow (the
    per-process cache, no extra query), the current state and the path it
    took (empty when there is no workflow)."""
    from ..services.workflow import cached_workflow

    info = registry.for_model(doc)
    try:
        loaded = cached_workflow(info.doctype)
    except DocflowError:
        return {}
    data = diagram.loaded_diagram_data(loaded)
    data["current"] = doc.workflow_state
    data["path"] = diagram.document_path(doc)
    return {
        "docflow_diagram": data,
        "docflow_diagram_strings": js_strings(),
        "docflow_diagram_map": reverse("admin:docflow_workflow_map", args=[loaded.workflow.pk]),
    }


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
