"""Report pages in the desk. Each takes its filters from the query string and
exports the same rows to Excel with ``?format=xlsx``."""

import datetime
import json
from functools import wraps

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.excel import xlsx_response
from apps.organisasi.models import Unit

from .selectors import (
    cycle_times,
    iku_table,
    incident_rows,
    pending_per_person,
    pending_per_unit,
    register_rows,
    unit_pending,
    volume_per_month,
)


class BadParameter(Exception):
    """A report parameter out of range: the page answers 400 with the message."""


def _date(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value, *, name="unit", low=1, high=2**63 - 1):
    """A whole number in [low, high]; empty is None; anything else is the user's error."""
    if not value:
        return None
    try:
        number = int(value) if len(value) <= 20 else None
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise BadParameter(
            _("Parameter %(name)s tidak sah: %(value)s (harus bilangan bulat %(low)s sampai %(high)s).")
            % {"name": name, "value": value[:40], "low": low, "high": high}
        )
    return number


def _year(value):
    return _int(value, name="tahun", low=1900, high=9999)


def _report(view):
    """Report views: a bad parameter is a 400 page with a readable message."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadParameter as exc:
            return TemplateResponse(
                request,
                "docflow/desk/bad_request.html",
                {**admin.site.each_context(request), "title": _("Parameter laporan tidak sah"), "message": str(exc)},
                status=400,
            )

    return wrapper


def _page(request, template, title, **context):
    return TemplateResponse(request, template, {**admin.site.each_context(request), "title": title, **context})


def _days(value):
    return None if value is None else round(value, 1)


@login_required
@_report
def pending_view(request):
    selected = {
        "unit": _int(request.GET.get("unit")),
        "proses": request.GET.get("proses") or None,
        "status": request.GET.get("status") or None,
        "dari": _date(request.GET.get("dari")),
        "sampai": _date(request.GET.get("sampai")),
        "terlambat": request.GET.get("terlambat") == "1",
    }
    rows = pending_per_unit(
        request.user,
        unit_id=selected["unit"],
        process_code=selected["proses"],
        state=selected["status"],
        overdue_only=selected["terlambat"],
        since=selected["dari"],
        until=selected["sampai"],
    )
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "dokumen-tertunda",
            _("Dokumen Tertunda per Unit"),
            [
                _("Unit"),
                _("Kode proses"),
                _("Jenis dokumen"),
                _("Status"),
                _("Jumlah"),
                _("Tertua sejak"),
                _("Terlambat"),
            ],
            [[r.unit, r.process_code, r.doctype, r.state, r.count, r.oldest, r.overdue] for r in rows],
            {_("Filter"): request.GET.urlencode()},
        )
    return _page(
        request,
        "laporan/pending.html",
        _("Dokumen Tertunda per Unit"),
        rows=rows,
        people=pending_per_person(request.user),
        total=sum(r.count for r in rows if r.kind != "subtask"),
        total_overdue=sum(r.overdue for r in rows if r.kind != "subtask"),
        units=Unit.objects.all(),
        processes=[(i.process_code, i.doctype) for i in registry.all_doctypes()],
        selected=selected,
        query=request.GET.urlencode(),
    )


@login_required
@_report
def cycle_view(request):
    since, until = _date(request.GET.get("dari")), _date(request.GET.get("sampai"))
    process = request.GET.get("proses") or None
    year = _year(request.GET.get("tahun")) or timezone.localdate().year
    data = cycle_times(request.user, since=since, until=until, process_code=process)
    volume = volume_per_month(request.user, year)
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                r.process_code,
                r.doctype,
                r.state or _("(seluruh proses)"),
                r.count,
                _days(r.median_days),
                _days(r.p90_days),
            ]
            for r in data["processes"] + data["states"]
        ]
        return xlsx_response(
            "waktu-proses",
            _("Waktu Proses"),
            [
                _("Kode proses"),
                _("Jenis dokumen"),
                _("Status"),
                _("Jumlah"),
                _("Median (hari)"),
                _("Persentil 90 (hari)"),
            ],
            rows,
            {_("Filter"): request.GET.urlencode()},
        )
    chart = {
        "labels": [r.process_code for r in data["processes"]],
        "datasets": [
            {"label": _("Median (hari)"), "data": [_days(r.median_days) or 0 for r in data["processes"]]},
            {"label": _("Persentil 90 (hari)"), "data": [_days(r.p90_days) or 0 for r in data["processes"]]},
        ],
    }
    return _page(
        request,
        "laporan/cycle.html",
        _("Waktu Proses dan Volume"),
        data=data,
        volume=volume,
        year=year,
        months=["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
        chart=json.dumps(chart),
        processes=[(i.process_code, i.doctype) for i in registry.all_doctypes()],
        selected={"dari": since, "sampai": until, "proses": process},
        query=request.GET.urlencode(),
    )


REGISTERS = {"skt": "Permohonan SKT", "izin-penelitian": "Permohonan Izin Penelitian"}


@login_required
@_report
def register_view(request, jenis):
    doctype = REGISTERS.get(jenis)
    if doctype is None:
        from django.http import Http404

        raise Http404
    year = _year(request.GET.get("tahun"))
    status = request.GET.get("status") or None
    rows = register_rows(request.user, doctype, year=year, status=status)
    today = timezone.localdate()

    def keadaan(i):
        if i.revoked_at:
            return _("Dicabut")
        if i.valid_until and i.valid_until < today:
            return _("Kedaluwarsa")
        return _("Berlaku")

    table = [[i.number, i.holder, i.issued_at, i.valid_until, i.signer_name, keadaan(i)] for i in rows]
    headers = [_("Nomor"), _("Pemegang"), _("Tanggal terbit"), _("Berlaku sampai"), _("Penandatangan"), _("Keadaan")]
    title = _("Register %(doctype)s") % {"doctype": doctype.replace("Permohonan ", "")}
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"register-{jenis}", title, headers, table, {_("Tahun"): year, _("Status"): status})
    return _page(
        request,
        "laporan/register.html",
        title,
        rows=table,
        headers=headers,
        jenis=jenis,
        selected={"tahun": year, "status": status},
        query=request.GET.urlencode(),
    )


@login_required
@_report
def incident_view(request):
    """Register Insiden Konflik (P6.1): every incident the user may see, filtered
    by year of the incident, kind and kecamatan; the same rows as Excel."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .selectors import KONFLIK

    if KONFLIK not in registry.names(load=True):
        raise Http404  # the doctype was removed by an administrator
    info = registry.get(KONFLIK)
    if not info.allows(request.user, "report"):
        raise PermissionDenied(_("Anda tidak berwenang membaca laporan %(doctype)s.") % {"doctype": KONFLIK})
    selected = {
        "tahun": _year(request.GET.get("tahun")),
        "jenis": request.GET.get("jenis") or None,
        "kecamatan": request.GET.get("kecamatan") or None,
    }
    rows = incident_rows(request.user, year=selected["tahun"], jenis=selected["jenis"], kecamatan=selected["kecamatan"])
    headers = [
        _("Nomor register"),
        _("Tanggal kejadian"),
        _("Kejadian"),
        _("Jenis konflik"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Tahap penanganan"),
        _("Status konflik"),
        _("Nomor laporan ke Provinsi"),
    ]
    keys = ("name", "tanggal_kejadian", "judul_kejadian", "jenis_konflik", "kelurahan", "kecamatan")
    table = [[r[k] for k in keys] + [r["workflow_state"], r["status_konflik"], r["laporan_provinsi"]] for r in rows]
    title = _("Register Insiden Konflik")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "register-insiden-konflik",
            title,
            headers,
            table,
            {_("Tahun"): selected["tahun"], _("Jenis"): selected["jenis"], _("Kecamatan"): selected["kecamatan"]},
        )
    choices = {f.name: [c for c, _label in f.choices or []] for f in info.model._meta.fields}
    return _page(
        request,
        "laporan/insiden_konflik.html",
        title,
        rows=table,
        headers=headers,
        selected=selected,
        jenis_pilihan=[c for c in choices.get("jenis_konflik", []) if c],
        kecamatan_pilihan=[c for c in choices.get("kecamatan", []) if c],
        query=request.GET.urlencode(),
    )


