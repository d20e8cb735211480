"""DocType definitions in Frappe's JSON shape: validated with messages in
Bahasa Indonesia, applied in one transaction (definition, table, rights),
exported, imported from Frappe (v14/v15) and loaded from the reference files
apps ship as ``<app>/doctype/<name>/<name>.json``."""

import contextlib
import contextvars
import hashlib
import json
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .. import conditions, numbering, registry
from ..models import DocFieldDef, DocPermDef, DocTypeDef
from . import fieldtypes as ft
from . import runtime, schema
from .hooks import default_autoname, expression

FIELD_PROPS = {
    "fieldname": "", "label": "", "fieldtype": "Data", "options": "", "reqd": False, "default": "",
    "description": "", "depends_on": "", "mandatory_depends_on": "", "read_only_depends_on": "",
    "read_only": False, "hidden": False, "unique": False, "in_list_view": False, "in_standard_filter": False,
    "in_global_search": False, "bold": False, "allow_on_submit": False, "fetch_from": "", "precision": None,
    "length": None, "permlevel": 0,
}  # fmt: skip
PERM_PROPS = {
    "role": "", "permlevel": 0, "read": True, "write": False, "create": False, "delete": False, "submit": False,
    "cancel": False, "print": True, "export": True, "report": True, "if_owner": False,
}  # fmt: skip
DOCTYPE_PROPS = {
    "name": "", "module": "Proses Lain", "process_code": "", "description": "", "autoname": "", "title_field": "",
    "search_fields": "", "sort_field": "", "sort_order": "DESC", "is_submittable": True, "istable": False,
    "track_changes": True, "quick_entry": False, "owner_unit": "", "holder_field": "", "validate_hook": "",
}  # fmt: skip
FRAPPE_STANDARD_SORT = {"modified", "creation", "name"}


