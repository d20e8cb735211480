from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.organisasi.models import Unit

from .selectors import pending_per_unit


@login_required
def pending_view(request):
    unit_id = request.GET.get("unit") or None
    process = request.GET.get("proses") or None
    overdue = request.GET.get("terlambat") == "1"
    try:
        unit_id = int(unit_id) if unit_id else None
    except ValueError:
        unit_id = None
    rows = pending_per_unit(request.user, unit_id=unit_id, process_code=process, overdue_only=overdue)
    context = {
        **admin.site.each_context(request),
        "title": _("Dokumen Tertunda per Unit"),
        "rows": rows,
        "total": sum(r.count for r in rows),
        "total_overdue": sum(r.overdue for r in rows),
        "units": Unit.objects.all(),
        "processes": [(i.process_code, i.doctype) for i in registry.all_doctypes()],
        "selected": {"unit": unit_id, "proses": process, "terlambat": overdue},
    }
    return TemplateResponse(request, "laporan/pending.html", context)