@login_required
def unit_inbox_view(request):
    rows = unit_pending(request.user)
    now = timezone.now()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "menunggu-tindakan-unit",
            _("Menunggu Tindakan di Unit Saya"),
            [_("Jenis"), _("Dokumen"), _("Unit"), _("Status"), _("Sejak"), _("Batas waktu"), _("Ditindaklanjuti oleh")],
            [
                [i.doctype, d.name, str(d.unit), d.workflow_state, d.state_entered_at, d.due_at, ", ".join(r)]
                for i, d, r in rows
            ],
        )
    table = [{"info": i, "doc": d, "roles": r, "url": registry.desk_url(d)} for i, d, r in rows]
    return _page(request, "laporan/unit_inbox.html", _("Menunggu Tindakan di Unit Saya"), rows=table, now=now)


@login_required
def iku_view(request):
    table = iku_table(user=request.user)
    if request.GET.get("format") == "xlsx":
        out = []
        for row in table:
            for cell in row["cells"]:
                computed = cell["terhitung"]
                out.append(
                    [
                        row["indikator"].urutan,
                        row["indikator"].nama,
                        row["indikator"].satuan,
                        cell["tahun"],
                        cell["target"].nilai if cell["target"] else None,
                        cell["nilai"],
                        cell["capaian"],
                        computed.nilai if computed else None,
                        _("Input manual dengan bukti")
                        if cell["override"]
                        else (_("Data dokumen") if computed else None),
                    ]
                )
        return xlsx_response(
            "iku",
            _("Indikator Kinerja Utama"),
            [
                _("No"),
                _("Indikator"),
                _("Satuan"),
                _("Tahun"),
                _("Target"),
                _("Realisasi"),
                _("Capaian (%)"),
                _("Terhitung dari dokumen"),
                _("Sumber realisasi"),
            ],
            out,
        )
    years = sorted({c["tahun"] for row in table for c in row["cells"]})
    return _page(request, "laporan/iku.html", _("Indikator Kinerja Utama (IKU)"), table=table, years=years)