class DefinitionError(ValidationError):
    """Problems with a definition: ``problems`` is a list of (field or "", message)."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__([m if not k else f"{k}: {m}" for k, m in problems])


def _bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "ya")
    return bool(value)


def _norm(row: dict, props: dict) -> dict:
    out = {}
    for key, default in props.items():
        value = row.get(key, default)
        if value is None:
            value = default
        if isinstance(default, bool):
            value = _bool(value)
        elif key in ("permlevel",):
            value = int(value or 0)
        elif key in ("precision", "length"):
            value = int(value) if value not in (None, "", 0, "0") else None
        elif isinstance(value, (int, float)) and isinstance(default, str):
            value = str(value)
        elif isinstance(value, str):
            value = value.strip() if key not in ("options", "description") else value.strip("\n")
        out[key] = value
    return out


def role_map() -> dict:
    return getattr(settings, "DOCFLOW_FRAPPE_ROLES", {})


def frappe_autoname(value: str, name: str) -> str:
    """Frappe's autoname as this engine's pattern: "format:AUD-{YYYY}-{#####}",
    "AUD-.YYYY.-.#####" (a naming series) or anything else (hash, field:,
    autoincrement, Prompt) as the default pattern of the doctype."""
    value = (value or "").strip()
    if not value:
        return ""
    if "{seq" in value:
        return value
    if value.startswith("format:"):
        return re.sub(r"\{(#+)\}", lambda m: "{seq:0%d}" % len(m.group(1)), value[7:])
    if value.startswith("naming_series:") or value in ("hash", "autoincrement", "Prompt") or value.startswith("field:"):
        return default_autoname(name)
    if "#" in value:  # a naming series: parts joined by dots
        parts = []
        for part in value.split("."):
            if part and set(part) == {"#"}:
                parts.append("{seq:0%d}" % len(part))
            elif part in numbering.DATE_TOKENS or part in ("YYYY", "YY", "MM", "DD"):
                parts.append("{%s}" % part)
            else:
                parts.append(part)
        return "".join(parts)
    return default_autoname(name)


def normalize(spec: dict) -> dict:
    out = _norm(spec, DOCTYPE_PROPS)
    out["name"] = str(spec.get("name") or spec.get("doctype_name") or "").strip()
    out["autoname"] = frappe_autoname(out["autoname"], out["name"])
    if out["sort_field"] in FRAPPE_STANDARD_SORT:
        out["sort_field"] = ""
    out["fields"] = []
    for f in spec.get("fields", []) or []:
        row = _norm(f, FIELD_PROPS)
        # the row's identity (Frappe's DocField name): a changed fieldname is a rename, not a new field
        row["_row"] = str(f.get("_row") or f.get("name") or "")
        out["fields"].append(row)
    for f in out["fields"]:
        if f["fieldtype"] == "Select" and f["options"]:
            f["options"] = "\n".join(line.strip() for line in f["options"].splitlines() if line.strip())
    out["permissions"] = [_norm(p, PERM_PROPS) for p in spec.get("permissions", []) or []]
    return out


def _target_known(name: str, specs: dict) -> bool:
    if name in ft.SYSTEM_LINKS or name == "DocType" or name in specs:
        return True
    if registry.master(name):
        return True
    try:
        registry.get(name)
    except Exception:  # noqa: BLE001
        return DocTypeDef.objects.filter(name=name).exists()
    return True


def validate(spec: dict, *, pending: dict | None = None, allow_unknown: bool = False) -> tuple[dict, list]:
    """(normalized spec, problems). ``pending``: other specs of the same import
    (a child table posted alongside). ``allow_unknown``: unknown field types
    and Link targets become Data instead of being refused."""
    spec = normalize(spec)
    pending = pending or {}
    problems: list[tuple[str, str]] = []
    name = spec["name"]
    if not name:
        problems.append(("name", _("Nama jenis dokumen wajib diisi.")))
    elif len(name) > 100 or not re.match(r"^[A-Za-z][A-Za-z0-9 ()\-]*$", name):
        problems.append(("name", _("Nama jenis dokumen hanya huruf, angka, spasi dan tanda hubung (maks. 100).")))
    else:
        try:
            existing = registry.get(name)
        except Exception:  # noqa: BLE001
            existing = None
        if existing is not None and not existing.data_defined:
            problems.append(("name", _("%(name)s adalah jenis dokumen bawaan aplikasi.") % {"name": name}))
    seen = set()
    value_names = set()
    for i, f in enumerate(spec["fields"], start=1):
        where = f["fieldname"] or _("baris %(n)s") % {"n": i}
        t = f["fieldtype"]
        if t not in ft.ALL_TYPES:
            if allow_unknown:
                f["fieldtype"], t = "Data", "Data"
            else:
                problems.append((where, _("jenis field %(type)s tidak dikenal.") % {"type": t}))
                continue
        if t in ("Section Break", "Column Break", "Tab Break", "HTML") and not f["fieldname"]:
            f["fieldname"] = f"{slugify(t).replace('-', '_')}_{i}"
        fieldname = f["fieldname"]
        if not re.match(r"^[a-z][a-z0-9_]{0,60}$", fieldname or ""):
            problems.append((where, _("nama field hanya huruf kecil, angka dan garis bawah, diawali huruf.")))
            continue
        if fieldname in ft.RESERVED:
            problems.append((fieldname, _("nama field %(name)s dipakai oleh sistem.") % {"name": fieldname}))
        if fieldname in seen:
            problems.append((fieldname, _("nama field %(name)s ganda.") % {"name": fieldname}))
        seen.add(fieldname)
        if t in ft.VALUE_TYPES:
            value_names.add(fieldname)
        if t == "Select" and not f["options"].strip():
            problems.append((fieldname, _("field Pilihan harus punya opsi (satu per baris).")))
        if t == "Link":
            target = f["options"].strip()
            if not target or not _target_known(target, pending):
                if allow_unknown:
                    f["fieldtype"], f["options"] = "Data", ""
                else:
                    problems.append(
                        (fieldname, _("tujuan tautan %(target)s tidak dikenal.") % {"target": target or "-"})
                    )
        if t in ft.TABLE_TYPES:
            child = pending.get(f["options"]) or DocTypeDef.objects.filter(name=f["options"]).first()
            is_table = child.get("istable") if isinstance(child, dict) else getattr(child, "istable", None)
            if not child:
                problems.append((fieldname, _("tabel anak %(name)s belum ada.") % {"name": f["options"] or "-"}))
            elif not is_table:
                problems.append((fieldname, _("%(name)s bukan tabel anak (istable).") % {"name": f["options"]}))
        if t == "Currency" and f["precision"] is not None and f["precision"] > 6:
            problems.append((fieldname, _("presisi Rupiah paling banyak 6 angka desimal.")))
        for key in ("depends_on", "mandatory_depends_on", "read_only_depends_on"):
            expr = expression(f[key])
            if expr:
                problem = conditions.check_condition(expr)
                if problem:
                    problems.append((fieldname, f"{key}: {problem}"))
        if f["fetch_from"] and "." not in f["fetch_from"]:
            problems.append((fieldname, _("ambil dari ditulis field_tautan.field, mis. unit.nama.")))
    if spec["istable"]:
        spec["is_submittable"] = False
    for key in ("title_field", "sort_field", "holder_field"):
        if spec[key] and spec[key] not in value_names and spec[key] != "name":
            problems.append((key, _("field %(name)s tidak ada.") % {"name": spec[key]}))
    for name_ in [s.strip() for s in spec["search_fields"].split(",") if s.strip()]:
        if name_ not in value_names:
            problems.append(("search_fields", _("field %(name)s tidak ada.") % {"name": name_}))
    if spec["autoname"]:
        problem = numbering.check_pattern(spec["autoname"])
        if problem:
            problems.append(("autoname", problem))
    if spec["validate_hook"] and registry.get_hook(spec["validate_hook"]) is None:
        problems.append(("validate_hook", _("hook %(name)s tidak terdaftar.") % {"name": spec["validate_hook"]}))
    roles = role_map()
    for p in spec["permissions"]:
        role = roles.get(p["role"], p["role"])
        if role in ("Guest",) or not Group.objects.filter(name=role).exists():
            problems.append(("permissions", _("peran %(role)s tidak dikenal.") % {"role": p["role"]}))
        p["role"] = role
    # a child doctype is used only as a Table: not by a Link, and not itself a process
    used_as_link = [
        f["fieldname"] for f in spec["fields"] if f["fieldtype"] == "Link" and _is_table(f["options"], pending)
    ]
    for fieldname in used_as_link:
        problems.append((fieldname, _("tabel anak hanya dapat dipakai sebagai field Tabel.")))
    return spec, problems


def _is_table(name, pending) -> bool:
    if name in pending:
        return bool(pending[name].get("istable"))
    return DocTypeDef.objects.filter(name=name, istable=True).exists()


def _table_name(name: str) -> str:
    base = "dt_" + slugify(name).replace("-", "_")[:40]
    candidate, n = base, 1
    while DocTypeDef.objects.filter(table_name=candidate).exists():
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def _class_name(name: str) -> str:
    base = "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", name) if w) or "Doc"
    candidate, n = base, 1
    while DocTypeDef.objects.filter(class_name=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def apply(spec: dict, *, pending: dict | None = None, allow_unknown: bool = False, seed_hash: str = "") -> DocTypeDef:
    """Create or update a definition from its spec, in one transaction: the
    records, the table, the rights; live at once (``runtime``)."""
    spec, problems = validate(spec, pending=pending, allow_unknown=allow_unknown)
    if problems:
        raise DefinitionError(problems)
    with transaction.atomic():
        defn = DocTypeDef.objects.select_for_update().filter(name=spec["name"]).first()
        values = {k: spec[k] for k in DOCTYPE_PROPS if k != "name"}
        created = defn is None
        if created:
            defn = DocTypeDef(
                name=spec["name"], table_name=_table_name(spec["name"]), class_name=_class_name(spec["name"])
            )
        for k, v in values.items():
            setattr(defn, k, v)
        if seed_hash:
            defn.seed_hash = seed_hash
        defn.save()
        conversions = _save_fields(defn, spec["fields"])
        DocPermDef.objects.filter(doctype=defn).delete()
        for p in spec["permissions"]:
            DocPermDef.objects.create(
                doctype=defn, role=Group.objects.get(name=p["role"]), **{k: p[k] for k in PERM_PROPS if k != "role"}
            )
        pending = _batch.get()
        if pending is not None:
            pending.append((defn, conversions, created))
        else:
            definition_saved(defn, conversions)
            _start_workflow(defn, created)
    return defn


# Definitions applied inside ``batch()``: (definition, conversions, created), finished at its end.
_batch: contextvars.ContextVar[list | None] = contextvars.ContextVar("definition_batch", default=None)


@contextlib.contextmanager
def batch():
    """Apply many definitions in one transaction with one rebuild of the
    models at the end, instead of one per definition (loading the reference
    files: 43 rebuilds of every model took 1.5 s)."""
    if _batch.get() is not None:  # already in one: its end finishes ours too
        yield
        return
    pending: list = []
    token = _batch.set(pending)
    try:
        with transaction.atomic():
            yield
            _batch.reset(token)
            token = None
            if pending:
                runtime.definitions_changed()
                _follow_definitions([(defn, conversions) for defn, conversions, _created in pending])
            for defn, _conversions, created in pending:
                _start_workflow(defn, created)
    finally:
        if token is not None:
            _batch.reset(token)


def _start_workflow(defn, created: bool) -> None:
    if created and not defn.istable:
        if connection.features.can_rollback_ddl:
            _default_workflow(defn)
        else:  # MariaDB: the table is created once the definition commits (schema.sync_tables)
            transaction.on_commit(lambda: _default_workflow(defn))


def _default_workflow(defn) -> None:
    """A new DocType works at once, as in Frappe: a draft its writing role
    edits and a step out of it (submittable: "Ajukan" by the role with
    submit; otherwise "Selesaikan" by the writer). The administrator
    reshapes it in the workflow editor."""
    from ..models import Workflow
    from ..services.definitions import _hash, export_workflow, import_workflow

    if Workflow.objects.filter(document_type=defn.name).exists():
        return
    perms = list(defn.permissions.filter(permlevel=0).select_related("role"))
    writer = next((p.role.name for p in perms if p.write), None)
    if writer is None:
        return  # nobody may write it yet: the administrator adds the workflow with the rights
    submitter = next((p.role.name for p in perms if p.submit), writer)
    states = [{"state": "Draf", "doc_status": 0, "allow_edit": writer}]
    transitions = []
    if defn.is_submittable:
        states.append({"state": "Diajukan", "doc_status": 1, "is_final": 1})
        transitions.append({"state": "Draf", "action": "Ajukan", "next_state": "Diajukan", "allowed": submitter})
    else:  # not submittable: the record stays a draft until its writer closes it
        states.append({"state": "Selesai", "doc_status": 0, "is_final": 1})
        transitions.append({"state": "Draf", "action": "Selesaikan", "next_state": "Selesai", "allowed": writer})
    workflow = import_workflow(
        {
            "workflow_name": defn.name,
            "document_type": defn.name,
            "description": _("Alur bawaan; ubah di Alur Kerja."),
            "states": states,
            "transitions": transitions,
        }
    )
    # marked as loaded, not as an administrator's edit: a reference workflow file replaces it
    Workflow.objects.filter(pk=workflow.pk).update(seed_hash=_hash(export_workflow(workflow)))


def _save_fields(defn, rows) -> list:
    """Fields by name: new ones added, changed ones updated (keeping their
    column; a changed type gets a new one when the values convert), missing
    ones marked removed (hidden, values kept)."""
    current = {f.fieldname: f for f in defn.fields.all()}
    by_row = {str(f.pk): f for f in current.values()}
    conversions, problems = [], []
    renamed = {by_row[r["_row"]].fieldname for r in rows if r.get("_row") in by_row}
    for idx, row in enumerate(rows, start=1):
        field = by_row.get(row.get("_row") or "")
        if field is not None:
            current.pop(field.fieldname, None)
        elif row["fieldname"] not in renamed:
            field = current.pop(row["fieldname"], None)
        if field is None:
            field = DocFieldDef(doctype=defn, fieldname=row["fieldname"])
        row = {k: v for k, v in row.items() if k != "_row"}
        new_type = ft.column_type(row["fieldtype"], row["precision"])
        for k, v in row.items():
            setattr(field, k, v)
        field.idx, field.is_removed = idx, False
        if row["fieldtype"] not in ft.VALUE_TYPES:
            field.column_name, field.column_type = "", ""
        elif not field.column_name:
            field.column_name, field.column_type = _free_column(defn, row["fieldname"]), new_type
        elif field.column_type != new_type:
            problem, pairs = _convertible(defn, field, row)
            if problem:
                problems.append((field.fieldname, problem))
                continue
            old_column = field.column_name
            field.column_name, field.column_type = _free_column(defn, f"{row['fieldname']}_{new_type}"), new_type
            conversions.append((field.fieldname, old_column, field.column_name, pairs))
        field.save()
    for field in current.values():  # removed: hidden, the column and its values kept
        if not field.is_removed:
            field.is_removed = True
            field.save(update_fields=["is_removed"])
    if problems:
        raise DefinitionError(problems)
    return conversions


def _free_column(defn, base: str) -> str:
    used = set(defn.fields.exclude(column_name="").values_list("column_name", flat=True)) | ft.RESERVED
    base = re.sub(r"[^a-z0-9_]", "_", base.lower())[:50]
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}_{n}"
    return candidate


def _convertible(defn, field, row) -> tuple[str | None, list]:
    """Would the stored values of ``field`` convert to the new type? (message, (old, new) pairs)."""
    from types import SimpleNamespace

    models_ = runtime.models_of(defn.name)
    if not models_:
        return None, []
    model = models_[0]
    try:
        values = schema.distinct_values(model, field.column_name)
    except Exception:  # noqa: BLE001 - no table yet
        return None, []
    probe = SimpleNamespace(**{**row, "column_name": field.column_name, "default": "", "unique": False})
    target = (
        ft.model_field(probe, link_target=runtime.link_target(row["options"], {}))
        if row["fieldtype"] != "Link"
        else None
    )
    if row["fieldtype"] in ft.TABLE_TYPES or row["fieldtype"] in ft.LAYOUT_TYPES:
        return (
            _("nilai tersimpan tidak dapat diubah menjadi %(type)s.") % {"type": row["fieldtype"]}
        ) if values else None, []
    if target is None:
        return (_("nilai tersimpan tidak dapat diubah menjadi tautan.") if values else None), []
    pairs, bad = [], []
    for value in values:
        try:
            raw = value
            if row["fieldtype"] == "Check":
                text = str(raw).strip().lower()
                if text not in ("0", "1", "true", "false", "ya", "tidak", ""):
                    raise ValidationError("x")
                converted = text in ("1", "true", "ya")
            else:
                converted = target.to_python(str(raw) if not isinstance(raw, (int, float)) else raw)
            pairs.append((value, converted))
        except (ValidationError, ValueError, TypeError):
            bad.append(value)
    if bad:
        return (
            _(
                '%(n)s nilai tersimpan tidak dapat diubah menjadi %(type)s, mis. "%(example)s". Perbaiki nilainya dahulu.'
            )
            % {"n": len(bad), "type": row["fieldtype"], "example": str(bad[0])[:40]}
        ), []
    return None, pairs


def definition_saved(defn, conversions=()) -> None:
    """After a definition's records changed (API, desk, files): rebuild the
    models here and everywhere, create what the table lacks, fill converted
    columns and grant the roles' rights."""
    runtime.definitions_changed()
    _follow_definitions([(defn, conversions)])


