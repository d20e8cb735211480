"""Issued letters are recorded with the step and rendered after it commits:
a rolled-back step leaves no file, a failed render stays pending (downloads say
"sedang dibuat") until the retry, and files no record references are found."""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

from apps.docflow.issuing import orphan_files, render_issued, render_pending
from apps.docflow.models import IssuedDocument, PrintFormat
from apps.docflow.services.workflow import apply_action
from tests.conftest import advance_skt, make_skt, pdf_text, user

DOCTYPE = "Permohonan SKT"
FORMAT = "Surat Keterangan Terdaftar"
PDF_URL = "/api/method/frappe.utils.print_format.download_pdf"


class Rollback(Exception):
    pass


def issued_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "issued"
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def test_rolled_back_step_leaves_no_file_on_disk():
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Batal Terbit"), "Menunggu Persetujuan")
    before = issued_files()
    with pytest.raises(Rollback), transaction.atomic():
        result = apply_action(doc=doc, action="Setujui", user=user("kaban"))
        assert result.issued is not None
        raise Rollback  # a later part of the same transaction fails
    assert issued_files() == before
    assert not IssuedDocument.objects.filter(doctype=DOCTYPE, document_id=doc.pk).exists()
    doc.refresh_from_db()
    assert doc.workflow_state == "Menunggu Persetujuan" and doc.number == ""


def test_step_commits_first_and_renders_after_commit(django_capture_on_commit_callbacks):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Setelah Commit"), "Menunggu Persetujuan")
    before = issued_files()
    with django_capture_on_commit_callbacks() as callbacks:
        result = apply_action(doc=doc, action="Setujui", user=user("kaban"))
    # committed without a PDF: no file yet, the record pending
    issued = IssuedDocument.objects.get(pk=result.issued.pk)
    assert issued.status == IssuedDocument.Status.PENDING and not issued.file and issued.number == result.doc.number
    assert issued_files() == before
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.ISSUED
    assert len(issued_files() - before) == 1
    data = issued.file.read()
    assert hashlib.sha256(data).hexdigest() == issued.sha256
    assert "Paguyuban Setelah Commit" in pdf_text(data)
    # a second render (a lazy download racing the after-commit one) changes nothing
    stale = IssuedDocument.objects.get(pk=issued.pk)
    stale.status, stale.file, stale.sha256 = IssuedDocument.Status.PENDING, "", ""
    assert render_issued(stale)
    assert (stale.file.name, stale.sha256) == (issued.file.name, issued.sha256)
    assert len(issued_files() - before) == 1


def test_pending_letter_downloads_say_sedang_dibuat(client, django_capture_on_commit_callbacks):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Menunggu PDF"), "Menunggu Persetujuan")
    pf = PrintFormat.objects.get(name=FORMAT)
    good_html = pf.html
    PrintFormat.objects.filter(pk=pf.pk).update(html="{{ doc.field_yang_tidak_ada }}")
    with django_capture_on_commit_callbacks(execute=True):
        doc = apply_action(doc=doc, action="Setujui", user=user("kaban")).doc
    issued = IssuedDocument.objects.get(doctype=DOCTYPE, document_id=doc.pk)
    assert issued.status == IssuedDocument.Status.PENDING and issued.render_error

    client.force_login(user("pelayanan_kbk"))
    response = client.get(f"/terbit/{issued.pk}/")
    assert response.status_code == 202
    assert "sedang dibuat" in response.content.decode()
    response = client.get(PDF_URL, {"doctype": DOCTYPE, "name": doc.name, "format": FORMAT})
    assert response.status_code == 202
    assert response.json()["message"] == "Dokumen sedang dibuat." and response.json()["status"] == "pending"
    verification = client.get(f"/verifikasi/{issued.token}").content.decode()
    assert issued.number in verification and "sedang dibuat" in verification
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.PENDING and not issued.file
    # downloads tried again, up to a limit; then only the retry command does
    assert issued.render_attempts == 3
    assert client.get(f"/terbit/{issued.pk}/").status_code == 202
    assert IssuedDocument.objects.get(pk=issued.pk).render_attempts == 3

    # the template is fixed: the retry renders the letter
    PrintFormat.objects.filter(pk=pf.pk).update(html=good_html)
    assert render_pending() == (1, 0)
    response = client.get(f"/terbit/{issued.pk}/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    issued.refresh_from_db()
    assert issued.status == IssuedDocument.Status.ISSUED and hashlib.sha256(data).hexdigest() == issued.sha256
    assert doc.number in pdf_text(data)


def test_cleanup_finds_and_removes_a_planted_orphan(capsys):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Berkas Yatim"), "SKT Terbit")
    issued = IssuedDocument.objects.get(doctype=DOCTYPE, document_id=doc.pk)
    kept = Path(issued.file.path)  # renders it: the file is referenced
    root = Path(settings.MEDIA_ROOT)
    orphan = root / "issued" / "2020" / "01" / "yatim.pdf"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"%PDF-1.4 orphan")
    fresh = root / "issued" / "2020" / "01" / "baru-ditulis.pdf"
    fresh.write_bytes(b"%PDF-1.4 in flight")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    os.utime(kept, (old, old))

    names = orphan_files()
    assert "issued/2020/01/yatim.pdf" in names
    assert "issued/2020/01/baru-ditulis.pdf" not in names  # younger than an hour: may be in flight
    assert kept.relative_to(root).as_posix() not in names

    call_command("docflow_cleanup_files", "--dry-run")
    out = capsys.readouterr().out
    assert "yatim: issued/2020/01/yatim.pdf" in out
    assert orphan.exists()

    call_command("docflow_cleanup_files")
    out = capsys.readouterr().out
    assert "dihapus: issued/2020/01/yatim.pdf" in out
    assert not orphan.exists() and kept.exists() and fresh.exists()
    fresh.unlink()


def test_cleanup_lists_pending_renders(capsys, django_capture_on_commit_callbacks):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Daftar Tunggu"), "Menunggu Persetujuan")
    with django_capture_on_commit_callbacks():  # the after-commit render never ran (worker killed)
        doc = apply_action(doc=doc, action="Setujui", user=user("kaban")).doc
    call_command("docflow_cleanup_files", "--dry-run")
    out = capsys.readouterr().out
    assert f"sedang dibuat: #{IssuedDocument.objects.get(doctype=DOCTYPE, document_id=doc.pk).pk}" in out
    assert doc.number in out
    call_command("docflow_render_pending")
    assert "PDF dibuat: 1, gagal: 0" in capsys.readouterr().out
    assert not IssuedDocument.objects.filter(status=IssuedDocument.Status.PENDING).exists()
