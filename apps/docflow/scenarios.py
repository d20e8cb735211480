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
letter prints it, for expectations) and ``{year}`` (inside any text); an
Attach field's value is a file name (a small PDF is uploaded under it).

A process that needs other documents first (an SK in force forming the
team, checked by an ``exists(...)`` condition; the budgeted application a
disbursement draws on) lists them among its documents with their own
``doctype``: they are replayed in order like the others, but the refusal
checks and the demo-state checks are only for the file's own doctype (the
others are checked by their own scenario). Any document may carry:

- ``ref``: a name for later values: ``{ref:sk}`` is that document's name (a
  Link field takes it), ``{ref:sk.number}`` one of its fields;
- ``reuse`` (ORM filters): an existing matching document is taken as it is
  (values and steps skipped), e.g. an SK already in force;
- ``take`` (ORM filters): the document a listener already opened (the
  monitoring of a transferred disbursement) is taken instead of created,
  then given the other values and moved on by the steps;
- ``rows``: the child rows of a code-defined doctype by their related name
  (``{"anggota": [{"urutan": 1, "pengguna": "konflik1"}]}``); data-defined
  doctypes take their tables in ``values``.

Master rows a scenario needs (the parties a Banpol application names) are
``"records": [{"model": "pembinaan.Parpol", "get": {"singkatan": "PKB"},
"defaults": {...}}]`` (get_or_create, existing rows kept). A Link value
``"field=value"`` (``"singkatan=PKB"``) finds its target by another field than
``name``; ``{year-1}`` / ``{year+1}`` work like ``{year}``.

