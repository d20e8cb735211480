"""Configuration as data: validating, importing and exporting workflows in
Frappe's JSON shape, and loading the reference files that apps ship
(workflows/, print_formats/, naming/, letter_heads/) idempotently.

A reference record remembers the hash of what was loaded. Loading again
updates it only while the record still equals what was loaded last; once an
administrator has edited it in the desk, their version is kept.
"""

import hashlib
import json
from collections import deque
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from .. import conditions, numbering, printing, registry
from ..exceptions import UnknownDocType
from ..models import LetterHead, NamingSeries, PrintFormat, Workflow

STATE_FIELDS = {
    "state": "",
    "doc_status": 0,
    "allow_edit": None,
    "update_field": "",
    "update_value": "",
    "is_final": False,
    "sla_days": None,
    "numbering_series": None,
    "print_format": None,
}
TRANSITION_FIELDS = {
    "state": "",
    "action": "",
    "next_state": "",
    "allowed": "",
    "condition": "",
    "allow_self_approval": True,
    "require_comment": False,
    "require_attachment": False,
    "on_behalf_of": "",
    "quorum": 1,
    "condition_description": "",
    "duty_when_blocked": False,
    "require_subtasks_done": False,
}
# added after the first release: left out of a normalized row while at their
# default, so the hash of a workflow loaded before them stays the same
OPTIONAL_TRANSITION_FIELDS = ("condition_description", "duty_when_blocked", "require_subtasks_done")


