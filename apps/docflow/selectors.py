"""Reads. One selector decides which documents a user sees; the desk, the
API, the reports and file downloads all go through it."""

from collections.abc import Sequence
from functools import reduce
from operator import or_

from django.db.models import F, Func, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from . import conditions, registry
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
    """The filter for what ``user`` sees of ``model`` (None: everything).

    A document is seen in its owning unit's reach, in the reach of each of
    its additional units (joint ownership, ``DocumentUnit``), by its creator,
    by committees in the states that wait for them, and by whoever a
    sub-task of it is addressed to."""
    from .models import DocumentUnit, SubTask
    from .services.subtasks import addressed_to_user_q

    if user.is_superuser:
        return None
    units = backend().visible_units(user)
    if units is None:
        return None
    doctype = registry.for_model(model).doctype
    q = Q(unit_id__in=units) | Q(created_by_id=user.pk)
    q |= Q(pk__in=DocumentUnit.objects.filter(doctype=doctype, unit_id__in=units).values("document_id"))
    q |= Q(pk__in=SubTask.objects.filter(addressed_to_user_q(user), doctype=doctype).values("document_id"))
    committee_roles = {g.role for g in backend().grants(user) if g.committee}
    states = _committee_states(doctype, committee_roles)
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


def inbox_for_user(user, *, limit: int = 1000) -> "InboxRows":
    """What waits for ``user``: (doctype info, document, duties), oldest first.

    A duty is an action the user can take now (a step, a vote), an action
    their role would take once they fill what its condition asks for
    (``Action.missing`` says what), or a sub-task addressed to them
    (``Action.kind == "subtask"``). Steps waiting only for other people's
    sub-tasks, conditions naming someone else and dates not yet reached are
    not the user's duty.

    A sequence that pages itself (``len`` and slices; a Paginator takes it as
    it is). Candidates come from one indexed query per document type: the
    states where the user's roles have a transition, within the units those
    roles cover or own jointly. Where a transition's checks translate into SQL
    (its condition, see ``conditions.to_q``; self-approval; no quorum) and a
    blocked step cannot be the user's duty (they cannot fill the document in
    that state, no ``duty_when_blocked``), the query itself is exact: it counts
    the documents and reads only the page asked for. The rest (conditions SQL
    cannot say, quorum votes, possible duties, joint documents, sub-tasks) are
    checked per document in Python, with the workflow, the user's grants, the
    joint units and the votes loaded once. The query count is constant however
    many documents wait.
    """
    from .models import DocumentUnit, SubTask
    from .services.subtasks import open_for_user_q
    from .services.workflow import cached_workflow

    grants = backend().grants(user)
    roles = {g.role for g in grants}
    # joint ownership: the documents the units of the user's grants own jointly (one query)
    grant_units = frozenset().union(*(g.units for g in grants if g.units))
    joint_rows = (
        list(DocumentUnit.objects.filter(unit_id__in=grant_units).values_list("doctype", "document_id", "unit_id"))
        if grant_units
        else []
    )
    # sub-tasks waiting for the user (one query)
    tasks: dict = {}
    for task in SubTask.objects.filter(open_for_user_q(user)).select_related("unit", "assignee").order_by("pk"):
        tasks.setdefault(task.doctype, []).append(task)
    sources = []
    for info in registry.all_doctypes():
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        joint: dict = {}
        for doctype, doc_id, unit in joint_rows:
            if doctype == info.doctype:
                joint.setdefault(doc_id, set()).add(unit)
        steps = []  # (transition, grant, its condition as SQL or None)
        for t in loaded.transitions:
            if t.allowed.name not in roles:
                continue
            state = loaded.states.get(t.state)
            may_fill = state is not None and state.allow_edit is not None and state.allow_edit.name in roles
            # a step the user could unblock by filling the document is a duty
            # even where its condition fails, so its SQL is exact only when it
            # has no condition (then no document of the state is blocked)
            sql = t.quorum <= 1 and not t.duty_when_blocked and (not may_fill or not (t.condition or "").strip())
            condition = conditions.to_q(t.condition, info.model) if sql else None
            for g in grants:
                if g.role != t.allowed.name:
                    continue
                if condition is None and may_fill and _always_a_duty(info, state, t, g, grants):
                    steps.append((t, g, Q()))  # enabled or the user's to fill: every document of the state
                else:
                    steps.append((t, g, condition))
        # a step open to every document of a state in a grant's units makes
        # them all duties: the other steps there need no check in Python
        whole = {(t.state, g.units) for t, g, c in steps if c is not None and not c and t.allow_self_approval}
        exact, checked = [], []
        for t, g, condition in steps:
            part = Q(workflow_state=t.state) if g.units is None else Q(workflow_state=t.state, unit_id__in=g.units)
            shared = [doc_id for doc_id, units in joint.items() if g.units is not None and units & g.units]
            if shared:
                checked.append(Q(workflow_state=t.state, pk__in=shared))
            if condition is None:
                if (t.state, g.units) not in whole and (t.state, None) not in whole:
                    checked.append(part)
                continue
            if not t.allow_self_approval:
                part &= ~Q(created_by_id=user.pk)
            exact.append(part & condition)
        waiting = tasks.get(info.doctype, [])
        if waiting:
            checked.append(Q(pk__in={t.document_id for t in waiting}))
        if exact or checked:  # no role of the user acts in this workflow and nothing asked of them: no query
            sources.append(
                (
                    info,
                    loaded,
                    reduce(or_, exact) if exact else None,
                    reduce(or_, checked) if checked else None,
                    waiting,
                    [r for r in joint_rows if r[0] == info.doctype],
                )
            )
    return InboxRows(user, grants, sources, limit)


