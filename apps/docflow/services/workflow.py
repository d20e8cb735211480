"""The workflow runtime: what a user may do with a document now, and doing it.

``apply_action`` is one transaction: it locks the document row, checks that
the state is the one the user saw, checks role, unit scope, delegation,
condition, self-approval, comment, attachment and quorum rules, writes the
immutable log entry, moves the document and runs the hooks for the state it
enters (number it, record its issued letter, notify who acts next). The
letter's PDF is rendered after the step commits (``docflow.issuing``).
"""

import copy
import functools
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import calendar, conditions, issuing, numbering, registry, webhooks
from ..dynamic import customize
from ..exceptions import (
    AlreadyVoted,
    AttachmentRequired,
    CommentRequired,
    ConditionNotMet,
    NoActiveWorkflow,
    OutsideUnitScope,
    RoleNotAllowed,
    SelfApprovalNotAllowed,
    StateConflict,
    SubTasksOpen,
    TransitionNotAvailable,
    VotedInThisStep,
    WorkflowPermissionError,
)
from ..models import (
    DocumentUnit,
    IssuedDocument,
    Notification,
    SubTask,
    Workflow,
    WorkflowLog,
    WorkflowState,
    WorkflowTransition,
    WorkflowVote,
)
from ..scope import RoleGrant, backend, cached, remember


@dataclass
class LoadedWorkflow:
    workflow: Workflow
    states: dict[str, WorkflowState]
    transitions: list[WorkflowTransition]
    initial: WorkflowState

    def transitions_from(self, state: str) -> list[WorkflowTransition]:
        return [t for t in self.transitions if t.state == state]


@dataclass
class Action:
    action: str
    next_state: str
    role: str
    require_comment: bool
    require_attachment: bool
    on_behalf_of: str
    quorum: int
    votes: int = 0
    acting_as: str = ""  # "Plh. Kepala Badan" when the user acts by delegation
    takes_number: bool = False  # the next state numbers the document: the desk asks to confirm
    tone: str = "forward"  # "forward", "back" (returns to an earlier state) or "reject"
    # an action the user's role may take but not yet: what is missing, in words
    missing: str = ""
    duty: bool = True  # a pending duty of the user (inbox): filling the document, a vote, a sub-task
    kind: str = "transition"  # or "subtask": a sub-task waiting for the user's answer
    open_subtasks: list = field(default_factory=list)  # (the sub-tasks a blocked action waits for)
    subtask_id: int | None = None

    @property
    def enabled(self) -> bool:
        return self.kind == "transition" and not self.missing


@dataclass
class ActionResult:
    doc: object
    log: WorkflowLog
    applied: bool
    votes: int = 1
    quorum: int = 1
    issued: IssuedDocument | None = None
    notified: list = field(default_factory=list)


def load_workflow(doctype: str) -> LoadedWorkflow:
    workflow = Workflow.objects.filter(document_type=doctype, is_active=True).first()
    if workflow is None:
        raise NoActiveWorkflow(doctype=doctype)
    states = list(
        workflow.states.select_related("allow_edit", "numbering_series", "print_format", "print_format__letter_head")
    )
    if not states:
        raise NoActiveWorkflow(doctype=doctype)
    transitions = list(workflow.transitions.select_related("allowed"))
    return LoadedWorkflow(workflow, {s.state: s for s in states}, transitions, states[0])


# doctype -> ((workflow pk, modified_at), LoadedWorkflow), per process. Reads
# check the stamp of the active workflows once per request (one query), so a
# workflow edited in another worker is reloaded on the next request. Saving a
# workflow, a state or a transition touches the workflow's ``modified_at``.
_LOADED: dict = {}


def _active_stamps() -> dict:
    return remember(
        ("workflow_stamps",),
        lambda: {
            doctype: (pk, modified)
            for doctype, pk, modified in Workflow.objects.filter(is_active=True).values_list(
                "document_type", "pk", "modified_at"
            )
        },
    )


def cached_workflow(doctype: str) -> LoadedWorkflow:
    """``load_workflow`` for reads (buttons, inbox, visibility, edit rights):
    kept per process while the workflow's stamp is unchanged. Writes
    (``apply_action``, ``document_create``) load afresh."""
    stamp = _active_stamps().get(doctype)
    if stamp is None:
        raise NoActiveWorkflow(doctype=doctype)
    hit = _LOADED.get(doctype)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    loaded = load_workflow(doctype)
    if (loaded.workflow.pk, loaded.workflow.modified_at) == stamp:
        _LOADED[doctype] = (stamp, loaded)
    return loaded


