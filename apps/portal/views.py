"""Public pages: services, applying, tracking, verifying. Every input is
validated with a message in Bahasa Indonesia; submit, track and verify are
rate-limited per IP; files are served only to the holder of the code."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from apps.docflow.exceptions import DocflowError
from apps.docflow.issuing import ensure_rendered
from apps.docflow.models import IssuedDocument
from apps.docflow.views import issued_pending_response

from .forms import LacakForm, PerbaikanForm, VerifikasiBerkasForm, application_form
from .layanan import LAYANAN, public_issued
from .models import Pengajuan
from .services import issued_for, pengajuan_ajukan_ulang, pengajuan_buat, pengajuan_document, public_steps, service_days


def _rate(name):
    return lambda group, request: getattr(settings, name)


def _limited(request):
    return render(
        request,
        "portal/pesan.html",
        {
            "judul": _("Terlalu banyak permintaan"),
            "pesan": _("Anda mengirim terlalu banyak permintaan. Silakan coba lagi beberapa saat lagi."),
        },
        status=429,
    )


def _not_found(request, judul, pesan):
    return render(request, "portal/pesan.html", {"judul": judul, "pesan": pesan}, status=404)


def layanan_view(request):
    services = [{"spec": spec, "hari": service_days(spec)} for spec in LAYANAN.values()]
    return render(request, "portal/layanan.html", {"services": services})


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("PORTAL_RATE_SUBMIT"), method="POST", block=False)
def ajukan_view(request, slug):
    spec = LAYANAN.get(slug)
    if spec is None:
        return _not_found(request, _("Layanan tidak ditemukan"), _("Layanan yang Anda cari tidak ada."))
    form_class = application_form(spec)
    if request.method == "POST":
        if getattr(request, "limited", False):
            return _limited(request)
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in spec.fields}
            files = {b.key: form.cleaned_data.get(f"berkas_{b.key}") for b in spec.attachments}
            email = form.cleaned_data.get("email_pemohon") or data.get("email") or ""
            try:
                pengajuan = pengajuan_buat(layanan=slug, data=data, files=files, email=email)
            except ValidationError as exc:
                form.add_error(None, exc)
            except DocflowError as exc:  # a rule of the process, e.g. a party without a seat
                form.add_error(None, exc.message)
            else:
                return redirect(f"/lacak/{pengajuan.kode}/?baru=1")
    else:
        form = form_class()
    attachment_fields = [form[f"berkas_{b.key}"] for b in spec.attachments]
    data_fields = [form[name] for name in spec.fields]
    return render(
        request,
        "portal/ajukan.html",
        {
            "spec": spec,
            "form": form,
            "data_fields": data_fields,
            "attachment_fields": attachment_fields,
            "hari": service_days(spec),
        },
    )


@ratelimit(key="ip", rate=_rate("PORTAL_RATE_TRACK"), method="GET", block=False)
def lacak_view(request):
    if getattr(request, "limited", False):
        return _limited(request)
    form = LacakForm(request.GET or None)
    if form.is_valid():
        return redirect(f"/lacak/{form.cleaned_data['kode'].strip().upper()}/")
    return render(request, "portal/lacak_cari.html", {"form": form})


def _pengajuan(kode):
    return Pengajuan.objects.filter(kode=str(kode).strip().upper()).first()


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("PORTAL_RATE_TRACK"), method=ratelimit.ALL, block=False)
def lacak_detail_view(request, kode):
    if getattr(request, "limited", False):
        return _limited(request)
    pengajuan = _pengajuan(kode)
    if pengajuan is None:
        return _not_found(
            request,
            _("Kode pelacakan tidak dikenal"),
            _("Periksa kembali kode pelacakan Anda. Kode terdiri dari 12 huruf dan angka, mis. ABCD-EFGH-JKLM."),
        )
    spec = LAYANAN[pengajuan.layanan]
    doc = pengajuan_document(pengajuan)
    returned = doc.workflow_state == spec.returned_state
    form = None
    if returned:
        form = PerbaikanForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            files = {k: form.cleaned_data.get(k) for k in ("berkas_1", "berkas_2", "berkas_3")}
            try:
                pengajuan_ajukan_ulang(pengajuan=pengajuan, files=files, catatan=form.cleaned_data.get("catatan", ""))
            except ValidationError as exc:
                form.add_error(None, exc)
            except DocflowError as exc:  # e.g. the officers moved it on meanwhile
                form.add_error(None, exc.message)
            else:
                return redirect(f"/lacak/{pengajuan.kode}/?dikirim=1")
    elif request.method == "POST":
        return redirect(f"/lacak/{pengajuan.kode}/")
    shown = public_issued(spec)
    issued = [i for i in issued_for(pengajuan) if i.revoked_at is None] if shown else []
    context = {
        "nomor": doc.number if shown else "",
        "pengajuan": pengajuan,
        "spec": spec,
        "doc": doc,
        "steps": public_steps(pengajuan),
        "returned": returned,
        "reason": next((s["reason"] for s in reversed(public_steps(pengajuan)) if s["reason"]), ""),
        "form": form,
        "issued": issued,
        "baru": request.GET.get("baru") == "1",
        "dikirim": request.GET.get("dikirim") == "1",
    }
    return render(request, "portal/lacak.html", context)


@ratelimit(key="ip", rate=_rate("PORTAL_RATE_TRACK"), method="GET", block=False)
def unduh_view(request, kode, pk):
    if getattr(request, "limited", False):
        return _limited(request)
    pengajuan = _pengajuan(kode)
    if pengajuan is None or not public_issued(LAYANAN[pengajuan.layanan]):
        raise Http404
    issued = IssuedDocument.objects.filter(
        pk=pk, doctype=pengajuan.doctype, document_id=pengajuan.document_id, revoked_at__isnull=True
    ).first()
    if issued is None:
        raise Http404
    if not ensure_rendered(issued):
        return issued_pending_response(request, issued)
    response = FileResponse(
        issued.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{issued.document_name}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# A file can only be the issued PDF if it has the same size; the margin covers
# the multipart envelope (boundaries, headers, the CSRF field).
VERIFY_UPLOAD_MARGIN = 64 * 1024


class UploadTooLarge(Exception):
    pass


class _CappedUpload(FileUploadHandler):
    """Stops reading an upload body past ``limit`` bytes (the body may come without a length)."""

    def __init__(self, limit, request=None):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooLarge
        return raw_data

    def file_complete(self, file_size):
        return None


def _too_large(request, issued, limit):
    form = VerifikasiBerkasForm()
    form.errors["berkas"] = form.error_class(
        [
            _(
                "Berkas terlalu besar untuk diperiksa: dokumen asli berukuran %(asli)s, "
                "berkas yang diunggah tidak boleh lebih dari %(batas)s."
            )
            % {"asli": filesizeformat(issued.file.size), "batas": filesizeformat(limit)}
        ]
    )
    return render(request, "portal/verifikasi.html", {"issued": issued, "form": form}, status=413)


@csrf_exempt  # the CSRF check reads the body; it runs below, after the size check
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_rate("PORTAL_RATE_VERIFY"), method=ratelimit.ALL, block=False)
def verifikasi_view(request, token):
    if getattr(request, "limited", False):
        return _limited(request)
    issued = IssuedDocument.objects.filter(token=token).first()
    if issued is None:
        return render(request, "portal/verifikasi.html", {"issued": None}, status=404)
    rendered = ensure_rendered(issued)  # the hash is shown once the PDF exists
    if request.method == "POST":
        if not rendered:
            return issued_pending_response(request, issued)
        limit = issued.file.size + VERIFY_UPLOAD_MARGIN
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return _too_large(request, issued, limit)
        request.upload_handlers = [_CappedUpload(limit, request), *request.upload_handlers]
        try:
            return _verifikasi_compare(request, issued)
        except UploadTooLarge:
            return _too_large(request, issued, limit)
    form = VerifikasiBerkasForm()
    return render(request, "portal/verifikasi.html", {"issued": issued, "form": form, "comparison": None})


@csrf_protect
def _verifikasi_compare(request, issued):
    form = VerifikasiBerkasForm(request.POST, request.FILES)
    comparison = None
    if form.is_valid():
        uploaded = form.cleaned_data["berkas"]
        digest = hashlib.sha256()
        for chunk in uploaded.chunks():
            digest.update(chunk)
        comparison = {"sama": digest.hexdigest() == issued.sha256, "sha256": digest.hexdigest()}
    return render(request, "portal/verifikasi.html", {"issued": issued, "form": form, "comparison": comparison})
