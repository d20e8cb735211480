"""Registers per budget year: Banpol per party, hibah per recipient."""

from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.excel import xlsx_response
from apps.docflow.printing import rupiah
from apps.docflow.selectors import visible_documents

from .models import TarifBanpol
from .services import banpol_register


def _year(request):
    try:
        return int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year


def _cells(rows, headers, numeric) -> list:
    """Each cell with its column's heading (the label at phone width) and alignment."""
    return [[(v, headers[i], i in numeric) for i, v in enumerate(row)] for row in rows]


def _banpol_years(user) -> tuple[list[int], list[int]]:
    """Budget years with an application the user sees, and those with a rate or an application, newest first."""
    applied = set(
        visible_documents(registry.get("Permohonan Banpol").model, user).values_list("tahun_anggaran", flat=True)
    )
    rated = set(TarifBanpol.objects.values_list("tahun_anggaran", flat=True))
    return sorted(applied, reverse=True), sorted(applied | rated, reverse=True)


@login_required
def banpol_register_view(request):
    applied, years = _banpol_years(request.user)
    if request.GET.get("tahun"):
        tahun = _year(request)
    else:  # the newest budget year with applications, not a year without any (all Rp0)
        current = timezone.localdate().year
        tahun = (applied or [y for y in years if y <= current + 1] or [current])[0]
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
    shown = [
        [
            str(r["parpol"]),
            r["kursi"],
            r["suara"],
            rupiah(r["jumlah"]) if r["status_permohonan"] != "-" else "—",
            r["status_permohonan"],
            rupiah(r["dicairkan"]) if r["dicairkan"] else "—",
            r["lpj"],
        ]
        for r in rows
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Register Banpol"),
        "rows": _cells(shown, headers, {1, 2, 3, 5}),
        "headers": [(h, i in {1, 2, 3, 5}) for i, h in enumerate(headers)],
        "tahun": tahun,
        "years": years,
        "total": rupiah(total) if total else "",
        "no_applications": all(r["status_permohonan"] == "-" for r in rows),
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
    shown = [
        [r[0], r[1], rupiah(r[2]), rupiah(r[3]) if r[3] else "—", rupiah(r[4]) if r[4] else "—", r[5]] for r in rows
    ]
    context = {
        **admin.site.each_context(request),
        "title": _("Register Hibah"),
        "rows": _cells(shown, headers, {2, 3, 4}),
        "headers": [(h, i in {2, 3, 4}) for i, h in enumerate(headers)],
        "tahun": tahun,
    }
    return TemplateResponse(request, "pembinaan/register.html", context)