def current_workflow(doctype: str) -> LoadedWorkflow:
    """``load_workflow`` for writes: the active workflow's stamp read now
    (inside the write's transaction, one small query), and the workflow
    this process loaded reused when the stamp still matches it."""
    row = Workflow.objects.filter(document_type=doctype, is_active=True).values_list("pk", "modified_at").first()
    if row is None:
        raise NoActiveWorkflow(doctype=doctype)
    hit = _LOADED.get(doctype)
    if hit is not None and hit[0] == tuple(row):
        return hit[1]
    loaded = load_workflow(doctype)
    if (loaded.workflow.pk, loaded.workflow.modified_at) == tuple(row):
        _LOADED[doctype] = (tuple(row), loaded)
    return loaded


def workflow_definition_changed(workflow_id=None):
    """A state or transition changed: stamp its workflow; forget loaded ones."""
    from ..scope import forget

    if workflow_id is not None:
        Workflow.objects.filter(pk=workflow_id).update(modified_at=timezone.now())
    _LOADED.clear()
    forget()


def additional_units(doc) -> frozenset:
    """The document's additional owning units (joint ownership), loaded once
    per document object; a list sets them for all its rows at once
    (``prime_additional_units``)."""
    units = getattr(doc, "_docflow_units", None)
    if units is None:
        units = frozenset(
            DocumentUnit.objects.filter(doctype=registry.for_model(doc).doctype, document_id=doc.pk).values_list(
                "unit_id", flat=True
            )
        )
        doc._docflow_units = units
    return units


def prime_additional_units(info, docs, rows=None) -> None:
    """Set the additional units of ``docs`` (one query, or from ``rows`` of
    ``(doctype, document_id, unit_id)`` already read)."""
    if rows is None:
        rows = DocumentUnit.objects.filter(doctype=info.doctype, document_id__in=[d.pk for d in docs]).values_list(
            "doctype", "document_id", "unit_id"
        )
    found: dict = {}
    for doctype, document_id, unit_id in rows:
        if doctype == info.doctype:
            found.setdefault(document_id, set()).add(unit_id)
    for doc in docs:
        doc._docflow_units = frozenset(found.get(doc.pk, ()))


def _pick_grant(grants: list[RoleGrant], role: str, unit_id, doc=None) -> RoleGrant | None:
    """A direct grant before a delegated one; a unit grant before a committee
    one. With ``doc``, a grant over one of its additional units also counts
    (joint ownership; read only when no grant covers the owning unit)."""
    matching = [g for g in grants if g.role == role and g.covers(unit_id)]
    if not matching and doc is not None and any(g.role == role and g.units for g in grants):
        extra = additional_units(doc)
        matching = [g for g in grants if g.role == role and g.units and g.units & extra]
    matching.sort(key=lambda g: (g.on_behalf_of is not None, g.committee))
    return matching[0] if matching else None


def _votes(doc, info, transition, votes=None) -> set:
    if votes is not None:
        return votes.get((doc.pk, doc.state_seq, transition.action), set())
    return set(
        WorkflowVote.objects.filter(
            doctype=info.doctype, document_id=doc.pk, state_seq=doc.state_seq, action=transition.action
        ).values_list("user_id", flat=True)
    )


def open_subtasks(doc, info=None) -> list:
    """The sub-tasks of the document's current state visit still open."""
    info = info or registry.for_model(doc)
    cached = getattr(doc, "_docflow_open_subtasks", None)
    if cached is not None and cached[0] == doc.state_seq:
        return cached[1]
    tasks = list(
        SubTask.objects.filter(
            doctype=info.doctype, document_id=doc.pk, state_seq=doc.state_seq, status__in=SubTask.OPEN_STATUSES
        ).select_related("unit", "assignee")
    )
    doc._docflow_open_subtasks = (doc.state_seq, tasks)
    return tasks


def subtask_owner(task) -> str:
    """ "Bidang Politik (Rina)": whose a sub-task is."""
    unit = backend().unit_label(task.unit_id)
    if task.assignee_id:
        return f"{unit} ({backend().person(task.assignee).name})"
    return unit


# How far a refusal got through the checks: the most relevant one among
# same-named transitions is the one that got furthest.
_RELEVANCE = (RoleNotAllowed, OutsideUnitScope, SelfApprovalNotAllowed, AlreadyVoted, ConditionNotMet, SubTasksOpen)


def _relevance(exc) -> int:
    for rank, kind in reversed(list(enumerate(_RELEVANCE))):
        if isinstance(exc, kind):
            return rank
    return -1


