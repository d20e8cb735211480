"""Backup and restore: one archive with the database (per-model JSON Lines),
the private files and the issued PDFs, verified by SHA-256 and restored into an
empty site through a real ``manage.py restore`` subprocess: a fresh SQLite file
and, on PostgreSQL/MariaDB, a fresh database of the same engine."""

import hashlib
import io
import json
import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from apps.docflow.models import File, IssuedDocument, NamingCounter, WorkflowLog
from apps.docflow.services.backup import dumped_models
from tests.conftest import advance_skt, make_skt

ROOT = Path(__file__).resolve().parents[2]


def summary() -> dict:
    """What must survive a round trip (also run in the restored site)."""
    media = Path(settings.MEDIA_ROOT)

    def file_hash(name):
        path = media / name
        return hashlib.sha256(path.read_bytes()).hexdigest() if name and path.exists() else None

    return {
        "counts": {m._meta.label_lower: m._base_manager.count() for m in dumped_models()},
        "logs": [
            [log.doctype, log.document_id, log.action, log.from_state, log.to_state, log.user.username, log.comment]
            for log in WorkflowLog.objects.select_related("user").order_by("pk")
        ],
        "counters": sorted([c.series.key, c.period, c.current] for c in NamingCounter.objects.select_related("series")),
        "issued": sorted(
            [i.token, i.number, i.status, i.sha256, file_hash(i.file.name)] for i in IssuedDocument.objects.all()
        ),
        "files": sorted([f.file_name, f.content_hash, file_hash(f.file.name)] for f in File.objects.all()),
        "users": sorted(apps.get_model("auth", "User").objects.values_list("username", flat=True)),
    }


SUMMARY = (
    "import django, json; django.setup(); from tests.docflow.test_backup import summary; print(json.dumps(summary()))"
)


def run(args, site: Path, database_url: str):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SITE_DIR": str(site),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "TESTING": "1",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )


def server_database():
    """(url, drop) of a fresh, uniquely named database on the test's server engine."""
    db = settings.DATABASES["default"]
    name = f"bk_restore_{secrets.token_hex(4)}"
    with connection._nodb_cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f'CREATE DATABASE "{name}"')
            scheme = "postgres"
        else:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
            scheme = "mysql"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    url = f"{scheme}://{auth}@{db['HOST'] or '127.0.0.1'}{port}/{name}"

    def drop():
        with connection._nodb_cursor() as cursor:
            quoted = f'"{name}"' if connection.vendor == "postgresql" else f"`{name}`"
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")

    return url, drop


@pytest.mark.engine
def test_backup_and_restore_round_trip(tmp_path):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Cadangan Malam"), "SKT Terbit")
    issued = IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk)
    issued.file.read()  # rendered (the step's after-commit render does not run inside a test transaction)
    expected = summary()
    assert expected["issued"] and expected["files"] and expected["logs"]

    archive = tmp_path / "cadangan.tar.gz"
    call_command("backup", output=str(archive))
    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["members"][f"media/{issued.file.name}"]["sha256"] == issued.sha256
    assert set(manifest["members"]) | {"manifest.json"} == names
    assert manifest["engine"] == connection.vendor and manifest["django"] and manifest["created_at"]
    assert "0002_issued_pdf_after_commit" in manifest["migrations"]["docflow"]
    assert manifest["counts"]["docflow.workflowlog"] == len(expected["logs"])

    # a site that holds data is not overwritten
    with pytest.raises(CommandError, match="tidak kosong"):
        call_command("restore", str(archive))

    targets = [("sqlite", f"sqlite:///{tmp_path / 'sqlite-site' / 'db.sqlite3'}", None)]
    if connection.vendor in ("postgresql", "mysql"):
        targets.append((connection.vendor, *server_database()))
    for label, url, drop in targets:
        site = tmp_path / f"{label}-site"
        site.mkdir(exist_ok=True)
        try:
            restored = run(["manage.py", "restore", str(archive)], site, url)
            assert restored.returncode == 0, restored.stderr[-3000:]
            assert "cocok dengan SHA-256" in restored.stdout
            result = run(["-c", SUMMARY], site, url)
            assert result.returncode == 0, result.stderr[-3000:]
            assert json.loads(result.stdout.strip().splitlines()[-1]) == json.loads(json.dumps(expected)), label
            again = run(["manage.py", "restore", str(archive)], site, url)
            assert again.returncode != 0 and "tidak kosong" in again.stderr
        finally:
            if drop:
                drop()


def test_restore_refuses_an_altered_archive_and_names_the_member(tmp_path):
    doc = advance_skt(make_skt(nama_ormas="Paguyuban Arsip Diubah"), "SKT Terbit")
    IssuedDocument.objects.get(doctype="Permohonan SKT", document_id=doc.pk).file.read()
    archive = tmp_path / "asli.tar.gz"
    call_command("backup", output=str(archive))
    altered = tmp_path / "diubah.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(altered, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "db/docflow.workflowlog.jsonl":
                data = data.replace(b"Setujui", b"Tolak!!")
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(altered))
    assert "db/docflow.workflowlog.jsonl (SHA-256 berbeda)" in str(refused.value)
    assert WorkflowLog.objects.filter(action="Setujui", document_id=doc.pk).exists()