@login_required
@_report
def honorarium_timdu_register_view(request):
    """Register Honorarium Timdu (P5.7): period, member, unsur, amount, state."""
    from apps.docflow.services.workflow import cached_workflow

    from .selectors import honorarium_timdu_rows

    year = _year(request.GET.get("tahun"))
    status = request.GET.get("status") or None
    rows = honorarium_timdu_rows(request.user, year=year, state=status)
    table = [
        [
            r.parent.periode,
            r.parent.name,
            r.parent.number,
            r.nama,
            r.unsur,
            r.jabatan_tim,
            r.jumlah,
            r.parent.workflow_state,
        ]
        for r in rows
    ]
    headers = [
        _("Periode"), _("Registrasi"), _("Nomor daftar"), _("Nama"), _("Unsur"), _("Jabatan dalam tim"),
        _("Jumlah (Rp)"), _("Status"),
    ]  # fmt: skip
    title = _("Register Honorarium Timdu P4GN")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "register-honorarium-timdu", title, headers, table, {_("Tahun"): year, _("Status"): status}
        )
    try:
        states = list(cached_workflow("Honorarium Timdu").states)
    except Exception:  # noqa: BLE001 - no active workflow: no state filter
        states = []
    from apps.docflow.printing import rupiah

    return _page(
        request,
        "laporan/register_honorarium.html",
        title,
        rows=[[*r[:6], rupiah(r[6]), r[7]] for r in table],
        headers=headers,
        states=states,
        total=rupiah(sum((r.jumlah or 0) for r in rows)),
        total_dibayar=rupiah(sum((r.jumlah or 0) for r in rows if r.parent.docstatus == 1)),
        selected={"tahun": year, "status": status},
    )