def _follow_definitions(saved) -> None:
    """The schema and the rights of (definition, conversions) pairs whose
    models were just rebuilt: every table they touch synced once."""
    models_ = []
    for defn, _conversions in saved:
        touched = list(runtime.models_of(defn.name))
        if defn.istable:  # a child table's rows live in its parents' tables: one query for them
            parents = DocTypeDef.objects.filter(istable=False, fields__options=defn.name, fields__is_removed=False)
            for parent in parents.values_list("name", flat=True).distinct():
                touched += runtime.models_of(parent)
        models_ += [m for m in touched if m not in models_]
    schema.sync_tables(models_)
    for defn, conversions in saved:
        own = runtime.models_of(defn.name)
        if own and not defn.istable:
            for _fieldname, old_column, new_column, pairs in conversions:
                schema.copy_column(own[0], old_column, new_column, [(o, n) for o, n in pairs])
            _grant(defn, own[0])


ACTIONS = {"read": "view", "create": "add", "write": "change", "delete": "delete"}


def _grant(defn, model) -> None:
    """Frappe's DocPerm at level 0 as the desk's model permissions of each role."""
    ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
    perms = {}
    for action in ("view", "add", "change", "delete"):
        perms[action], _c = Permission.objects.get_or_create(
            content_type=ct,
            codename=f"{action}_{model._meta.model_name}",
            defaults={"name": f"Can {action} {defn.name}"},
        )
    for group in Group.objects.filter(permissions__content_type=ct).distinct():
        group.permissions.remove(*perms.values())
    for p in defn.permissions.filter(permlevel=0).select_related("role"):
        granted = [perms[a] for key, a in ACTIONS.items() if getattr(p, key)]
        p.role.permissions.add(*granted)
    admin_role = getattr(settings, "DOCFLOW_ADMIN_ROLE", "")
    if admin_role:
        group = Group.objects.filter(name=admin_role).first()
        if group:
            group.permissions.add(perms["view"])