def _check_transition(doc, transition, user, grants, info, *, loaded=None, votes=None) -> RoleGrant:
    """The grant that lets ``user`` take ``transition`` on ``doc``, or the refusal."""
    role = transition.allowed.name
    if not any(g.role == role for g in grants):
        raise RoleNotAllowed(action=transition.action, role=role)
    grant = _pick_grant(grants, role, doc.unit_id, doc)
    if grant is None:
        raise OutsideUnitScope(unit=backend().unit_label(doc.unit_id))
    if not transition.allow_self_approval and doc.created_by_id == user.pk:
        raise SelfApprovalNotAllowed()
    if loaded is not None:
        # a committee member who has voted in this visit of the state is done
        # with it: no second vote, and no other action of the role alone
        for other in loaded.transitions_from(doc.workflow_state):
            if other.quorum > 1 and other.allowed_id == transition.allowed_id:
                if user.pk in _votes(doc, info, other, votes):
                    if other.action == transition.action:
                        raise AlreadyVoted(action=transition.action)
                    raise VotedInThisStep(action=transition.action, voted=other.action)
    _check_docstatus_permission(doc, transition, user, info)
    if not conditions.evaluate(transition.condition, doc, user):
        explanation = conditions.explain(transition.condition, doc, user, transition.condition_description)
        if explanation is None:  # holds now (a lookup changed in between): explain it plainly
            explanation = conditions.Explanation(transition.condition_description or transition.condition, "other")
        raise ConditionNotMet(action=transition.action, condition=transition.condition, explanation=explanation)
    if transition.require_subtasks_done:
        tasks = open_subtasks(doc, info)
        if tasks:
            raise SubTasksOpen(
                action=transition.action, open=", ".join(subtask_owner(t) for t in tasks), open_tasks=tasks
            )
    return grant


def _check_docstatus_permission(doc, transition, user, info) -> None:
    """Frappe's submit and cancel rights (DocPerm) on a data-defined doctype:
    a step into a submitted (1) or cancelled (2) state needs them too."""
    if info.permission is None:  # code-defined: no DocPerm rights, no workflow lookup on the hot path
        return
    target = cached_workflow(info.doctype).states.get(transition.next_state)
    needed = {1: "submit", 2: "cancel"}.get(getattr(target, "doc_status", 0))
    if needed and doc.docstatus != target.doc_status and not info.allows(user, needed):
        raise WorkflowPermissionError(
            _("Peran Anda tidak berwenang %(what)s %(doctype)s.")
            % {"what": _("mengajukan") if needed == "submit" else _("membatalkan"), "doctype": info.doctype}
        )


def votes_by_document(info, docs, transitions) -> dict:
    """``{(document id, state_seq, action): {voter ids}}`` for the quorum
    transitions among ``transitions``, in one query for all ``docs``."""
    actions = {t.action for t in transitions if t.quorum > 1}
    ids = [d.pk for d in docs]
    result: dict = {}
    if not actions or not ids:
        return result
    rows = WorkflowVote.objects.filter(doctype=info.doctype, document_id__in=ids, action__in=actions).values_list(
        "document_id", "state_seq", "action", "user_id"
    )
    for doc_id, seq, action, user_id in rows:
        result.setdefault((doc_id, seq, action), set()).add(user_id)
    return result


def _fillable(doc, user, explanation) -> bool:
    """The missing parts are fields ``user`` may fill in now: their duty."""
    if explanation.kind != "fields" or not explanation.fields:
        return False
    writable = process_fields(type(doc))
    if not all(name in writable for name in explanation.fields):
        return False
    return {writable[name] for name in explanation.fields} <= editable_fields(doc, user)


def available_actions(
    doc, user, *, loaded=None, grants=None, votes=None, include_blocked: bool = False
) -> list[Action]:
    """The actions ``user`` can take on ``doc`` now: the same checks that
    ``apply_action`` enforces, so a button is shown only when it would work.

    With ``include_blocked``, also the actions the user's role may take but
    not yet, each with what is missing in words (``missing``): a condition
    not met, sub-tasks still open (which and whose). A condition that names
    the user (a disposition addressed to someone else) is not theirs.

    A list of many documents passes the workflow, the user's grants and the
    votes (``votes_by_document``) it loaded once."""
    info = registry.for_model(doc)
    if not user.is_authenticated:
        return []
    if loaded is None:
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            return []
    if grants is None:
        grants = backend().grants(user)
    transitions = loaded.transitions_from(doc.workflow_state)
    if votes is None and any(t.quorum > 1 for t in transitions):
        votes = votes_by_document(info, [doc], transitions)
    chosen: dict[str, Action] = {}
    order: list[str] = []
    for transition in transitions:
        current = chosen.get(transition.action)
        if current is not None and current.enabled:
            continue
        missing, duty, waiting = "", True, []
        try:
            grant = _check_transition(doc, transition, user, grants, info, loaded=loaded, votes=votes)
        except ConditionNotMet as exc:
            if not include_blocked or exc.explanation.kind == "user":
                continue
            grant = _pick_grant(grants, transition.allowed.name, doc.unit_id, doc)
            missing, duty = exc.explanation.text, transition.duty_when_blocked or _fillable(doc, user, exc.explanation)
        except SubTasksOpen as exc:
            if not include_blocked:
                continue
            grant = _pick_grant(grants, transition.allowed.name, doc.unit_id, doc)
            missing, duty, waiting = exc.message, False, exc.open_tasks
        except (WorkflowPermissionError, AlreadyVoted):
            continue
        if current is not None and missing:
            continue  # a same-named action is already listed as blocked
        voters = _votes(doc, info, transition, votes) if transition.quorum > 1 else set()
        if transition.action not in chosen:
            order.append(transition.action)
        chosen[transition.action] = Action(
            action=transition.action,
            next_state=transition.next_state,
            role=transition.allowed.name,
            require_comment=transition.require_comment,
            require_attachment=transition.require_attachment,
            on_behalf_of=transition.on_behalf_of,
            quorum=transition.quorum,
            votes=len(voters),
            acting_as=grant.label if grant else "",
            missing=missing,
            duty=duty,
            open_subtasks=waiting,
            takes_number=_takes_number(loaded, doc, transition),
            tone=action_tone(loaded, transition),
        )
    return [chosen[name] for name in order]