The engine stays generic: users are named by username, units by code.
"""

import datetime
import functools
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
LOOKUP = re.compile(r"^[a-z_]+=")
REF = re.compile(r"\{ref:([A-Za-z0-9_-]+)(?:\.([A-Za-z_][A-Za-z0-9_]*))?\}")
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


def _ref(refs: dict, match) -> str:
    doc = refs[match.group(1)]
    value = getattr(doc, match.group(2) or "name")
    return "" if value is None else str(value)


def resolve(value, today: datetime.date | None = None, refs: dict | None = None):
    """``{today+N}`` as a date, ``{year}`` inside text, ``{ref:key}`` as the
    name of a required document, recursively."""
    today = today or timezone.localdate()
    if isinstance(value, str) and refs and REF.search(value):
        value = REF.sub(lambda m: _ref(refs, m), value)
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
        return [resolve(v, today, refs) for v in value]
    if isinstance(value, dict):
        return {k: resolve(v, today, refs) for k, v in value.items()}
    return value


def account(username: str):
    return get_user_model().objects.get(username=username)


def evidence(user, name: str = "bukti.pdf"):
    from .services.files import file_create

    return file_create(uploaded=SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf"), user=user)


def _values(info, raw: dict, user=None, refs: dict | None = None) -> dict:
    """Link fields may name their target by its name (document number,
    username, unit code) instead of its primary key; an Attach field names a
    file (a small PDF uploaded under that name by ``user``)."""
    return _model_values(info.model, raw, refs, user)


def _model_values(model, raw: dict, refs: dict | None = None, user=None) -> dict:
    from .models import File

    values = resolve(raw, refs=refs)
    for key, value in list(values.items()):
        f = next((x for x in model._meta.fields if x.name == key), None)  # not a child table or custom field
        if f is not None and (f.many_to_one or f.one_to_one) and isinstance(value, str):
            target = f.remote_field.model
            if target is get_user_model():
                values[key] = account(value)
            elif target is File:
                values[key] = evidence(user, value)
            elif any(x.name == "unit" for x in model._meta.fields) and (
                target is model._meta.get_field("unit").remote_field.model
            ):
                values[key] = target.objects.get(pk=backend().unit_by_code(value))
            elif LOOKUP.match(value):
                lookup, _, wanted = value.partition("=")
                values[key] = target._default_manager.get(**{lookup: wanted})
            else:
                by = "name" if any(x.name == "name" for x in target._meta.fields) else "pk"
                values[key] = target._default_manager.get(**{by: value})
    return values


def _create_rows(doc, rows: dict, refs: dict | None = None) -> None:
    """Rows of a code-defined doctype's own child models, by their related
    name (an SK's ``anggota``), written right after the document."""
    for name, given in rows.items():
        relation = type(doc)._meta.get_field(name)
        child, parent_field = relation.related_model, relation.field.name
        for row in given:
            child._default_manager.create(**{parent_field: doc}, **_model_values(child, row, refs))


@dataclass
class Replay:
    doc: object = None
    issued: list = field(default_factory=list)
    steps: int = 0


def prepare(spec: dict) -> None:
    """The master rows a scenario needs (``records``), kept when they exist."""
    for record in spec.get("records", []):
        model = django_apps.get_model(record["model"])
        model._default_manager.get_or_create(**resolve(record["get"]), defaults=resolve(record.get("defaults", {})))


def own(spec: dict, document: dict) -> bool:
    """Whether ``document`` is of the scenario's own doctype (not one it needs first)."""
    return document.get("doctype", spec["doctype"]) == spec["doctype"]


def own_documents(spec: dict) -> list[dict]:
    return [d for d in spec.get("documents", []) if own(spec, d)]


def replay_requires(spec: dict) -> dict:
    """The master rows (``records``) and the documents of other doctypes listed
    before the scenario's first own document (an SK in force), by ``ref``."""
    prepare(spec)
    refs: dict = {}
    for document in spec.get("documents", []):
        if own(spec, document):
            break
        replay(spec, document, refs=refs)
    return refs


def sample(spec: dict, by: str):
    """A fresh document of the scenario's doctype made by ``by`` from its first
    own document's values (after the documents it needs), not moved on: a
    realistic document for generic tests."""
    refs = replay_requires(spec)
    return replay(spec, {**own_documents(spec)[0], "by": by, "steps": [], "take": None}, refs=refs).doc


def replay_all(spec: dict, *, check=None) -> list:
    """Every document of the scenario in order; returns the own documents as they end."""
    prepare(spec)
    refs: dict = {}
    return [r.doc for d in spec.get("documents", []) if (r := replay(spec, d, check=check, refs=refs)) and own(spec, d)]


def replay(spec: dict, document: dict, *, check=None, refs: dict | None = None) -> Replay:
    """Create one scenario document and apply its steps, each in its own
    transaction (as staff would). ``check(doc, step, transition_user)`` runs
    before every action step (the tests' refusals). ``refs``: the required
    documents (``replay_requires``) that values may name."""
    from .printing import draft_context, render_pdf
    from .services import subtasks
    from .services.workflow import apply_action, document_create, document_update

    refs = {} if refs is None else refs
    if not own(spec, document):
        check = None  # checked by its own scenario
    info = registry.get(document.get("doctype", spec["doctype"]))
    actor = functools.cache(account)  # the document's actors, each looked up once

    creator = actor(document["by"])
    unit = backend().unit_by_code(document["unit"]) if document.get("unit") else None
    out = Replay()
    if document.get("reuse"):
        found = info.model._default_manager.filter(**resolve(document["reuse"], refs=refs)).order_by("-pk").first()
        if found is not None:
            out.doc = found
            if document.get("ref"):
                refs[document["ref"]] = found
            return out
    existing = None
    if document.get("take"):
        existing = info.model._default_manager.filter(**resolve(document["take"], refs=refs)).first()
    if existing is not None:  # opened by a listener: given the other values
        reused = {k.split("__")[0] for k in document["take"]}
        rest = {k: v for k, v in document.get("values", {}).items() if k not in reused}
        out.doc = (
            document_update(doc=existing, user=creator, data=_values(info, rest, creator, refs)) if rest else existing
        )
    else:
        with transaction.atomic():
            out.doc = document_create(
                model=info.model, user=creator, data=_values(info, document.get("values", {}), creator, refs), unit=unit
            )
            _create_rows(out.doc, document.get("rows", {}), refs)
    for step in document.get("steps", []):
        out.steps += 1
        user = actor(step.get("by", document["by"]))
        doc = type(out.doc)._default_manager.get(pk=out.doc.pk)
        if "edit" in step:
            out.doc = document_update(doc=doc, user=user, data=_values(info, step["edit"], user, refs))
        elif "action" in step:
            if check is not None:
                check(doc, step, user)
            files = [evidence(user) for _ in range(int(step.get("attach", 0)))]
            result = apply_action(
                doc=doc,
                action=step["action"],
                user=user,
                comment=resolve(step.get("comment", ""), refs=refs),
                attachments=files,
                expected_state=doc.workflow_state,
            )
            out.doc = result.doc
            if result.issued is not None:
                out.issued.append(result.issued)
            if "state" in step and out.doc.workflow_state != step["state"]:
                raise AssertionError(
                    f"{info.doctype}: after {step['action']} the state is {out.doc.workflow_state}, not {step['state']}"
                )
            if check is not None and step.get("issued") is not None:
                check(out.doc, {**step, "issued": resolve(step["issued"], refs=refs), "_issued": result.issued}, user)
        elif "subtask" in step:
            task = step["subtask"]
            target = backend().unit_by_code(task["unit"]) if task.get("unit") else None
            made = subtasks.subtask_create(
                doc=doc,
                user=user,
                unit=target,
                assignee=actor(task["assignee"]) if task.get("assignee") else None,
                instruction=resolve(task.get("instruction", "")),
            )
            if task.get("answer_by"):
                subtasks.subtask_answer(
                    task=made,
                    user=actor(task["answer_by"]),
                    answer=resolve(task.get("answer", "")),
                    files=[evidence(actor(task["answer_by"]))] if task.get("attach") else [],
                )
        elif "print" in step:
            if check is not None:
                from .models import PrintFormat

                pf = PrintFormat.objects.get(name=step["print"])
                pdf = render_pdf(pf, draft_context(doc, pf))
                check(doc, {**step, "expect": resolve(step.get("expect", []), refs=refs), "_pdf": pdf}, user)
        else:
            raise ValueError(f"{spec.get('_path')}: unknown step {step}")
    if document.get("ref"):
        refs[document["ref"]] = out.doc
    return out


def load_demo() -> int:
    """Replay every scenario of a doctype that has no documents yet (idempotent)."""
    made = 0
    specs = [s for s in scenarios() if s["doctype"] in registry.names(load=True)]  # else removed by an administrator
    # decided before any is loaded: one scenario's required documents may be of another's doctype
    empty = [s for s in specs if not registry.get(s["doctype"]).model._default_manager.exists()]
    for spec in empty:
        made += len(replay_all(spec))
    return made
