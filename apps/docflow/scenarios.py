"""Process scenarios: the demo documents of a process, as data.

An app ships ``<app>/demo/<name>.json``::

    {"doctype": "Pembinaan Ideologi",
     "documents": [
       {"by": "staf_iwk", "unit": "BID_IWK",
        "values": {"nama_kegiatan": "...", "tanggal": "{today+14}", "narasumber": [{...}]},
        "steps": [
          {"action": "Ajukan", "by": "staf_iwk"},
          {"edit": {"hasil": "..."}, "by": "staf_iwk"},
          {"action": "Setujui", "by": "kaban", "comment": "...", "attach": 1, "state": "Disetujui",
           "issued": ["nomor", "Drs. Hadi Santoso"]},
          {"subtask": {"unit": "BID_KBK", "instruction": "...", "answer_by": "staf_kbk", "answer": "..."},
           "by": "staf_iwk"},
          {"print": "Laporan Hasil Kegiatan", "by": "staf_iwk", "expect": ["..."]}]}]}

``make run`` (``setup_site --demo``) replays every document through the real
services, so each stops in its own state and every demo account finds work
waiting; the test suite replays the same files and, before every action,
checks the refusals (wrong role, wrong unit, missing reason or attachment,
stale state) through a ``check`` callback. Values may say ``{today}``,
``{today+N}``, ``{today-N}`` (a date), ``{today+N:tanggal}`` (the date as a
letter prints it, for expectations) and ``{year}`` (inside any text).

The engine stays generic: users are named by username, units by code.

More, for processes that build on other documents or on master data:

- ``"records": [{"model": "pembinaan.Parpol", "get": {"singkatan": "PKB"},
  "defaults": {...}}]`` (top level): master rows the scenario needs, made
  with get_or_create before its documents (existing rows are kept);
- a Link value ``"field=value"`` (``"singkatan=PKB"``, ``"parpol__singkatan=PKB"``)
  finds its target by another field than ``name`` or the primary key;
- a document with ``"doctype"`` other than the file's is a prerequisite (a
  budgeted application before its disbursement): replayed the same way but
  not checked; ``"key": "pkb"`` names any document so later values say
  ``"@pkb"`` for it;
- ``"get_or_create": 1`` on a document reuses the document of that doctype
  matching its (Link) values when one exists (one a listener opened, such as
  the monitoring of a transferred disbursement) instead of creating it;
- ``{year-1}`` / ``{year+1}`` inside text, like ``{year}``.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from . import registry
from .scope import backend

TODAY = re.compile(r"^\{today([+-]\d+)?(:tanggal)?\}$")
YEAR = re.compile(r"\{year([+-]\d+)?\}")
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def scenario_files() -> list[Path]:
    paths = []
    for config in django_apps.get_app_configs():
        folder = Path(config.path) / "demo"
        if folder.is_dir():
            paths += sorted(folder.glob("*.json"))
    return paths


def scenarios() -> list[dict]:
    out = []
    for path in scenario_files():
        spec = json.loads(path.read_text())
        spec["_path"] = str(path)
        out.append(spec)
    return out


def resolve(value, today: datetime.date | None = None):
    """``{today+N}`` as a date, ``{year}`` inside text, recursively."""
    today = today or timezone.localdate()
    if isinstance(value, str):
        match = TODAY.match(value)
        if match:
            day = today + datetime.timedelta(days=int(match.group(1) or 0))
            if match.group(2):
                from .printing import tanggal

                return tanggal(day)
            return day
        return YEAR.sub(lambda m: str(today.year + int(m.group(1) or 0)), value)
    if isinstance(value, list):
        return [resolve(v, today) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, today) for k, v in value.items()}
    return value


def account(username: str):
    return get_user_model().objects.get(username=username)


def evidence(user, name: str = "bukti.pdf"):
    from .services.files import file_create

    return file_create(uploaded=SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf"), user=user)


def _values(info, raw: dict, refs: dict | None = None) -> dict:
    """Link fields may name their target by its name (document number,
    username, unit code), by ``"field=value"``, or by ``"@key"`` (a document
    of this scenario) instead of its primary key."""
    values = resolve(raw)
    model = info.model
    for key, value in list(values.items()):
        f = next((x for x in model._meta.fields if x.name == key), None)  # not a child table or custom field
        if f is not None and (f.many_to_one or f.one_to_one) and isinstance(value, str):
            target = f.remote_field.model
            if value.startswith("@") and refs is not None and value[1:] in refs:
                ref = refs[value[1:]]
                values[key] = type(ref)._default_manager.get(pk=ref.pk)
            elif target is get_user_model():
                values[key] = account(value)
            elif target is model._meta.get_field("unit").remote_field.model:
                values[key] = target.objects.get(pk=backend().unit_by_code(value))
            elif re.match(r"^[a-z_]+=", value):
                lookup, _, wanted = value.partition("=")
                values[key] = target._default_manager.get(**{lookup: wanted})
            else:
                by = "name" if any(x.name == "name" for x in target._meta.fields) else "pk"
                values[key] = target._default_manager.get(**{by: value})
    return values


def prepare(spec: dict) -> None:
    """The master rows a scenario needs (``records``), kept when they exist."""
    for record in spec.get("records", []):
        model = django_apps.get_model(record["model"])
        model._default_manager.get_or_create(**resolve(record["get"]), defaults=resolve(record.get("defaults", {})))


@dataclass
class Replay:
    doc: object = None
    issued: list = field(default_factory=list)
    steps: int = 0


def replay(spec: dict, document: dict, *, check=None, refs: dict | None = None) -> Replay:
    """Create one scenario document and apply its steps, each in its own
    transaction (as staff would). ``check(doc, step, transition_user)`` runs
    before every action step (the tests' refusals); never for a prerequisite
    document of another doctype. ``refs`` collects the documents by ``key``
    (one dict per scenario file)."""
    from .printing import draft_context, render_pdf
    from .services import subtasks
    from .services.workflow import apply_action, document_create, document_update

    refs = spec.setdefault("_refs", {}) if refs is None else refs
    prepare(spec)
    doctype = document.get("doctype", spec["doctype"])
    if doctype != spec["doctype"]:
        check = None
    info = registry.get(doctype)
    creator = account(document["by"])
    unit = backend().unit_by_code(document["unit"]) if document.get("unit") else None
    out = Replay()
    values = _values(info, document.get("values", {}), refs)
    existing = None
    if document.get("get_or_create"):
        links = {k: v for k, v in values.items() if hasattr(v, "pk")}
        existing = info.model._default_manager.filter(**links).first()
    if existing is not None:
        out.doc = existing
        rest = {k: v for k, v in values.items() if not hasattr(v, "pk")}
        if rest:
            out.doc = document_update(doc=existing, user=creator, data=rest)
    else:
        with transaction.atomic():
            out.doc = document_create(model=info.model, user=creator, data=values, unit=unit)
    for step in document.get("steps", []):
        out.steps += 1
        user = account(step.get("by", document["by"]))
        doc = type(out.doc)._default_manager.get(pk=out.doc.pk)
        if "edit" in step:
            out.doc = document_update(doc=doc, user=user, data=_values(info, step["edit"], refs))
        elif "action" in step:
            if check is not None:
                check(doc, step, user)
            files = [evidence(user) for _ in range(int(step.get("attach", 0)))]
            result = apply_action(
                doc=doc,
                action=step["action"],
                user=user,
                comment=resolve(step.get("comment", "")),
                attachments=files,
                expected_state=doc.workflow_state,
            )
            out.doc = result.doc
            if result.issued is not None:
                out.issued.append(result.issued)
            if "state" in step and out.doc.workflow_state != step["state"]:
                raise AssertionError(
                    f"{doctype}: after {step['action']} the state is {out.doc.workflow_state}, not {step['state']}"
                )
            if check is not None and step.get("issued") is not None:
                check(out.doc, {**step, "_issued": result.issued}, user)
        elif "subtask" in step:
            task = step["subtask"]
            target = backend().unit_by_code(task["unit"]) if task.get("unit") else None
            made = subtasks.subtask_create(
                doc=doc,
                user=user,
                unit=target,
                assignee=account(task["assignee"]) if task.get("assignee") else None,
                instruction=resolve(task.get("instruction", "")),
            )
            if task.get("answer_by"):
                subtasks.subtask_answer(
                    task=made,
                    user=account(task["answer_by"]),
                    answer=resolve(task.get("answer", "")),
                    files=[evidence(account(task["answer_by"]))] if task.get("attach") else [],
                )
        elif "print" in step:
            if check is not None:
                from .models import PrintFormat

                pf = PrintFormat.objects.get(name=step["print"])
                pdf = render_pdf(pf, draft_context(doc, pf))
                check(doc, {**step, "_pdf": pdf}, user)
        else:
            raise ValueError(f"{spec.get('_path')}: unknown step {step}")
    if document.get("key"):
        refs[document["key"]] = out.doc
    return out


def load_demo() -> int:
    """Replay every scenario of a doctype that has no documents yet (idempotent)."""
    made = 0
    specs = [s for s in scenarios() if s["doctype"] in registry.names(load=True)]  # else removed by an administrator
    # decided before any is loaded: a scenario's prerequisites may be documents of another scenario's doctype
    empty = [s for s in specs if not registry.get(s["doctype"]).model._default_manager.exists()]
    for spec in empty:
        for document in spec.get("documents", []):
            replay(spec, document)
            made += 1
    return made
