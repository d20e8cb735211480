"""Permission-checked downloads of private files and issued PDFs. (The public
verification page behind every QR code is the portal's.)"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

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
    return _serve(issued.file, f"{issued.document_name}.pdf", "application/pdf")