# words of an action that refuses or undoes (Indonesian, as the workflows name them)
REJECT_WORDS = re.compile(r"\b(tolak|batalkan|cabut|musnahkan|tidak)", re.IGNORECASE)


def _takes_number(loaded, doc, transition) -> bool:
    target = loaded.states.get(transition.next_state)
    return bool(target and target.numbering_series_id and (not doc.number or target.print_format_id))


def action_tone(loaded, transition) -> str:
    """How the desk draws a button: a refusal or cancellation ("reject"), a
    return to an earlier state ("back"), else going forward."""
    source, target = loaded.states.get(transition.state), loaded.states.get(transition.next_state)
    if (target and target.doc_status == 2) or REJECT_WORDS.search(transition.action):
        return "reject"
    order = list(loaded.states)
    if source and target and order.index(target.state) < order.index(source.state):
        return "back"
    if re.search(r"\bkembalikan\b", transition.action, re.IGNORECASE):
        return "back"
    return "forward"


def _choose_transition(doc, action: str, user, grants, info, loaded) -> tuple[WorkflowTransition, RoleGrant]:
    """The transition named ``action`` the user may take; else the most
    relevant refusal among same-named ones (the one that got furthest: a
    missing field before "only role X")."""
    candidates = [t for t in loaded.transitions_from(doc.workflow_state) if t.action == action]
    if not candidates:
        raise TransitionNotAvailable(action=action, state=doc.workflow_state)
    best = None
    for transition in candidates:
        try:
            return transition, _check_transition(doc, transition, user, grants, info, loaded=loaded)
        except (WorkflowPermissionError, AlreadyVoted, ConditionNotMet, SubTasksOpen) as exc:
            if best is None or _relevance(exc) > _relevance(best):
                best = exc
    raise best


def _remembering(service):
    """Run ``service`` inside one ``scope.cached()`` block: a step, a new
    document or an edit outside a request (a background job, the demo loader,
    a management command) asks who holds which role over which unit once, as
    a request does, and shares grants across calls as requests do."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        with cached():
            return service(*args, **kwargs)

    return wrapper


@_remembering
def apply_action(
    *,
    doc,
    action: str,
    user,
    comment: str = "",
    attachments=(),
    expected_state: str | None = None,
) -> ActionResult:
    info = registry.for_model(doc)
    model = type(doc)
    comment = (comment or "").strip()
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=doc.pk)
        if expected_state is not None and locked.workflow_state != expected_state:
            raise StateConflict(current=locked.workflow_state, expected=expected_state)
        loaded = current_workflow(info.doctype)
        grants = backend().grants(user)
        transition, grant = _choose_transition(locked, action, user, grants, info, loaded)
        if transition.require_comment and not comment:
            raise CommentRequired(action=action)
        attachments = list(attachments)
        if transition.require_attachment and not attachments:
            raise AttachmentRequired(action=action)

        log_fields = dict(
            doctype=info.doctype,
            document_id=locked.pk,
            document_name=locked.name,
            action=action,
            from_state=locked.workflow_state,
            user=user,
            role=transition.allowed.name,
            on_behalf_of_user=grant.on_behalf_of,
            delegation_label=grant.label,
            on_behalf_of=transition.on_behalf_of,
            comment=comment,
        )

        if transition.quorum > 1:
            voters = _votes(locked, info, transition)
            if user.pk in voters:
                raise AlreadyVoted(action=action)
            try:
                with transaction.atomic():
                    WorkflowVote.objects.create(
                        doctype=info.doctype,
                        document_id=locked.pk,
                        state_seq=locked.state_seq,
                        action=action,
                        user=user,
                    )
            except IntegrityError:
                raise AlreadyVoted(action=action) from None
            count = len(voters) + 1
            if count < transition.quorum:
                log = WorkflowLog.objects.create(
                    kind=WorkflowLog.Kind.VOTE, to_state=locked.workflow_state, **log_fields
                )
                if attachments:
                    log.attachments.set(attachments)
                _attach_files(attachments, info.doctype, locked.name)
                return ActionResult(doc=_refresh(doc), log=log, applied=False, votes=count, quorum=transition.quorum)
        else:
            count = 1

        log = WorkflowLog.objects.create(kind=WorkflowLog.Kind.TRANSITION, to_state=transition.next_state, **log_fields)
        if attachments:  # a new entry has none: no query to find that out
            log.attachments.set(attachments)
        _attach_files(attachments, info.doctype, locked.name)
        before = locked.docstatus
        issued, notified = _enter_state(locked, loaded, transition.next_state, user, log, info)
        _fire_transition(locked, before, user)
        for listener in registry.transition_listeners():
            transaction.on_commit(lambda listener=listener, doc=locked, log=log: listener(doc, log))
    return ActionResult(
        doc=_refresh(doc),
        log=log,
        applied=True,
        votes=count,
        quorum=transition.quorum,
        issued=issued,
        notified=notified,
    )


def _fire_transition(doc, docstatus_before: int, user) -> None:
    """Document events of a workflow step (webhooks), in the step's transaction."""
    webhooks.fire(doc, "workflow_transition", user=user)
    if docstatus_before == 0 and doc.docstatus == 1:
        webhooks.fire(doc, "on_submit", user=user)
    elif docstatus_before == 1 and doc.docstatus == 2:
        webhooks.fire(doc, "on_cancel", user=user)