def _always_a_duty(info, state, transition, grant, grants) -> bool:
    """Whether ``transition`` is the user's duty on every document of its
    state within ``grant``'s units, met or not: a blocked step is a duty
    when what its condition misses are fields the user may fill in now
    (``available_actions``: ``_fillable``). Decided from the definitions
    alone when the condition names nothing but concrete fields of the
    document that the state's editing role writes, and the user holds that
    role over all of the grant's units."""
    from .services.workflow import process_fields

    if transition.quorum > 1 or transition.require_subtasks_done or state is None or state.is_final:
        return False
    if info.locked_fields is not None:  # permission levels: editable fields depend on the document
        return False
    named = conditions.fields_named(transition.condition)
    if not named:
        return False
    if not named <= process_fields(info.model).keys():
        return False
    editor = state.allow_edit.name
    return any(
        g.role == editor
        and not g.committee
        and (g.units is None or (grant.units is not None and grant.units <= g.units))
        for g in grants
    )


def _inbox_key(doc):
    return (doc.state_entered_at or doc.created_at, doc.pk)


class InboxRows(Sequence):
    """The inbox, read page by page (see ``inbox_for_user``)."""

    def __init__(self, user, grants, sources, limit):
        self.user, self.grants, self.sources, self.limit = user, grants, sources, limit
        self._checked = None  # [(info, doc, duties)] of the documents Python checks
        self._heads = {}  # stop -> ([(info, loaded, doc)] first ``stop`` exact rows, totals)

    def _duties(self, doc, loaded, votes):
        """What the user can do on ``doc`` now or must fill in to do it."""
        from .services.workflow import available_actions

        found = available_actions(doc, self.user, loaded=loaded, grants=self.grants, votes=votes, include_blocked=True)
        return [a for a in found if a.enabled or a.duty]

    def _checked_rows(self):
        from . import reader
        from .scope import cached
        from .services.workflow import (
            Action,
            prime_additional_units,
            subtask_owner,
            votes_by_document,
        )

        if self._checked is not None:
            return self._checked
        self._checked = []
        with cached():
            for info, loaded, exact, checked, waiting, joint_rows in self.sources:
                if checked is None:
                    continue
                qs = info.model._default_manager.filter(checked)
                if exact is not None:
                    qs = qs.exclude(pk__in=info.model._default_manager.filter(exact).values("pk"))
                candidates = list(qs.order_by("state_entered_at", "pk")[: self.limit])
                prime_additional_units(info, candidates, joint_rows)
                votes = votes_by_document(info, candidates, loaded.transitions)
                names = set().union(*(reader.link_names_in(t.condition) for t in loaded.transitions))
                if names:
                    reader.prime_links(info.model, candidates, names)
                by_doc: dict = {}
                for task in waiting:
                    by_doc.setdefault(task.document_id, []).append(task)
                for doc in candidates:
                    duties = self._duties(doc, loaded, votes)
                    for task in by_doc.get(doc.pk, []):
                        duties.append(
                            Action(
                                action=_("Jawab permintaan data/tugas"),
                                next_state="",
                                role="",
                                require_comment=False,
                                require_attachment=False,
                                on_behalf_of="",
                                quorum=1,
                                kind="subtask",
                                missing=task.instruction,
                                acting_as=subtask_owner(task),
                                subtask_id=task.pk,
                            )
                        )
                    if duties:
                        self._checked.append((info, doc, duties))
        return self._checked

    def _exact_rows(self, stop):
        """The first ``stop`` rows of each exact query (one query per doctype,
        the count of all its rows riding along) and the total."""
        stop = max(stop, 50)
        if stop not in self._heads:
            rows, total = [], 0
            for info, loaded, exact, _checked, _waiting, _joint in self.sources:
                if exact is None:
                    continue
                manager = info.model._default_manager
                # the count rides along as an uncorrelated subquery, computed once
                # (a window would make the database read every row's columns)
                count = manager.filter(exact).order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")
                docs = list(
                    manager.filter(exact)
                    .annotate(_inbox_total=Subquery(count))
                    .order_by(Coalesce("state_entered_at", "created_at"), "pk")[:stop]
                )
                total += docs[0]._inbox_total if docs else 0
                rows += [(info, loaded, doc) for doc in docs]
            self._heads[stop] = (rows, total)
        return self._heads[stop]

    def __len__(self):
        return min(self._exact_rows(0)[1] + len(self._checked_rows()), self.limit)

    def __iter__(self):
        return iter(self[: len(self)])

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        start, stop, step = index.indices(len(self))
        if step != 1:
            return list(self)[index]
        return self._rows(start, stop)

    def _rows(self, start, stop):
        from .services.workflow import votes_by_document

        if stop <= start:
            return []
        exact, _total = self._exact_rows(stop)
        merged = sorted(
            [(_inbox_key(doc), n, None, (info, loaded, doc)) for n, (info, loaded, doc) in enumerate(exact)]
            + [(_inbox_key(row[1]), n, row, None) for n, row in enumerate(self._checked_rows())],
            key=lambda item: (item[0], item[1]),
        )[start:stop]
        # the page's documents from exact queries: their actions (the same checks as the document's buttons)
        page_docs = {}
        for info, loaded, doc in (item[3] for item in merged if item[3] is not None):
            page_docs.setdefault(info.doctype, (info, loaded, []))[2].append(doc)
        votes = {
            doctype: votes_by_document(info, docs, loaded.transitions)
            for doctype, (info, loaded, docs) in page_docs.items()
        }
        result = []
        for _key, _n, row, head in merged:
            if row is None:
                info, loaded, doc = head
                actions = self._duties(doc, loaded, votes[info.doctype])
                if not actions:  # SQL and Python disagree: trust Python, drop the row
                    continue
                row = (info, doc, actions)
            result.append(row)
        return result


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
