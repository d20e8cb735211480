"""The rules a data-defined doctype's definition implies, as the registry's
hooks: mandatory and conditional fields, uniqueness, fetch_from, Dynamic
Link targets, sanitised rich text, permission levels and if_owner; then the
doctype's named Python hook, if it names one."""

import nh3
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import conditions, registry
from ..scope import backend, remember
from . import fieldtypes as ft
from .runtime import live_fields


def rows_of(doc, table: str) -> list[dict] | None:
    """The rows of child table ``table`` as a validate hook must see them: the
    rows being saved with this change (``doc._docflow_rows``, set by
    ``document_create``/``document_update``; given dicts are returned as they
    are, so a hook may fill a value in), else the stored ones; None when the
    table is not part of this save and has no stored rows."""
    given = getattr(doc, "_docflow_rows", None) or {}
    if table in given:
        return [
            r if isinstance(r, dict) else {f.attname: getattr(r, f.attname) for f in r._meta.concrete_fields}
            for r in given[table] or []
        ]
    child = registry.for_model(doc).children.get(table) if doc.pk else None
    stored = list(child._default_manager.filter(parent=doc).order_by("idx", "pk").values()) if child else []
    return stored or None


def expression(raw: str) -> str:
    """Frappe's depends_on as a condition over ``doc``: "eval:doc.x == 'y'"
    or a bare fieldname (true when filled); JavaScript's &&, || and ! read
    as and, or and not."""
    text = (raw or "").strip()
    if not text:
        return ""
    if text.startswith("eval:"):
        text = text[5:].strip()
    elif text.isidentifier():
        return f"doc.{text}"
    text = text.replace("===", "==").replace("!==", "!=").replace("&&", " and ").replace("||", " or ")
    text = "".join(" not " if ch == "!" and nxt != "=" else ch for ch, nxt in zip(text, text[1:] + " ", strict=True))
    return text.replace("true", "True").replace("false", "False").replace("null", "None")


def holds(raw: str, doc, user=None) -> bool:
    expr = expression(raw)
    if not expr:
        return False
    try:
        return bool(conditions.evaluate(expr, doc, user))
    except Exception:  # noqa: BLE001 - a definition's expression is checked at save; a bad value reads as false
        return False


def _roles(user) -> set:
    return {g.role for g in backend().grants(user)}


def _group_names(user) -> frozenset:
    """The user's roles as groups, read once per request (``scope.remember``):
    rights are checked per document on lists such as the inbox."""
    return remember(("docflow_group_names", user.pk), lambda: frozenset(user.groups.values_list("name", flat=True)))


def _perm_rows(defn):
    return list(defn.permissions.all())


def field_access(defn, user) -> tuple[set, set]:
    """(readable, writable) permission levels for ``user`` on this doctype."""
    if user.is_superuser:
        levels = {f.permlevel for f in defn.fields.all()} | {0}
        return levels, levels
    roles = _roles(user) | _group_names(user)
    readable = {p.permlevel for p in _perm_rows(defn) if p.role.name in roles and p.read}
    writable = {p.permlevel for p in _perm_rows(defn) if p.role.name in roles and p.write}
    return readable, writable


