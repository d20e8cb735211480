"""Backup and restore of a whole site: one tar.gz with the database as
per-model JSON Lines (Django's serialisers, natural keys for content types,
permissions, groups and users, so it loads into any of the three engines), the
private files under MEDIA_ROOT (attachments and issued PDFs) and
``manifest.json`` with the SHA-256 of every member and the versions.

Tables are streamed (``iterator()``) into temporary files and files are
copied in chunks: memory does not grow with the site. Restore rebuilds an
empty site only: it verifies every sum first, refuses a database that holds
data, migrates, loads in one transaction (``loaddata``, which also resets
PostgreSQL's sequences), restores the files and checks the counts.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "bakesbangpol-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# recreated by migrate; the dump refers to them by natural key
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    pass


def dumped_models() -> list:
    from ..dynamic import runtime

    runtime.ensure_current()  # the DocTypes defined as data, with their child and history tables
    models = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED:
            continue
        models.append(model)
    return sorted(models, key=lambda m: m._meta.label_lower)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _migrations_state(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


class _HashingWriter:
    """A text stream target that hashes and counts what goes to the file."""

    def __init__(self, fh):
        self.fh, self.digest, self.size = fh, hashlib.sha256(), 0

    def write(self, text):
        data = text.encode("utf-8") if isinstance(text, str) else text
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(text)


def _dump_model(model, path: Path, using) -> tuple[int, str, int]:
    qs = model._base_manager.using(using).order_by("pk")
    count = qs.count()
    with open(path, "wb") as fh:
        writer = _HashingWriter(fh)
        serializers.serialize(
            "jsonl",
            qs.iterator(chunk_size=2000),
            use_natural_foreign_keys=True,
            use_natural_primary_keys=False,
            stream=writer,
        )
    return count, writer.digest.hexdigest(), writer.size


def _media_files(root: Path):
    if not root.is_dir():
        return
    for dirpath, dirnames, files in os.walk(root):
        dirnames.sort()
        for filename in sorted(files):
            path = Path(dirpath) / filename
            yield path, path.relative_to(root).as_posix()


def create_backup(output: Path, *, using=DEFAULT_DB_ALIAS, log=lambda line: None) -> dict:
    """Write the site to ``output`` (tar.gz); returns the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    members: dict[str, dict] = {}
    counts: dict[str, int] = {}
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="backup-") as tmp, tarfile.open(partial, "w:gz") as tar:
        # one snapshot of every table
        outermost = not connection.in_atomic_block
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            elif outermost and connection.vendor == "mysql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                    cursor.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
            migrations_state = _migrations_state(using)
            for model in dumped_models():
                label = model._meta.label_lower
                path = Path(tmp) / f"{label}.jsonl"
                count, digest, size = _dump_model(model, path, using)
                name = f"db/{label}.jsonl"
                tar.add(path, arcname=name)
                path.unlink()
                members[name] = {"sha256": digest, "size": size}
                counts[label] = count
                log(f"{label}: {count}")
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        for path, rel in _media_files(media_root):
            name = f"media/{rel}"
            members[name] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
            tar.add(path, arcname=name)
            files += 1
        log(f"berkas: {files}")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "engine": connection.vendor,
            "migrations": migrations_state,
            "counts": counts,
            "members": members,
        }
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.datetime.now().timestamp())
        tar.addfile(info, io.BytesIO(data))
    partial.replace(output)
    return manifest


# --- restore ------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError(_("Arsip tidak memuat manifest.json; ini bukan arsip cadangan situs.")) from None
    manifest = json.load(tar.extractfile(member))
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("Format arsip tidak dikenali."))
    return manifest


def verify_archive(path: Path) -> dict:
    """Check every member against the manifest; the manifest, or BackupError
    listing what is missing, extra or altered."""
    with tarfile.open(path, "r:gz") as tar:
        manifest = read_manifest(tar)
        expected = manifest["members"]
        seen, bad = set(), []
        for member in tar:
            if member.name == MANIFEST:
                continue
            if not member.isfile() or member.name not in expected or not _safe_name(member.name):
                bad.append(_("%(name)s (tidak ada di manifest)") % {"name": member.name})
                continue
            digest = hashlib.sha256()
            fh = tar.extractfile(member)
            for chunk in iter(lambda fh=fh: fh.read(CHUNK), b""):
                digest.update(chunk)
            seen.add(member.name)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                bad.append(_("%(name)s (SHA-256 berbeda)") % {"name": member.name})
        bad += [_("%(name)s (hilang dari arsip)") % {"name": name} for name in sorted(set(expected) - seen)]
    if bad:
        raise BackupError(
            _("Arsip rusak atau telah diubah; tidak dipulihkan. Anggota bermasalah: %(list)s")
            % {"list": "; ".join(bad)}
        )
    return manifest