def export(defn) -> dict:
    """The definition as Frappe's DocType JSON."""
    fields = []
    for f in defn.fields.filter(is_removed=False).order_by("idx", "pk"):
        row = {"doctype": "DocField", "name": str(f.pk)}
        for key, default in FIELD_PROPS.items():
            value = getattr(f, key)
            if isinstance(default, bool):
                value = int(bool(value))
            if value not in (None, "") or key in ("fieldname", "fieldtype"):
                row[key] = value
        fields.append(row)
    perms = [
        {
            "doctype": "DocPerm",
            "role": p.role.name,
            **{
                k: (int(getattr(p, k)) if isinstance(d, bool) else getattr(p, k))
                for k, d in PERM_PROPS.items()
                if k != "role"
            },
        }
        for p in defn.permissions.select_related("role")
    ]
    out = {"doctype": "DocType", "name": defn.name}
    for key, default in DOCTYPE_PROPS.items():
        if key == "name":
            continue
        value = getattr(defn, key)
        out[key] = int(bool(value)) if isinstance(default, bool) else value
    out.update(
        fields=fields,
        permissions=perms,
        modified=defn.modified_at.isoformat(sep=" ") if defn.modified_at else None,
        creation=defn.created_at.isoformat(sep=" ") if defn.created_at else None,
        custom=1,
        engine="InnoDB",
    )
    return out