@login_required
@_report
def iku_dokumen_view(request, urutan, tahun):
    """The documents behind a computed IKU figure (those ``request.user`` may see)."""
    from django.http import Http404

    from .iku import terhitung
    from .models import Indikator

    indikator = Indikator.objects.filter(urutan=urutan).first()
    year = _year(str(tahun))
    if indikator is None:
        raise Http404
    computed = terhitung(urutan, year, request.user)
    documents = computed.dokumen if computed else []
    headers = [_("Jenis dokumen"), _("Dokumen"), _("Judul"), _("Tahun"), _("Peran"), _("Keterangan")]
    table = [[d.doctype, d.name, d.judul, d.tahun, d.peran, d.keterangan] for d in documents]
    title = _("IKU %(n)s %(year)s: dokumen dasar perhitungan") % {"n": urutan, "year": year}
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            f"iku-{urutan}-{year}",
            title,
            headers,
            table,
            {_("Indikator"): indikator.nama, _("Terhitung"): computed.nilai if computed else None},
        )
    return _page(
        request,
        "laporan/iku_dokumen.html",
        title,
        indikator=indikator,
        computed=computed,
        headers=headers,
        rows=[{"url": d.url, "cells": [d.doctype, d.name, d.judul, d.tahun, d.peran, d.keterangan]} for d in documents],
        query=request.GET.urlencode(),
    )


@login_required
@_report
def register_orang_asing_view(request):
    """P7.2: the register of foreigners (rows of every visible Pemantauan Orang Asing)."""
    from .selectors import register_orang_asing

    year = _year(request.GET.get("tahun"))
    kebangsaan = (request.GET.get("kebangsaan") or "").strip()[:100] or None
    rows = register_orang_asing(request.user, year=year, kebangsaan=kebangsaan)
    headers = [
        _("Dokumen"), _("Tahun"), _("Nama"), _("Kebangsaan"), _("Nomor paspor"), _("Izin tinggal"), _("Tujuan"),
        _("Alamat"), _("Tinggal mulai"), _("Tinggal sampai"), _("Status dokumen"),
    ]  # fmt: skip
    keys = [
        "dokumen", "tahun", "nama", "kebangsaan", "nomor_paspor", "izin_tinggal", "tujuan", "alamat",
        "masa_tinggal_mulai", "masa_tinggal_selesai", "status",
    ]  # fmt: skip
    table = [[r[k] for k in keys] for r in rows]
    title = _("Register Orang Asing")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "register-orang-asing", title, headers, table, {_("Tahun"): year, _("Kebangsaan"): kebangsaan}
        )
    return _page(
        request,
        "laporan/tabel.html",
        title,
        headers=headers,
        rows=[{"url": r["url"], "cells": t} for r, t in zip(rows, table, strict=True)],
        filters=[
            ("tahun", _("Tahun"), year or "", "number"),
            ("kebangsaan", _("Kebangsaan"), kebangsaan or "", "text"),
        ],
        empty=_("Belum ada orang asing terdata."),
        query=request.GET.urlencode(),
    )


@login_required
@_report
def rekap_pemilu_view(request):
    """P7.1: the election recap per kecamatan/kelurahan (visible Pemantauan Pemilu)."""
    from .selectors import rekap_pemilu

    year = _year(request.GET.get("tahun"))
    rows = rekap_pemilu(request.user, year=year)
    headers = [
        _("Dokumen"), _("Pemilu"), _("Tahun"), _("Kecamatan"), _("Kelurahan"), _("Penduduk"), _("DPS"),
        _("Pemilih pemula"), _("TPS"), _("TPS diamati"), _("DPT"), _("Pengguna hak pilih"), _("Suara sah"),
        _("Suara tidak sah"), _("Partisipasi (%)"), _("Status dokumen"),
    ]  # fmt: skip
    keys = [
        "dokumen", "pemilu", "tahun", "kecamatan", "kelurahan", "penduduk", "dps", "pemula", "tps", "tps_diamati",
        "dpt", "pengguna", "sah", "tidak_sah", "partisipasi", "status",
    ]  # fmt: skip
    table = [[r[k] for k in keys] for r in rows]
    title = _("Rekap Pemilu per Kecamatan dan Kelurahan")
    if request.GET.get("format") == "xlsx":
        return xlsx_response("rekap-pemilu", title, headers, table, {_("Tahun"): year})
    return _page(
        request,
        "laporan/tabel.html",
        title,
        headers=headers,
        rows=[{"url": r["url"], "cells": t} for r, t in zip(rows, table, strict=True)],
        filters=[("tahun", _("Tahun"), year or "", "number")],
        empty=_("Belum ada data pemantauan Pemilu."),
        query=request.GET.urlencode(),
    )