def _refresh(doc):
    doc.refresh_from_db()
    return doc


def _attach_files(files, doctype, name):
    for f in files:
        if not f.attached_to_doctype:
            f.attached_to_doctype, f.attached_to_name = doctype, name
            f.save(update_fields=["attached_to_doctype", "attached_to_name"])


def _full_clean(doc, before, exclude=()) -> None:
    """``doc.full_clean()``, without looking up again what a database
    constraint already guarantees and ``doc`` still holds as ``before`` had
    it: a filled-in foreign key (one query each) or unique value (one query
    each). Every other check runs, those of unchanged fields included (a
    field made mandatory since still stops the save); a field that a model
    constraint or ``unique_together`` ties to others is always checked."""
    opts = doc._meta
    skip = set(exclude)
    if before is not None:
        tied = {name for together in opts.unique_together for name in together}
        simple = True  # every constraint names its fields
        for constraint in opts.constraints:
            tied |= set(getattr(constraint, "fields", ()) or ())
            condition = getattr(constraint, "condition", None)
            referenced = getattr(condition, "referenced_base_fields", None)
            if getattr(constraint, "expressions", ()) or (condition is not None and referenced is None):
                simple = False
            tied |= referenced or set()
        for f in opts.concrete_fields if simple else ():
            value = getattr(doc, f.attname)
            if (
                (f.many_to_one or f.one_to_one or (f.unique and not f.primary_key))
                and f.name not in tied
                and value not in (None, "")
                and value == getattr(before, f.attname)
            ):
                skip.add(f.name)
    doc.full_clean(exclude=sorted(skip))


def _enter_state(doc, loaded: LoadedWorkflow, state_name: str, user, log, info):
    state = loaded.states[state_name]
    before = copy.copy(doc)
    now = timezone.now()
    # sub-tasks still open in the visit being left are moot: close them
    SubTask.objects.filter(
        doctype=info.doctype, document_id=doc.pk, state_seq=doc.state_seq, status__in=SubTask.OPEN_STATUSES
    ).update(status=SubTask.Status.CANCELLED, closed_at=now)
    doc.workflow_state = state.state
    doc.docstatus = state.doc_status
    doc.state_seq += 1
    doc.state_entered_at = now
    doc.due_at = None if state.is_final else calendar.due_at(now, state.sla_days)
    doc.modified_by = user
    if state.update_field:
        setattr(doc, state.update_field, state.update_value)
    letter_number = None
    if state.numbering_series_id and (not doc.number or state.print_format_id):
        # a document may issue several letters (a nota dinas, later a notice):
        # each issued letter takes its own number; the document keeps its first
        letter_number = numbering.next_number(state.numbering_series, doc=doc, when=now)
        if not doc.number:
            doc.number = letter_number
            doc.number_date = timezone.localdate(now)
    if info.on_enter_state:
        info.on_enter_state(doc, state, log)
    _full_clean(doc, before, exclude=["unit", "created_by", "modified_by"])
    doc.save()
    issued = None
    if state.print_format_id:
        valid_until = getattr(doc, info.valid_until_field) if info.valid_until_field else None
        print_format = info.print_format_for(doc, state.print_format) if info.print_format_for else state.print_format
        issued = issuing.issue_document(
            doc, print_format=print_format, user=user, log=log, valid_until=valid_until, number=letter_number
        )
    notified = notify_next(doc, loaded, state, exclude_user=user, info=info)
    return issued, notified