def _hash(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _norm_row(row: dict, fields: dict) -> dict:
    out = {}
    for key, default in fields.items():
        value = row.get(key, default)
        if value is None:
            value = default
        if isinstance(default, bool):
            value = bool(int(value)) if isinstance(value, (int, str)) and str(value).isdigit() else bool(value)
        elif key in ("doc_status", "quorum"):
            value = int(value)
        elif key == "sla_days":
            value = int(value) if value not in (None, "") else None
        elif isinstance(value, str):
            value = value.strip()
        out[key] = value if value != "" or default == "" else default
    return out


def _norm_transition(row: dict) -> dict:
    out = _norm_row(row, TRANSITION_FIELDS)
    for key in OPTIONAL_TRANSITION_FIELDS:
        if out[key] == TRANSITION_FIELDS[key]:
            del out[key]
    return out


def normalize_spec(spec: dict) -> dict:
    return {
        "doctype": "Workflow",
        "workflow_name": str(spec.get("workflow_name", "")).strip(),
        "document_type": str(spec.get("document_type", "")).strip(),
        "is_active": bool(int(spec.get("is_active", 1))),
        "workflow_state_field": "workflow_state",
        "description": str(spec.get("description", "") or ""),
        "states": [_norm_row(s, STATE_FIELDS) for s in spec.get("states", [])],
        "transitions": [_norm_transition(t) for t in spec.get("transitions", [])],
    }


def export_workflow(workflow: Workflow) -> dict:
    states = [
        {
            "state": s.state,
            "doc_status": s.doc_status,
            "allow_edit": s.allow_edit.name if s.allow_edit else None,
            "update_field": s.update_field,
            "update_value": s.update_value,
            "is_final": s.is_final,
            "sla_days": s.sla_days,
            "numbering_series": s.numbering_series.key if s.numbering_series else None,
            "print_format": s.print_format.name if s.print_format else None,
        }
        for s in workflow.states.select_related("allow_edit", "numbering_series", "print_format")
    ]
    transitions = [
        {
            "state": t.state,
            "action": t.action,
            "next_state": t.next_state,
            "allowed": t.allowed.name,
            "condition": t.condition,
            "allow_self_approval": t.allow_self_approval,
            "require_comment": t.require_comment,
            "require_attachment": t.require_attachment,
            "on_behalf_of": t.on_behalf_of,
            "quorum": t.quorum,
            "condition_description": t.condition_description,
            "duty_when_blocked": t.duty_when_blocked,
            "require_subtasks_done": t.require_subtasks_done,
        }
        for t in workflow.transitions.select_related("allowed")
    ]
    return normalize_spec(
        {
            "workflow_name": workflow.workflow_name,
            "document_type": workflow.document_type,
            "is_active": workflow.is_active,
            "description": workflow.description,
            "states": states,
            "transitions": transitions,
        }
    )


def states_in_use(doctype: str) -> set[str]:
    try:
        model = registry.get(doctype).model
    except UnknownDocType:
        return set()
    if not connection.features.can_rollback_ddl and model._meta.db_table not in connection.introspection.table_names():
        return set()  # MariaDB creates a new doctype's table when the transaction commits: no documents yet
    return set(model.objects.values_list("workflow_state", flat=True).distinct())


def validate_spec(spec: dict) -> list[str]:
    """Every problem with a workflow definition, as messages for the administrator."""
    return [problem["message"] for problem in validate_spec_detailed(spec)]


def validate_spec_detailed(spec: dict) -> list[dict]:
    """Every problem with a workflow definition, each with the element at
    fault: ``{"message", "state": name or None, "transition": index or None}``
    (the index in ``spec["transitions"]``), so the diagram marks that element."""
    spec = normalize_spec(spec)
    problems: list[dict] = []

    def add(message, *, state=None, transition=None):
        problems.append({"message": str(message), "state": state, "transition": transition})

    try:
        info = registry.get(spec["document_type"])
    except UnknownDocType as exc:
        add(exc.message)
        return problems
    model = info.model
    if not spec["workflow_name"]:
        add(_("Nama alur kerja wajib diisi."))
    states = spec["states"]
    names = [s["state"] for s in states]
    if not names:
        add(_("Alur kerja harus memiliki paling sedikit satu status."))
        return problems
    for name in sorted({n for n in names if names.count(n) > 1}):
        add(_("Status %(state)s tercantum lebih dari sekali.") % {"state": name}, state=name)
    if any(not n for n in names):
        add(_("Setiap status harus bernama."), state="")
    known_states = set(names)
    roles = {s["allow_edit"] for s in states if s["allow_edit"]} | {t["allowed"] for t in spec["transitions"]}
    existing_roles = set(Group.objects.filter(name__in=roles).values_list("name", flat=True))
    unknown_roles = {r for r in roles - existing_roles if r}
    for s in states:
        if s["allow_edit"] in unknown_roles:
            add(_("Peran %(role)s tidak dikenal.") % {"role": s["allow_edit"]}, state=s["state"])
    fields = conditions.field_names(model)
    format_names = set(PrintFormat.objects.values_list("name", flat=True))
    for s in states:
        if s["update_field"] and s["update_field"] not in fields:
            add(
                _("Status %(state)s mengubah field %(field)s yang tidak ada.")
                % {"state": s["state"], "field": s["update_field"]},
                state=s["state"],
            )
        series = NamingSeries.objects.filter(key=s["numbering_series"]).first() if s["numbering_series"] else None
        if s["numbering_series"] and series is None:
            add(_("Seri penomoran %(key)s tidak ada.") % {"key": s["numbering_series"]}, state=s["state"])
        elif series is not None and numbering.unknown_tokens(series.pattern, model):
            add(
                _("Status %(state)s: pola seri %(key)s memakai %(tokens)s yang bukan field %(doctype)s.")
                % {
                    "state": s["state"],
                    "key": series.key,
                    "tokens": ", ".join("{" + t + "}" for t in numbering.unknown_tokens(series.pattern, model)),
                    "doctype": info.doctype,
                },
                state=s["state"],
            )
        if s["print_format"] and s["print_format"] not in format_names:
            add(_("Format cetak %(name)s tidak ada.") % {"name": s["print_format"]}, state=s["state"])
    outgoing = {n: [] for n in names}
    for index, t in enumerate(spec["transitions"]):
        label = f"{t['state']} → {t['action']} → {t['next_state']}"
        if not t["action"]:
            add(_("Transisi %(t)s tidak memiliki nama tindakan.") % {"t": label}, transition=index)
        if not t["allowed"]:
            add(_("Transisi %(t)s tidak menyebut peran.") % {"t": label}, transition=index)
        elif t["allowed"] in unknown_roles:
            add(_("Peran %(role)s tidak dikenal.") % {"role": t["allowed"]}, transition=index)
        for key in ("state", "next_state"):
            if t[key] not in known_states:
                add(
                    _("Transisi %(t)s menyebut status %(state)s yang tidak ada.") % {"t": label, "state": t[key]},
                    transition=index,
                )
        if t["quorum"] < 1:
            add(_("Kuorum transisi %(t)s harus paling sedikit 1.") % {"t": label}, transition=index)
        problem = conditions.check_condition(t["condition"], model)
        if problem:
            add(_("Syarat transisi %(t)s: %(problem)s.") % {"t": label, "problem": problem}, transition=index)
        if t["state"] in outgoing:
            outgoing[t["state"]].append(t["next_state"])
    # reachability from the initial state
    seen = {names[0]}
    queue = deque([names[0]])
    while queue:
        for nxt in outgoing.get(queue.popleft(), []):
            if nxt in known_states and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    for name in names:
        if name not in seen:
            add(
                _("Status %(state)s tidak dapat dicapai dari status awal %(initial)s.")
                % {"state": name, "initial": names[0]},
                state=name,
            )
    for s in states:
        if not s["is_final"] and not outgoing.get(s["state"]):
            add(
                _("Status %(state)s bukan status akhir tetapi tidak memiliki transisi keluar.") % {"state": s["state"]},
                state=s["state"],
            )
    for name in sorted(states_in_use(spec["document_type"]) - known_states):
        add(_("Status %(state)s masih dipakai dokumen dan tidak boleh dihapus atau diganti namanya.") % {"state": name})
    return problems


@transaction.atomic
def import_workflow(spec: dict, *, seed_hash: str = "") -> Workflow:
    """Create or replace a workflow from its JSON shape; refuses invalid ones."""
    errors = validate_spec(spec)
    if errors:
        raise ValidationError(errors)
    spec = normalize_spec(spec)
    workflow, _created = Workflow.objects.get_or_create(
        workflow_name=spec["workflow_name"], defaults={"document_type": spec["document_type"], "is_active": False}
    )
    if spec["is_active"]:
        Workflow.objects.filter(document_type=spec["document_type"], is_active=True).exclude(pk=workflow.pk).update(
            is_active=False
        )
    workflow.document_type = spec["document_type"]
    workflow.is_active = spec["is_active"]
    workflow.description = spec["description"]
    if seed_hash:
        workflow.seed_hash = seed_hash
    workflow.save()
    groups = {g.name: g for g in Group.objects.all()}
    series = {s.key: s for s in NamingSeries.objects.all()}
    formats = {p.name: p for p in PrintFormat.objects.all()}
    workflow.states.all().delete()
    workflow.transitions.all().delete()
    for idx, s in enumerate(spec["states"]):
        workflow.states.create(
            idx=idx,
            state=s["state"],
            doc_status=s["doc_status"],
            allow_edit=groups.get(s["allow_edit"]) if s["allow_edit"] else None,
            update_field=s["update_field"],
            update_value=s["update_value"],
            is_final=s["is_final"],
            sla_days=s["sla_days"],
            numbering_series=series.get(s["numbering_series"]) if s["numbering_series"] else None,
            print_format=formats.get(s["print_format"]) if s["print_format"] else None,
        )
    for idx, t in enumerate(spec["transitions"]):
        workflow.transitions.create(
            idx=idx,
            state=t["state"],
            action=t["action"],
            next_state=t["next_state"],
            allowed=groups[t["allowed"]],
            condition=t["condition"],
            allow_self_approval=t["allow_self_approval"],
            require_comment=t["require_comment"],
            require_attachment=t["require_attachment"],
            on_behalf_of=t["on_behalf_of"],
            quorum=t["quorum"],
            condition_description=t.get("condition_description", ""),
            duty_when_blocked=t.get("duty_when_blocked", False),
            require_subtasks_done=t.get("require_subtasks_done", False),
        )
    return workflow


# --- reference files shipped by apps ------------------------------------------


def _app_dirs(sub: str) -> list[Path]:
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path) / sub
        if path.is_dir():
            found.append(path)
    return found


