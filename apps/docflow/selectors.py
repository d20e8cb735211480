"""Reads. One selector decides which documents a user sees; the desk, the
API, the reports and file downloads all go through it."""

from functools import reduce
from operator import or_

from django.db.models import Q

from . import registry
from .exceptions import DocumentNotFound, NoActiveWorkflow
from .scope import backend


def _committee_states(doctype: str, roles: set[str]) -> set[str]:
    from .services.workflow import cached_workflow

    if not roles:
        return set()
    try:
        loaded = cached_workflow(doctype)
    except NoActiveWorkflow:
        return set()
    return {t.state for t in loaded.transitions if t.allowed.name in roles}


def visibility_q(model, user) -> Q | None:
    """The filter for what ``user`` sees of ``model`` (None: everything)."""
    if user.is_superuser:
        return None
    units = backend().visible_units(user)
    if units is None:
        return None
    q = Q(unit_id__in=units) | Q(created_by_id=user.pk)
    committee_roles = {g.role for g in backend().grants(user) if g.committee}
    states = _committee_states(registry.for_model(model).doctype, committee_roles)
    if states:
        q |= Q(workflow_state__in=states)
    return q


def visible_documents(model, user):
    qs = model._default_manager.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    q = visibility_q(model, user)
    info = registry.for_model(model)
    if q is not None and info.extend_visibility:
        q |= info.extend_visibility(user)
    qs = qs if q is None else qs.filter(q)
    if info.restrict_visibility and not user.is_superuser:
        qs = qs.filter(info.restrict_visibility(user))
    return qs


def document_get_for_user(*, user, doctype: str | None = None, model=None, pk=None, name=None):
    """The document if ``user`` may see it; otherwise DocumentNotFound (never
    a hint that it exists)."""
    model = model or registry.get(doctype).model
    lookup = {"pk": pk} if pk is not None else {"name": name}
    try:
        return visible_documents(model, user).get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise DocumentNotFound() from None


def can_see_document(user, doctype: str, name: str) -> bool:
    try:
        document_get_for_user(user=user, doctype=doctype, name=name)
    except Exception:  # noqa: BLE001 - unknown doctype or not visible: both mean no
        return False
    return True


def inbox_for_user(user, *, limit: int = 1000) -> list[tuple]:
    """What ``user`` can act on now: (doctype info, document, actions), oldest first.

    Candidates come from one indexed query per document type (the states where
    the user's roles have a transition, within the units those roles cover);
    the exact checks (condition, self-approval, quorum) then run per document
    in Python, with the workflow, the user's grants and the votes loaded once
    (a constant number of queries however many documents wait).
    """
    from .services.workflow import available_actions, cached_workflow, votes_by_document

    grants = backend().grants(user)
    if not grants:
        return []
    roles = {g.role for g in grants}
    result = []
    for info in registry.all_doctypes():
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        parts = [
            Q(workflow_state=t.state) if g.units is None else Q(workflow_state=t.state, unit_id__in=g.units)
            for t in loaded.transitions
            if t.allowed.name in roles
            for g in grants
            if g.role == t.allowed.name
        ]
        if not parts:
            continue  # no role of the user acts in this workflow: no query
        q = reduce(or_, parts)
        candidates = list(info.model._default_manager.filter(q).order_by("state_entered_at", "pk")[:limit])
        votes = votes_by_document(info, candidates, loaded.transitions)
        for doc in candidates:
            actions = available_actions(doc, user, loaded=loaded, grants=grants, votes=votes)
            if actions:
                result.append((info, doc, actions))
    result.sort(key=lambda row: row[1].state_entered_at or row[1].created_at)
    return result[:limit]


def _text_field(model, name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist

    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.concrete and field.get_internal_type() in ("CharField", "TextField", "SlugField")


def global_search(user, text: str, *, doctype: str | None = None, limit: int = 20, start: int = 0) -> list[dict]:
    """Documents ``user`` can see whose registration number, letter number or
    title contains ``text``, across every registered doctype (or one): newest
    first, at most ``limit`` per doctype, then cut to ``start:start+limit``."""
    text = (text or "").strip()[:140]
    if len(text) < 2 or not user.is_authenticated:
        return []
    infos = [registry.get(doctype)] if doctype else registry.all_doctypes()
    rows = []
    for info in infos:
        meta = info.model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        q = Q(name__icontains=text) | Q(number__icontains=text)
        title_field = info.title_field if _text_field(info.model, info.title_field) else None
        if title_field and title_field != "name":
            q |= Q(**{f"{title_field}__icontains": text})
        columns = ["pk", "name", "number", "workflow_state", "modified_at"] + (
            [title_field] if title_field and title_field != "name" else []
        )
        for row in visible_documents(info.model, user).filter(q).order_by("-pk").values(*columns)[: start + limit]:
            rows.append(
                {
                    "doctype": info.doctype,
                    "pk": row["pk"],
                    "name": row["name"],
                    "number": row["number"],
                    "title": str(row.get(title_field) or row["name"]) if title_field else row["name"],
                    "workflow_state": row["workflow_state"],
                    "modified_at": row["modified_at"],
                    "model": info.model,
                }
            )
    rows.sort(key=lambda r: r["modified_at"], reverse=True)
    return rows[start : start + limit]