def notify_next(doc, loaded: LoadedWorkflow, state: WorkflowState, *, exclude_user=None, info=None) -> list:
    """In-app notifications to everyone who can act on ``doc`` in ``state``."""
    info = info or registry.for_model(doc)
    users = {}
    roles = dict.fromkeys(t.allowed.name for t in loaded.transitions_from(state.state))  # each role once
    for role in roles:
        for user in backend().users_for_role(role, doc.unit_id):
            if not user.has_usable_password():
                continue  # system accounts (the portal) read no notifications
            if exclude_user is None or user.pk != exclude_user.pk:
                users[user.pk] = user
    title = str(getattr(doc, info.title_field, "") or doc.name)
    # Earlier "waiting for you" notices of this document are past: say where it went, and they count as read.
    Notification.objects.filter(
        doctype=info.doctype,
        document_name=doc.name,
        subject=_("%(doctype)s %(name)s menunggu tindakan Anda") % {"doctype": info.doctype, "name": doc.name},
    ).update(
        subject=_("%(doctype)s %(name)s sudah ditindaklanjuti") % {"doctype": info.doctype, "name": doc.name},
        message=_("%(title)s sudah berpindah ke status %(state)s; tidak lagi menunggu tindakan Anda.")
        % {"title": title, "state": state.state},
        read_at=Coalesce(F("read_at"), Value(timezone.now())),
    )
    Notification.objects.bulk_create(
        Notification(
            user=user,
            subject=_("%(doctype)s %(name)s menunggu tindakan Anda") % {"doctype": info.doctype, "name": doc.name},
            message=_("%(title)s kini berstatus %(state)s.") % {"title": title, "state": state.state},
            doctype=info.doctype,
            document_name=doc.name,
            url=registry.desk_url(doc),
        )
        for user in users.values()
    )
    return list(users.values())


# --- creating and editing documents -------------------------------------------


@_remembering
def document_create(*, model, user, data: dict, unit=None):
    """Create a document of ``model`` in the initial state of its workflow."""
    info = registry.for_model(model)
    loaded = current_workflow(info.doctype)
    data, rows = _split_children(info, data)
    data, custom = customize.split(info.doctype, data)
    data, m2m = _split_m2m(model, data)
    with transaction.atomic():
        doc = model(**data)
        customize.apply(doc, info.doctype, custom, user)
        now = timezone.now()
        doc.unit_id = unit.pk if hasattr(unit, "pk") else (unit or doc.unit_id or backend().default_unit(info, user))
        doc._docflow_rows = rows  # the child rows being saved, for a validate hook computing from them
        if info.validate:
            info.validate(doc, user, None)
        doc.process_code = info.process_code
        doc.created_by = doc.modified_by = user
        doc.created_at = now
        doc.workflow_state = loaded.initial.state
        doc.docstatus = loaded.initial.doc_status
        doc.state_entered_at = now
        doc.due_at = calendar.due_at(now, loaded.initial.sla_days)
        doc.name = numbering.render(info.autoname, _next_name_seq(info, now), timezone.localtime(now), doc)
        if loaded.initial.numbering_series_id and not doc.number:
            doc.number = numbering.next_number(loaded.initial.numbering_series, doc=doc, when=now)
            doc.number_date = timezone.localdate(now)
        if info.on_enter_state:
            info.on_enter_state(doc, loaded.initial, None)
        doc.full_clean()
        doc.save()
        for name, value in m2m.items():
            getattr(doc, name).set(value)
        _save_children(doc, info, rows)
        extra = {backend().unit_by_code(code) for code in info.additional_units} - {None, doc.unit_id}
        DocumentUnit.objects.bulk_create(
            DocumentUnit(doctype=info.doctype, document_id=doc.pk, unit_id=u, added_by=user) for u in sorted(extra)
        )
        if info.after_create:
            info.after_create(doc, user)
        WorkflowLog.objects.create(
            kind=WorkflowLog.Kind.CREATE,
            doctype=info.doctype,
            document_id=doc.pk,
            document_name=doc.name,
            action=_("Dibuat"),
            to_state=doc.workflow_state,
            user=user,
        )
        notify_next(doc, loaded, loaded.initial, exclude_user=user, info=info)
        webhooks.fire(doc, "after_insert", user=user)
    return doc