def spec_hash(spec: dict) -> str:
    normalized = normalize(spec)
    for row in normalized["fields"]:
        row.pop("_row", None)
    return hashlib.sha256(json.dumps(normalized, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def reference_files() -> list[Path]:
    """``<app>/doctype/<name>/<name>.json`` of every installed app, child tables first."""
    paths = []
    for config in django_apps.get_app_configs():
        folder = Path(config.path) / "doctype"
        if folder.is_dir():
            paths += sorted(folder.glob("*/*.json"))
    return sorted(paths, key=lambda p: (not json.loads(p.read_text()).get("istable"), str(p)))


def _links_first(specs: list[dict]) -> list[dict]:
    """The specs in an order where a doctype comes after the reference doctypes
    its Link fields name (its table gets the link column only when the target
    exists); otherwise the given order (child tables first, by path)."""
    by_name = {s["name"]: s for s in specs}
    done: list[dict] = []
    seen: set[str] = set()

    def visit(spec, trail=()):
        if spec["name"] in seen or spec["name"] in trail:
            return
        for f in spec.get("fields", []):
            target = by_name.get(str(f.get("options") or "").strip()) if f.get("fieldtype") == "Link" else None
            if target is not None and target is not spec:
                visit(target, (*trail, spec["name"]))
        seen.add(spec["name"])
        done.append(spec)

    for spec in specs:
        visit(spec)
    return done


def sync_files() -> list[str]:
    """Load the reference definitions; an administrator's desk edits are kept
    (the record no longer matches what was loaded last)."""
    log = []
    specs = _links_first([json.loads(p.read_text()) for p in reference_files()])
    pending = {s["name"]: s for s in specs}
    with batch():
        for spec in specs:
            digest = spec_hash(spec)
            current = DocTypeDef.objects.filter(name=spec["name"]).first()
            if current is not None:
                if current.seed_hash == digest:
                    continue
                if current.seed_hash and spec_hash(export(current)) != current.seed_hash:
                    log.append(_("DocType %(name)s: diubah administrator, dibiarkan.") % {"name": spec["name"]})
                    continue
            apply(spec, pending=pending, seed_hash=digest)
            log.append(_("DocType %(name)s dimuat.") % {"name": spec["name"]})
    return log
