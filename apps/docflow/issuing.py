"""Issuing letters: the record in the step's transaction, the PDF after commit.

``issue_document`` runs inside the workflow step's transaction and writes only
the ``IssuedDocument`` row (status *pending*, number, token, signature block).
Rendering (180-1,000 ms of WeasyPrint) and writing the file happen after the
step commits, in a background job recorded in the step's transaction
(``docflow.jobs``: a worker, retried with backoff), so the numbering lock and
SQLite's write lock are not held while rendering, a rolled-back step leaves no
file and a committed one always gets its render.

``render_issued`` is idempotent and safe to run twice at once: the PDF is
written under a new name first, then one conditional UPDATE sets file, hash and
status together (``WHERE status = 'pending'``); the loser deletes its file. A
failed render leaves the record pending with the error and is retried by
``render_pending`` (``manage.py docflow_render_pending``), lazily by a download,
or by reading ``issued.file``. A worker killed between the two leaves at most an
unreferenced file, which ``manage.py docflow_cleanup_files`` removes.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from . import printing, registry
from .models import IssuedDocument, PrintFormat, _issued_path
from .siteurl import site_url

logger = logging.getLogger(__name__)
PENDING = IssuedDocument.Status.PENDING
ISSUED = IssuedDocument.Status.ISSUED


def issue_document(doc, *, print_format: PrintFormat, user, log=None, valid_until=None, number=None) -> IssuedDocument:
    """Record the issued letter of ``doc`` (pending) in the caller's transaction
    and render its PDF once that transaction commits."""
    info = registry.for_model(doc)
    signer = printing.signer_from_log(log)
    issued = IssuedDocument.objects.create(
        doctype=info.doctype,
        document_id=doc.pk,
        document_name=doc.name,
        number=number or doc.number,
        title=print_format.name,
        holder=str(getattr(doc, info.holder_field, "") or "") if info.holder_field else "",
        print_format=print_format,
        token=IssuedDocument.new_token(),
        issued_by=user,
        issued_at=timezone.now(),
        signer=signer,
        signer_name=signer.get("nama", ""),
        signer_title=signer.get("jabatan", ""),
        valid_until=valid_until,
        status=PENDING,
        site_url=site_url(),
    )
    from . import jobs

    jobs.enqueue(jobs.render_issued, label=f"PDF {issued.number} ({doc.name})", issued_id=issued.pk)
    return issued


def issued_context(issued: IssuedDocument, doc) -> dict:
    """The print context of an issued letter: its number, its signature block
    and its issuing date. The PDF and the desk's preview both use it."""
    context = printing.build_context(doc, issued=issued, signer=issued.signer)
    context["today"] = timezone.localdate(issued.issued_at)  # a retry days later prints the issuing date
    return context


def build_pdf(issued: IssuedDocument) -> bytes:
    """The PDF of ``issued``, as of its issuing date and signature block."""
    info = registry.get(issued.doctype)
    doc = info.model._default_manager.get(pk=issued.document_id)
    context = issued_context(issued, doc)
    print_format = issued.print_format
    return printing.render_pdf(
        print_format,
        context,
        {
            "Title": f"{print_format.name} {issued.number}".strip(),
            "Author": settings.DOCFLOW_ORGANISATION_NAME,
            "Subject": issued.number,
            "Keywords": f"{info.doctype}; {doc.name}",
            "VerificationToken": issued.token,
            "VerificationURL": issued.verification_url,
        },
    )


def _take_stored(issued: IssuedDocument, row: dict) -> None:
    issued.render_attempts = row.get("render_attempts", issued.render_attempts)
    issued.file = row["file"]
    issued.sha256 = row["sha256"]
    issued.status = row["status"]
    issued.render_error = row["render_error"]


def _row(pk) -> dict | None:
    return (
        IssuedDocument.objects.filter(pk=pk)
        .values("file", "sha256", "status", "render_error", "render_attempts")
        .first()
    )


