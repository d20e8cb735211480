"""Registers per budget year: Banpol per party, hibah per recipient."""

from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.excel import xlsx_response
from apps.docflow.selectors import visible_documents

from .services import banpol_register


def _year(request):
    try:
        return int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


@login_required
def banpol_register_view(request):
    tahun = _year(request)
    rows = banpol_register(tahun, user=request.user)
    headers = [
        _("Partai"),
        _("Kursi"),
        _("Suara sah"),
        _("Jumlah Banpol"),
        _("Status permohonan"),
        _("Dicairkan"),
        _("LPJ"),
    ]
    table = [
        [str(r["parpol"]), r["kursi"], r["suara"], r["jumlah"], r["status_permohonan"], r["dicairkan"], r["lpj"]]
        for r in rows
    ]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"register-banpol-{tahun}", _("Register Banpol %(tahun)s") % {"tahun": tahun}, headers, table
        )
    total = sum((r["jumlah"] for r in rows), Decimal("0"))
    context = {
        **admin.site.each_context(request),
        "title": _("Register Banpol"),
        "rows": table,
        "headers": headers,
        "tahun": tahun,
        "total": total,
    }
    return TemplateResponse(request, "pembinaan/register.html", context)


@login_required
def hibah_register_view(request):
    tahun = _year(request)
    rows = []
    for doctype, penerima in (("Hibah Ormas", "nama_ormas"), ("Hibah Kewaspadaan", "pemohon")):
        info = registry.get(doctype)
        for doc in visible_documents(info.model, request.user).filter(tahun_anggaran=tahun).order_by(penerima):
            rows.append(
                [
                    doctype,
                    getattr(doc, penerima),
                    doc.jumlah_diajukan,
                    doc.pagu_disetujui or Decimal("0"),
                    doc.jumlah_transfer or Decimal("0"),
                    doc.workflow_state,
                ]
            )
    headers = [_("Jenis"), _("Penerima"), _("Diajukan"), _("Disetujui"), _("Dicairkan"), _("Status")]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"register-hibah-{tahun}", _("Register Hibah %(tahun)s") % {"tahun": tahun}, headers, rows)
    context = {
        **admin.site.each_context(request),
        "title": _("Register Hibah"),
        "rows": rows,
        "headers": headers,
        "tahun": tahun,
    }
    return TemplateResponse(request, "pembinaan/register.html", context)
