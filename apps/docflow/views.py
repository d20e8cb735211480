"""Permission-checked downloads of private files and issued PDFs. (The public
verification page behind every QR code is the portal's.)"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .issuing import ensure_rendered
from .models import File, IssuedDocument
from .selectors import can_see_document


def _serve(fieldfile, filename, content_type):
    response = FileResponse(fieldfile.open("rb"), content_type=content_type, as_attachment=False, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def file_download(request, pk: int):
    record = get_object_or_404(File, pk=pk)
    allowed = record.uploaded_by_id == request.user.pk or (
        record.attached_to_doctype
        and can_see_document(request.user, record.attached_to_doctype, record.attached_to_name)
    )
    if not allowed:
        raise Http404
    return _serve(record.file, record.file_name, record.content_type)


@login_required
def issued_download(request, pk: int):
    issued = get_object_or_404(IssuedDocument, pk=pk)
    if not can_see_document(request.user, issued.doctype, issued.document_name):
        raise Http404
    if not ensure_rendered(issued):
        return issued_pending_response(request, issued)
    return _serve(issued.file, f"{issued.document_name}.pdf", "application/pdf")


def issued_pending_response(request, issued):
    """202 while an issued letter's PDF is still being rendered (or its render
    failed and waits for the retry): "sedang dibuat", reloading itself."""
    response = render(request, "docflow/issued_pending.html", {"issued": issued}, status=202)
    response["Cache-Control"] = "no-store"
    response["Retry-After"] = "3"
    return response