def _sync(kind: str, key: str, normalized: dict, current_normalized: dict | None, seed_hash_now: str, apply, log):
    file_hash = _hash(normalized)
    if current_normalized is None:
        apply(file_hash)
        log.append(f"{kind} {key}: dibuat")
    elif _hash(current_normalized) == file_hash:
        if seed_hash_now != file_hash:
            apply(file_hash)  # same content, remember it as loaded
        log.append(f"{kind} {key}: tetap")
    elif _hash(current_normalized) == seed_hash_now:
        apply(file_hash)
        log.append(f"{kind} {key}: diperbarui dari berkas")
    else:
        log.append(f"{kind} {key}: diubah administrator, berkas tidak diterapkan")


def _letter_head_dict(lh: LetterHead) -> dict:
    return {"name": lh.name, "content": lh.content, "is_default": lh.is_default}


def _print_format_dict(pf: PrintFormat) -> dict:
    return {
        "name": pf.name,
        "doc_type": pf.doc_type,
        "html": pf.html,
        "css": pf.css,
        "page_size": pf.page_size,
        "margin": pf.margin,
        "letter_head": pf.letter_head.name if pf.letter_head else None,
        "is_default": pf.is_default,
    }


def _series_dict(s: NamingSeries) -> dict:
    return {"key": s.key, "pattern": s.pattern, "reset": s.reset, "description": s.description}


