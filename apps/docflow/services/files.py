"""Uploaded files: checked by their content (not their name), size-limited,
stored privately and hashed."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..exceptions import WorkflowPermissionError
from ..models import File

SIGNATURES = [
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
]


def sniff(head: bytes) -> str | None:
    for magic, content_type, _ext in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def file_create(*, uploaded, user, doctype: str = "", name: str = "", skip_content_check: bool = False) -> File:
    limit = settings.DOCFLOW_MAX_UPLOAD_BYTES
    size = uploaded.size
    if size == 0:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": uploaded.name})
    if size > limit:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s MB); batasnya %(limit)s MB.")
            % {"name": uploaded.name, "size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    content_type = sniff(head)
    if content_type is None and not skip_content_check:
        raise ValidationError(
            _("Berkas %(name)s bukan PDF, JPEG atau PNG (diperiksa dari isinya, bukan dari namanya).")
            % {"name": uploaded.name}
        )
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    safe_name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in uploaded.name)[-120:] or "berkas"
    record = File(
        file_name=uploaded.name[-255:],
        content_type=content_type or "application/octet-stream",
        file_size=size,
        content_hash=digest.hexdigest(),
        attached_to_doctype=doctype,
        attached_to_name=name,
        uploaded_by=user,
    )
    record.file.save(safe_name, uploaded, save=False)
    record.save()
    return record


def file_attach_check(*, doc, user) -> None:
    """Attaching a file to a document outside a workflow action needs the right
    to edit it: the state's editing role (``can_edit``) or, once submitted, a
    doctype with fields that stay editable (allow_on_submit) and the right to
    change it. (An action that asks for a file attaches it in apply_action.)"""
    from .. import registry
    from .workflow import can_edit

    if can_edit(doc, user):
        return
    meta = doc._meta
    if (
        doc.docstatus == 1
        and registry.for_model(doc).allow_on_submit
        and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
    ):
        return
    raise WorkflowPermissionError(
        _("Dokumen %(name)s berstatus %(state)s; Anda tidak berwenang melampirkan berkas padanya.")
        % {"name": doc.name, "state": doc.workflow_state}
    )