def document_units_set(*, doc, user, units) -> frozenset:
    """Set the additional owning units of ``doc`` (joint ownership). Only who
    may edit the document now, or holds its current step, may; the owning
    unit is never an additional one."""
    from .subtasks import can_request

    info = registry.for_model(doc)
    wanted = {getattr(u, "pk", u) for u in units} - {None}
    with transaction.atomic():
        locked = type(doc)._default_manager.select_for_update().get(pk=doc.pk)
        if not (can_edit(locked, user) or can_request(locked, user)):
            raise WorkflowPermissionError(
                _("Unit pemilik tambahan hanya dapat diubah oleh pemegang tahap %(state)s.")
                % {"state": locked.workflow_state}
            )
        wanted.discard(locked.unit_id)
        current = set(
            DocumentUnit.objects.filter(doctype=info.doctype, document_id=locked.pk).values_list("unit_id", flat=True)
        )
        DocumentUnit.objects.filter(doctype=info.doctype, document_id=locked.pk, unit_id__in=current - wanted).delete()
        DocumentUnit.objects.bulk_create(
            DocumentUnit(doctype=info.doctype, document_id=locked.pk, unit_id=u, added_by=user)
            for u in sorted(wanted - current)
        )
        if wanted != current:
            label = ", ".join(backend().unit_label(u) for u in sorted(wanted)) or "-"
            WorkflowLog.objects.create(
                kind=WorkflowLog.Kind.UNITS,
                doctype=info.doctype,
                document_id=locked.pk,
                document_name=locked.name,
                action=(_("Unit pemilik tambahan: %(units)s") % {"units": label})[:140],
                from_state=locked.workflow_state,
                to_state=locked.workflow_state,
                user=user,
            )
    doc._docflow_units = frozenset(wanted)
    return frozenset(wanted)


def _next_name_seq(info, now) -> int:
    from ..models import NamingSeries

    series, _created = NamingSeries.objects.get_or_create(
        key=f"name:{info.doctype}",
        defaults={
            "pattern": info.autoname,
            "description": _("Nomor registrasi %(doctype)s") % {"doctype": info.doctype},
        },
    )
    counter = numbering._locked_counter(series, numbering.period_of(series, timezone.localtime(now)))
    counter.current += 1
    counter.save(update_fields=["current"])
    return counter.current


# The engine's own fields: set by the workflow runtime, never by a form or the API.
ENGINE_FIELDS = frozenset(
    {
        "id", "name", "workflow_state", "docstatus", "unit", "process_code", "number", "number_date",
        "state_entered_at", "due_at", "state_seq", "created_by", "created_at", "modified_by", "modified_at",
    }
)  # fmt: skip


def process_fields(model) -> dict[str, str]:
    """The fields of ``model`` a form or the API may ever write (editable,
    concrete or many-to-many, not the engine's), keyed by name and by column
    name (``unit_id``) to the field's name. Who may write them now is
    ``editable_fields``."""
    names = {}
    for f in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if f.editable and f.name not in ENGINE_FIELDS:
            names[f.name] = names[f.attname] = f.name
    return names


def _split_m2m(model, data: dict) -> tuple[dict, dict]:
    m2m = {f.name for f in model._meta.many_to_many}
    return {k: v for k, v in data.items() if k not in m2m}, {k: v for k, v in data.items() if k in m2m}


def _split_children(info, data: dict) -> tuple[dict, dict]:
    """Child-table rows (lists of dicts, by the Table field's name) apart from the values."""
    if not info.children:
        return data, {}
    return (
        {k: v for k, v in data.items() if k not in info.children},
        {k: v for k, v in data.items() if k in info.children},
    )


CHILD_META = ("name", "idx", "parent", "parentfield", "parenttype", "doctype", "owner", "creation", "modified",
              "modified_by", "docstatus", "id")  # fmt: skip


def _save_children(doc, info, rows: dict) -> None:
    """Replace the rows of each given child table, validated row by row
    (errors name the table and the row), inside the caller's transaction."""
    errors = {}
    for fieldname, given in rows.items():
        child = info.children[fieldname]
        if not isinstance(given, (list, tuple)):
            raise ValidationError(
                {fieldname: [_("Isi tabel %(field)s harus berupa daftar baris.") % {"field": fieldname}]}
            )
        child._default_manager.filter(parent=doc).delete()
        for idx, row in enumerate(given, start=1):
            if isinstance(row, child):
                values = {
                    f.attname: getattr(row, f.attname)
                    for f in child._meta.concrete_fields
                    if f.name not in ("id", "parent", "idx")
                }
            elif isinstance(row, dict):
                values = {k: v for k, v in row.items() if k not in CHILD_META}
            else:
                raise ValidationError(
                    {fieldname: [_("Baris %(n)s tabel %(field)s tidak sah.") % {"n": idx, "field": fieldname}]}
                )
            unknown = [k for k in values if _field_name(child, k) is None]
            if unknown:
                errors.setdefault(fieldname, []).append(
                    _("Baris %(n)s: field tidak dikenal: %(fields)s") % {"n": idx, "fields": ", ".join(unknown)}
                )
                continue
            record = child(parent=doc, idx=idx)
            for key, value in values.items():
                field = child._meta.get_field(_field_name(child, key))
                try:
                    value = field.to_python(value) if not field.is_relation else value
                except ValidationError as exc:
                    errors.setdefault(fieldname, []).append(
                        f"{_('Baris')} {idx} {field.verbose_name}: {' '.join(exc.messages)}"
                    )
                    continue
                setattr(record, field.attname if field.is_relation and not hasattr(value, "pk") else field.name, value)
            try:
                record.full_clean(exclude=["parent"])
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    label = child._meta.get_field(name).verbose_name if _field_name(child, name) else name
                    errors.setdefault(fieldname, []).extend(f"{_('Baris')} {idx} {label}: {m}" for m in messages)
                continue
            record.save()
    if errors:
        raise ValidationError(errors)