def doctype_info(defn, model, children, by_name) -> registry.DocType:
    fields = live_fields(defn)
    value_fields = [f for f in fields if f.fieldtype in ft.VALUE_TYPES]
    leveled = [f for f in fields if f.permlevel]

    def validate(doc, user, old):
        errors: dict[str, list] = {}
        for f in value_fields:
            name = f.fieldname
            if not hasattr(doc, name) and not hasattr(doc, f"{name}_id"):
                continue
            value = (
                getattr(doc, f"{name}_id")
                if f.fieldtype in ("Link", "Attach", "Attach Image")
                else getattr(doc, name, None)
            )
            shown = not f.depends_on or holds(f.depends_on, doc, user)
            if f.fieldtype == "Text Editor" and value:
                setattr(doc, name, nh3.clean(value))
            if f.fieldtype in ("Data", "Dynamic Link", "Read Only") and f.unique and value == "":
                setattr(doc, name, None)
                value = None
            if f.fetch_from and "." in f.fetch_from:
                link, attr = f.fetch_from.split(".", 1)
                target = getattr(doc, link, None) if hasattr(doc, f"{link}_id") else None
                if target is not None and hasattr(target, attr):
                    setattr(doc, name, getattr(target, attr) or "")
                    value = getattr(doc, name)
            mandatory = f.reqd or (f.mandatory_depends_on and holds(f.mandatory_depends_on, doc, user))
            if mandatory and shown and (value is None or value == ""):
                errors.setdefault(name, []).append(_("%(label)s wajib diisi.") % {"label": f.label or f.fieldname})
            if old is not None and f.read_only_depends_on and holds(f.read_only_depends_on, old, user):
                before = getattr(old, f"{name}_id", None) if hasattr(old, f"{name}_id") else getattr(old, name, None)
                if before != value:
                    errors.setdefault(name, []).append(
                        _("%(label)s tidak dapat diubah saat ini.") % {"label": f.label or f.fieldname}
                    )
            if f.fieldtype == "Dynamic Link" and value:
                source = getattr(doc, f.options, "") if f.options else ""
                try:
                    target_info = registry.get(str(source))
                    exists = target_info.model._default_manager.filter(name=value).exists()
                except Exception:  # noqa: BLE001 - an unknown doctype: refused below
                    exists = False
                if not exists:
                    errors.setdefault(name, []).append(
                        _("%(label)s: %(value)s tidak ditemukan pada %(doctype)s.")
                        % {"label": f.label or f.fieldname, "value": value, "doctype": source or "-"}
                    )
            if f.unique and value not in (None, ""):
                clash = type(doc)._default_manager.filter(**{name: value}).exclude(pk=doc.pk).exists()
                if clash:
                    errors.setdefault(name, []).append(
                        _("%(label)s %(value)s sudah dipakai dokumen lain.")
                        % {"label": f.label or f.fieldname, "value": value}
                    )
        if errors:
            raise ValidationError(errors)
        if old is not None:  # an existing document: its name is known (a new one: after_create)
            attach_files(doc)
        named = registry.get_hook(defn.validate_hook) if defn.validate_hook else None
        if named is not None:
            named(doc, user, old)

    def attach_files(doc):
        """Uploads of Attach fields belong to the document (downloads check its visibility)."""
        from ..models import File

        ids = [
            getattr(doc, f"{f.fieldname}_id", None) for f in value_fields if f.fieldtype in ("Attach", "Attach Image")
        ]
        ids = [i for i in ids if i]
        if ids and doc.name:
            File.objects.filter(pk__in=ids, attached_to_name="").update(
                attached_to_doctype=defn.name, attached_to_name=doc.name
            )

    def after_create(doc, user):
        attach_files(doc)

    def locked_fields(doc, user):
        if not leveled:
            return set()
        _readable, writable = field_access(defn, user)
        return {f.fieldname for f in leveled if f.permlevel not in writable}

    def hidden_fields(user):
        """Fields at a permission level the user may not read (Frappe's permlevel read)."""
        if not leveled:
            return set()
        readable, _writable = field_access(defn, user)
        return {f.fieldname for f in leveled if f.permlevel not in readable}

    owner_roles = {p.role.name for p in _perm_rows(defn) if p.if_owner}
    free_roles = {p.role.name for p in _perm_rows(defn) if not p.if_owner and p.read}

    def restrict_visibility(user):
        """if_owner: a user whose only roles here are "own documents" sees their own."""
        roles = _group_names(user)
        if roles & owner_roles and not roles & free_roles:
            return Q(created_by_id=user.pk)
        return Q()

    def print_context(doc):
        rows = {}
        for fieldname, child in children.items():
            names = [f.name for f in child._meta.concrete_fields if f.name not in ("id", "parent")]
            rows[fieldname] = [
                {n: getattr(r, n) for n in names}
                for r in child._default_manager.filter(parent=doc).order_by("idx", "pk")
            ]
        return rows

    perm_rows = _perm_rows(defn)

    def permission(user, action: str) -> bool:
        """Frappe's DocPerm flag ``action`` at level 0 for one of the user's roles."""
        if user.is_superuser:
            return True
        roles = _group_names(user)
        return any(p.permlevel == 0 and p.role.name in roles and getattr(p, action, False) for p in perm_rows)

    holder = defn.holder_field or defn.title_field or None
    # "unit pemilik": a unit code; "+CODE" more units own new documents jointly with it
    # ("+SUBBAG_UMPEG": the creator's unit and the Sub Bagian; "+BID_IWK+BID_KBK": three bidang)
    owner, *joint = (defn.owner_unit or "").split("+")
    return registry.DocType(
        doctype=defn.name,
        model=model,
        process_code=defn.process_code or "",
        group=defn.module or "Proses Lain",
        autoname=defn.autoname or default_autoname(defn.name),
        title_field=defn.title_field or "name",
        holder_field=holder if holder and holder != "name" else None,
        owner_unit=owner.strip() or None,
        additional_units=tuple(code.strip() for code in joint if code.strip()),
        list_fields=(),
        print_context=print_context,
        restrict_visibility=restrict_visibility if owner_roles else None,
        after_create=after_create,
        allow_on_submit=tuple(f.fieldname for f in value_fields if f.allow_on_submit),
        validate=validate,
        children=children,
        locked_fields=locked_fields if leveled else None,
        hidden_fields=hidden_fields if leveled else None,
        definition=defn,
        permission=permission if perm_rows else None,
    )


def default_autoname(name: str) -> str:
    initials = "".join(w[0] for w in name.split() if w[:1].isalnum()).upper()[:6] or "DOC"
    return f"{initials}-{{YYYY}}-{{seq:05}}"