def render_issued(issued: IssuedDocument) -> bool:
    """Render and store the PDF of a pending issued document. True when the
    document has its PDF (now or already); False when rendering failed (the
    error is recorded on the record, which stays pending)."""
    if issued.status == ISSUED and issued.file:
        return True
    row = _row(issued.pk)
    if row is None:
        return False
    if row["status"] == ISSUED:
        _take_stored(issued, row)
        return True
    try:
        pdf = build_pdf(issued)
    except Exception as exc:  # WeasyPrint, a template, a deleted document: keep pending, record why
        logger.exception("docflow: rendering issued document %s failed", issued.pk)
        error = f"{type(exc).__name__}: {exc}"[:2000]
        IssuedDocument.objects.filter(pk=issued.pk, status=PENDING).update(
            render_error=error, render_attempts=F("render_attempts") + 1
        )
        issued.render_error = error
        issued.render_attempts += 1
        return False
    storage = IssuedDocument._meta.get_field("file").storage
    name = storage.save(_issued_path(issued, ""), ContentFile(pdf))
    digest = hashlib.sha256(pdf).hexdigest()
    try:
        won = IssuedDocument.objects.filter(pk=issued.pk, status=PENDING).update(
            file=name, sha256=digest, status=ISSUED, render_error="", render_attempts=F("render_attempts") + 1
        )
    except Exception:
        storage.delete(name)
        raise
    if not won:  # another worker stored it first: keep theirs
        storage.delete(name)
        row = _row(issued.pk)
        if row is None:
            return False
        _take_stored(issued, row)
        return row["status"] == ISSUED
    _take_stored(issued, {"file": name, "sha256": digest, "status": ISSUED, "render_error": ""})
    return True


def render_issued_pk(pk) -> bool:
    issued = IssuedDocument.objects.select_related("print_format", "print_format__letter_head").filter(pk=pk).first()
    return issued is not None and render_issued(issued)


def render_pending(*, limit: int | None = None) -> tuple[int, int]:
    """Render every pending issued document (oldest first): (rendered, failed)."""
    pks = list(IssuedDocument.objects.filter(status=PENDING).order_by("issued_at", "pk").values_list("pk", flat=True))
    if limit is not None:
        pks = pks[:limit]
    rendered = failed = 0
    for pk in pks:
        if render_issued_pk(pk):
            rendered += 1
        else:
            failed += 1
    return rendered, failed


LAZY_ATTEMPTS = 3


def ensure_rendered(issued: IssuedDocument) -> bool:
    """For downloads: True when the PDF can be served now. A pending letter is
    rendered here; after a few failed attempts only the retry command tries
    again (a public page must not re-run a failing render on every hit)."""
    if issued.status == ISSUED and issued.file:
        return True
    if issued.render_attempts >= LAZY_ATTEMPTS:
        row = _row(issued.pk)
        if row is not None:
            _take_stored(issued, row)
        return issued.status == ISSUED and bool(issued.file)
    return render_issued(issued)


# --- files on disk that no record references -------------------------------------


def referenced_files() -> set[str]:
    """Names of every file that a FileField of any model (history included) points at."""

    from django.apps import apps
    from django.db import models

    names: set[str] = set()
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                qs = model._default_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
                names.update(qs.iterator(chunk_size=2000))
    return names


def orphan_files(*, min_age_seconds: int = 3600) -> list[str]:
    """Files under MEDIA_ROOT that no record references, older than
    ``min_age_seconds`` (younger ones may be a render or upload in flight)."""
    import os
    import time
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    referenced = referenced_files()
    cutoff = time.time() - min_age_seconds
    orphans = []
    for dirpath, _dirs, files in os.walk(root):
        for filename in files:
            path = Path(dirpath) / filename
            name = path.relative_to(root).as_posix()
            if name not in referenced and path.stat().st_mtime <= cutoff:
                orphans.append(name)
    return sorted(orphans)