def _safe_name(name: str) -> bool:
    parts = Path(name).parts
    return (
        bool(parts)
        and parts[0] in ("db", "media")
        and ".." not in parts
        and not name.startswith("/")
        and not (parts[0] == "db" and len(parts) != 2)
    )


def _tables(using) -> set[str]:
    with connections[using].cursor() as cursor:
        return set(connections[using].introspection.table_names(cursor))


def non_empty_tables(using=DEFAULT_DB_ALIAS) -> list[str]:
    existing = _tables(using)
    full = []
    for model in dumped_models():
        if model._meta.db_table in existing and model._base_manager.using(using).exists():
            full.append(model._meta.label_lower)
    return full


def restore_backup(path: Path, *, using=DEFAULT_DB_ALIAS, log=lambda line: None) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("Arsip %(path)s tidak ada.") % {"path": path})
    manifest = verify_archive(path)
    log(_("Semua %(n)s anggota arsip cocok dengan SHA-256 di manifest.") % {"n": len(manifest["members"])})

    known = {(app, name) for app, name in _loader_migrations()}
    unknown = sorted(
        f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _("Arsip dibuat oleh versi aplikasi yang lebih baru (migrasi tidak dikenal: %(list)s).")
            % {"list": ", ".join(unknown[:10])}
        )
    full = non_empty_tables(using)
    if full:
        raise BackupError(
            _(
                "Basis data tujuan tidak kosong (%(list)s); pemulihan hanya ke situs kosong. Buat basis data baru lalu ulangi."
            )
            % {"list": ", ".join(full[:10])}
        )
    media_root = Path(settings.MEDIA_ROOT)
    clashes = [
        name
        for name in manifest["members"]
        if name.startswith("media/") and (media_root / name[len("media/") :]).exists()
    ]
    if clashes:
        raise BackupError(
            _("Folder berkas tujuan sudah berisi berkas yang sama namanya (%(list)s); pemulihan hanya ke situs kosong.")
            % {"list": ", ".join(clashes[:10])}
        )

    call_command("migrate", database=using, interactive=False, verbosity=0)
    log(_("Migrasi selesai."))

    with tempfile.TemporaryDirectory(prefix="restore-") as tmp, tarfile.open(path, "r:gz") as tar:
        fixtures = []
        for member in tar:
            if member.name.startswith("db/") and member.isfile() and member.name in manifest["members"]:
                target = Path(tmp) / Path(member.name).name.replace(".", "__", 1)
                with tar.extractfile(member) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                if member.size:
                    fixtures.append(str(target))
            elif member.name.startswith("media/") and member.isfile() and member.name in manifest["members"]:
                target = media_root / member.name[len("media/") :]
                target.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(target, "xb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        # DocTypes defined as data first: their tables, content types and permissions must
        # exist before their rows and the groups' permissions are loaded
        definitions = [f for f in fixtures if Path(f).name.startswith(DEFINITION_FIXTURES)]
        if definitions:
            call_command("loaddata", *definitions, database=using, verbosity=0)
            _build_data_doctypes(using)
        rest = [f for f in fixtures if f not in definitions]
        if rest:
            call_command("loaddata", *rest, database=using, verbosity=0)
    _reset_sequences(using)
    log(_("Data dan berkas dimuat."))

    wrong = []
    for label, count in manifest["counts"].items():
        model = apps.get_model(label)
        actual = model._base_manager.using(using).count()
        if actual != count:
            wrong.append(f"{label}: {actual} ≠ {count}")
    for name, info in manifest["members"].items():
        if name.startswith("media/") and _sha256_file(media_root / name[len("media/") :]) != info["sha256"]:
            wrong.append(name)
    if wrong:
        raise BackupError(_("Hasil pemulihan tidak cocok dengan manifest: %(list)s") % {"list": "; ".join(wrong)})
    return manifest


DEFINITION_FIXTURES = ("docflow__doctypedef.", "docflow__docfielddef.")


def _build_data_doctypes(using) -> None:
    """Build the models of the restored definitions and their tables, content
    types and permissions (a fresh site has none of them after migrate)."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    from ..dynamic import runtime, schema

    runtime.reload()
    config = apps.get_app_config(runtime.APP_LABEL)
    schema.sync_tables(list(config.get_models()))
    create_contenttypes(config, using=using, verbosity=0)
    create_permissions(config, using=using, verbosity=0)


def _loader_migrations():
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True).disk_migrations.keys()


def _reset_sequences(using):
    """loaddata resets the sequences of what it loaded; this covers every
    table (``sqlsequencereset``) on engines with sequences."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), dumped_models())
    if statements:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