@transaction.atomic
def sync_reference_files() -> list[str]:
    from ..dynamic.definitions import sync_files

    log: list[str] = sync_files()  # DocTypes first: workflows and print formats name them
    for info in registry.all_doctypes():
        NamingSeries.objects.get_or_create(
            key=f"name:{info.doctype}",
            defaults={
                "pattern": info.autoname,
                "description": _("Nomor registrasi %(doctype)s") % {"doctype": info.doctype},
            },
        )
    for folder in _app_dirs("letter_heads"):
        for path in sorted(folder.glob("*.json")):
            data = json.loads(path.read_text())
            data["content"] = (path.parent / data.pop("content_file")).read_text()
            data = {"name": data["name"], "content": data["content"], "is_default": bool(data.get("is_default"))}
            current = LetterHead.objects.filter(name=data["name"]).first()

            def apply(h, data=data):
                LetterHead.objects.update_or_create(name=data["name"], defaults={**data, "seed_hash": h})

            _sync(
                "Kop surat",
                data["name"],
                data,
                current and _letter_head_dict(current),
                current.seed_hash if current else "",
                apply,
                log,
            )
    for folder in _app_dirs("naming"):
        for path in sorted(folder.glob("*.json")):
            for row in json.loads(path.read_text()):
                problem = numbering.check_pattern(row["pattern"])
                if problem:
                    raise ValidationError(f"{path.name}: {problem}")
                data = {
                    "key": row["key"],
                    "pattern": row["pattern"],
                    "reset": row.get("reset", "yearly"),
                    "description": row.get("description", ""),
                }
                current = NamingSeries.objects.filter(key=data["key"]).first()

                def apply(h, data=data):
                    NamingSeries.objects.update_or_create(key=data["key"], defaults={**data, "seed_hash": h})

                _sync(
                    "Seri",
                    data["key"],
                    data,
                    current and _series_dict(current),
                    current.seed_hash if current else "",
                    apply,
                    log,
                )
    for folder in _app_dirs("print_formats"):
        for path in sorted(folder.glob("*.json")):
            meta = json.loads(path.read_text())
            data = {
                "name": meta["name"],
                "doc_type": meta["doc_type"],
                "html": (path.parent / meta["html_file"]).read_text(),
                "css": (path.parent / meta["css_file"]).read_text() if meta.get("css_file") else "",
                "page_size": meta.get("page_size", "A4"),
                "margin": meta.get("margin", "2cm 2cm 2cm 2.5cm"),
                "letter_head": meta.get("letter_head"),
                "is_default": bool(meta.get("is_default", True)),
            }
            current = PrintFormat.objects.filter(name=data["name"]).first()

            def apply(h, data=data, path=path):
                problem = printing.check_template(data["html"])  # parsing all 49 took 0.5 s: only what is loaded
                if problem:
                    raise ValidationError(f"{path.name}: {problem}")
                lh = LetterHead.objects.get(name=data["letter_head"]) if data["letter_head"] else None
                PrintFormat.objects.update_or_create(
                    name=data["name"], defaults={**data, "letter_head": lh, "seed_hash": h}
                )

            _sync(
                "Format cetak",
                data["name"],
                data,
                current and _print_format_dict(current),
                current.seed_hash if current else "",
                apply,
                log,
            )
    for folder in _app_dirs("workflows"):
        for path in sorted(folder.glob("*.json")):
            spec = normalize_spec(json.loads(path.read_text()))
            current = Workflow.objects.filter(workflow_name=spec["workflow_name"]).first()

            def apply(h, spec=spec):
                import_workflow(spec, seed_hash=h)

            _sync(
                "Alur kerja",
                spec["workflow_name"],
                spec,
                current and export_workflow(current),
                current.seed_hash if current else "",
                apply,
                log,
            )
    return log