def can_edit(doc, user) -> bool:
    """Frappe's allow_edit: only the state's editing role, within unit scope."""
    if doc.pk is None:
        return True
    try:
        loaded = cached_workflow(registry.for_model(doc).doctype)
    except NoActiveWorkflow:
        return False
    state = loaded.states.get(doc.workflow_state)
    if state is None or state.allow_edit is None or state.is_final:
        return False
    return _pick_grant(backend().grants(user), state.allow_edit.name, doc.unit_id, doc) is not None


def editable_fields(doc, user) -> frozenset:
    """The fields ``user`` may write on ``doc`` now, by the engine's rule: every
    field of the process (never the engine's) for the state's editing role,
    only the doctype's ``allow_on_submit`` fields on a submitted document, else
    none. The desk may lock more (its read-only fields); never fewer."""
    info = registry.for_model(doc)
    every = (
        frozenset(process_fields(type(doc)).values())
        | frozenset(info.children)
        | frozenset(customize.names(info.doctype))
    )
    if info.locked_fields is not None:  # permission levels of a data-defined doctype
        every -= frozenset(info.locked_fields(doc, user))
    if can_edit(doc, user):
        return every
    if doc.docstatus == 1:
        return every & frozenset(info.allow_on_submit)
    return frozenset()


def validate_document(doc, user) -> None:
    """Run the doctype's ``validate`` hook on an unsaved change of ``doc``
    (a form's instance): the same rules ``document_create``/``document_update``
    enforce, so a form can show them next to its fields."""
    info = registry.for_model(doc)
    if info.validate is None:
        return
    old = type(doc)._default_manager.filter(pk=doc.pk).first() if doc.pk else None
    info.validate(doc, user, old)


@_remembering
def document_update(*, doc, user, data: dict, expected_state: str | None = None):
    """The one write path of an existing document (desk form and API): locks
    the row, checks the state the user saw and the fields the user may write
    in it, runs the doctype's ``validate`` hook (derived values, business
    rules), validates the model and saves, in one transaction."""
    model = type(doc)
    info = registry.for_model(model)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=doc.pk)
        if expected_state is not None and locked.workflow_state != expected_state:
            raise StateConflict(current=locked.workflow_state, expected=expected_state)
        allowed = editable_fields(locked, user)
        if not allowed:
            raise WorkflowPermissionError(
                _("Dokumen berstatus %(state)s tidak dapat diubah oleh Anda.") % {"state": locked.workflow_state}
            )
        refused = {}
        custom_names = customize.names(info.doctype)
        for key in data:
            name = _field_name(model, key) or (key if key in custom_names else None)
            if name not in allowed:
                refused[key] = [
                    _("Field %(field)s tidak dapat diubah pada status %(state)s.")
                    % {"field": key, "state": locked.workflow_state}
                ]
        if refused:
            raise ValidationError(refused)
        old = copy.copy(locked)
        values, rows = _split_children(info, data)
        values, custom = customize.split(info.doctype, values)
        values, m2m = _split_m2m(model, values)
        for key, value in values.items():
            setattr(locked, key, value)
        customize.apply(locked, info.doctype, custom, user)
        locked._docflow_rows = rows  # the child rows being saved, for a validate hook computing from them
        if info.validate:
            info.validate(locked, user, old)
        locked.modified_by = user
        _full_clean(locked, old, exclude=["modified_by"])  # the acting user
        locked.save()
        for name, value in m2m.items():
            getattr(locked, name).set(value)
        _save_children(locked, info, rows)
        webhooks.fire(locked, "on_update", user=user)
    return locked


def document_delete(*, doc, user) -> None:
    """Delete a draft nobody has acted on (the desk's and the API's rule is
    checked by the caller), firing ``on_trash`` in the same transaction."""
    model = type(doc)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=doc.pk)
        if (
            locked.docstatus != 0
            or WorkflowLog.objects.filter(
                doctype=registry.for_model(model).doctype, document_id=locked.pk, kind=WorkflowLog.Kind.TRANSITION
            ).exists()
        ):
            raise WorkflowPermissionError(_("Hanya dokumen draf yang belum diproses yang dapat dihapus."))
        webhooks.fire(locked, "on_trash", user=user)
        locked.delete()


def _field_name(model, key: str) -> str | None:
    try:
        return model._meta.get_field(key).name  # also finds a foreign key by its attname (parpol_id)
    except FieldDoesNotExist:
        return None


def roles_exist(names) -> set:
    return set(Group.objects.filter(name__in=names).values_list("name", flat=True))
