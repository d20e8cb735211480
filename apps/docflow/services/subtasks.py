"""Sub-tasks ("Permintaan Data / Tugas"): requests for data or work sent from
any registered document to a unit or a person, answered with text and files,
returned for revision, and awaited by transitions that require every
sub-task of the current state visit to be done (``require_subtasks_done``).

Every write locks the parent document's row first (then the sub-task's), the
same lock ``apply_action`` takes: a transition and an answer never interleave,
and of two answers finishing at once exactly one sees the last open sub-task
close (and tells whoever acts next).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import calendar, registry
from ..exceptions import DocflowError, NoActiveWorkflow, WorkflowPermissionError
from ..models import Notification, SubTask, WorkflowLog
from ..scope import backend
from . import workflow as wf

MAX_DUE_DAYS = 365


class SubTaskNotOpen(DocflowError):
    http_status = 409
    default_message = _("Permintaan data/tugas ini sudah %(status)s.")


def can_request(doc, user, *, loaded=None, grants=None) -> bool:
    """Who may send, return and cancel sub-tasks of ``doc``: whoever holds the
    current step (a role with a transition out of the state, within reach of
    the document's units) or may edit it now."""
    if not user.is_authenticated or doc.pk is None:
        return False
    info = registry.for_model(doc)
    try:
        loaded = loaded or wf.cached_workflow(info.doctype)
    except NoActiveWorkflow:
        return False
    state = loaded.states.get(doc.workflow_state)
    if state is None or state.is_final:
        return False
    grants = grants if grants is not None else backend().grants(user)
    roles = {t.allowed.name for t in loaded.transitions_from(doc.workflow_state)}
    if any(wf._pick_grant(grants, role, doc.unit_id, doc) for role in roles):
        return True
    return wf.can_edit(doc, user)


def is_assignee(task: SubTask, user) -> bool:
    if task.assignee_id is not None:
        return task.assignee_id == user.pk
    return task.unit_id in backend().member_units(user)


def _lock(doc):
    return type(doc)._default_manager.select_for_update().get(pk=doc.pk)


def _log(doc, info, user, action, comment="", files=()):
    log = WorkflowLog.objects.create(
        kind=WorkflowLog.Kind.SUBTASK,
        doctype=info.doctype,
        document_id=doc.pk,
        document_name=doc.name,
        action=action[:140],
        from_state=doc.workflow_state,
        to_state=doc.workflow_state,
        user=user,
        comment=comment,
    )
    if files:
        log.attachments.set(files)
    return log


def _notify(users, *, subject, message, doc, info, exclude=None):
    Notification.objects.bulk_create(
        Notification(
            user=u,
            subject=subject[:255],
            message=message,
            doctype=info.doctype,
            document_name=doc.name,
            url=registry.desk_url(doc),
        )
        for u in {u.pk: u for u in users}.values()
        if u.has_usable_password() and (exclude is None or u.pk != exclude.pk)
    )


def _recipients(task) -> list:
    return [task.assignee] if task.assignee_id else backend().unit_members(task.unit_id)


def subtask_create(*, doc, user, unit, instruction: str, assignee=None, due_days: int | None = None) -> SubTask:
    """Send a sub-task from ``doc`` (in its current state visit) to ``unit``,
    optionally to one ``assignee`` working there, due in ``due_days``
    working days."""
    info = registry.for_model(doc)
    instruction = (instruction or "").strip()
    errors = {}
    if not instruction:
        errors["instruction"] = [_("Tuliskan instruksi permintaan.")]
    if unit is None:
        errors["unit"] = [_("Pilih unit tujuan.")]
    if due_days is not None and not (1 <= int(due_days) <= MAX_DUE_DAYS):
        errors["due_days"] = [_("Batas waktu antara 1 dan %(n)s hari kerja.") % {"n": MAX_DUE_DAYS}]
    if errors:
        raise ValidationError(errors)
    unit_id = getattr(unit, "pk", unit)
    if assignee is not None and unit_id not in backend().member_units(assignee):
        raise ValidationError(
            {
                "assignee": [
                    _("%(orang)s tidak bekerja di unit tujuan; pilih orang dari unit itu.") % {"orang": assignee}
                ]
            }
        )
    with transaction.atomic():
        locked = _lock(doc)
        if not can_request(locked, user):
            raise WorkflowPermissionError(
                _("Hanya pemegang tahap %(state)s yang dapat mengirim permintaan data/tugas.")
                % {"state": locked.workflow_state}
            )
        today = timezone.localdate()
        task = SubTask(
            doctype=info.doctype,
            document_id=locked.pk,
            document_name=locked.name,
            state=locked.workflow_state,
            state_seq=locked.state_seq,
            unit_id=unit_id,
            assignee=assignee,
            instruction=instruction,
            due_days=due_days,
            due_date=calendar.add_working_days(today, int(due_days)) if due_days else None,
            requested_by=user,
        )
        task.full_clean(exclude=["unit", "assignee", "requested_by"])
        task.save()
        owner = wf.subtask_owner(task)
        _log(locked, info, user, _("Permintaan data/tugas kepada %(owner)s") % {"owner": owner}, instruction)
        _notify(
            _recipients(task),
            subject=_("Permintaan data/tugas: %(doctype)s %(name)s") % {"doctype": info.doctype, "name": locked.name},
            message=instruction,
            doc=locked,
            info=info,
            exclude=user,
        )
    return task


def _locked_task(task):
    """The sub-task's document and the sub-task, both locked (document first)."""
    info = registry.get(task.doctype)
    doc = info.model._default_manager.select_for_update().get(pk=task.document_id)
    locked = SubTask.objects.select_for_update().get(pk=task.pk)
    return info, doc, locked


def subtask_answer(*, task: SubTask, user, answer: str, files=()) -> SubTask:
    """The assignee answers: the sub-task is done. When it was the last open
    one of its state visit, whoever acts next on the document is told."""
    answer = (answer or "").strip()
    files = list(files)
    if not answer and not files:
        raise ValidationError({"answer": [_("Tuliskan jawaban atau lampirkan berkas.")]})
    with transaction.atomic():
        info, doc, task = _locked_task(task)
        if not task.is_open:
            raise SubTaskNotOpen(status=task.get_status_display().lower())
        if not is_assignee(task, user):
            raise WorkflowPermissionError(
                _("Permintaan ini ditujukan kepada %(owner)s.") % {"owner": wf.subtask_owner(task)}
            )
        now = timezone.now()
        task.status = SubTask.Status.DONE
        task.answer, task.answered_by, task.answered_at, task.closed_at = answer, user, now, now
        task.save()
        task.answer_files.set(files)
        wf._attach_files(files, info.doctype, doc.name)
        _log(
            doc,
            info,
            user,
            _("Permintaan data/tugas dijawab oleh %(owner)s") % {"owner": wf.subtask_owner(task)},
            answer,
            files,
        )
        _notify(
            [task.requested_by],
            subject=_("Permintaan data/tugas dijawab: %(name)s") % {"name": doc.name},
            message=answer,
            doc=doc,
            info=info,
            exclude=user,
        )
        if task.state_seq == doc.state_seq and not _still_open(info, doc):
            _all_done(doc, info, user)
    return task


def _still_open(info, doc) -> bool:
    return SubTask.objects.filter(
        doctype=info.doctype, document_id=doc.pk, state_seq=doc.state_seq, status__in=SubTask.OPEN_STATUSES
    ).exists()


def _all_done(doc, info, user):
    """Every sub-task of the visit is done: tell who can take the step that waited."""
    try:
        loaded = wf.load_workflow(info.doctype)
    except NoActiveWorkflow:
        return
    waiting = [t for t in loaded.transitions_from(doc.workflow_state) if t.require_subtasks_done]
    users = []
    for t in waiting:
        users += backend().users_for_role(t.allowed.name, doc.unit_id)
    _notify(
        users,
        subject=_("Semua permintaan data/tugas %(name)s selesai") % {"name": doc.name},
        message=_("%(actions)s kini dapat dilakukan.") % {"actions": ", ".join(sorted({t.action for t in waiting}))},
        doc=doc,
        info=info,
    )
    _log(doc, info, user, _("Semua permintaan data/tugas selesai"))


def subtask_return(*, task: SubTask, user, note: str) -> SubTask:
    """The requester returns an answer for revision (while the document is
    still in the visit the sub-task belongs to)."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("Tuliskan apa yang perlu diperbaiki.")]})
    with transaction.atomic():
        info, doc, task = _locked_task(task)
        if task.status != SubTask.Status.DONE:
            raise SubTaskNotOpen(_("Hanya jawaban yang sudah masuk yang dapat dikembalikan untuk perbaikan."))
        if task.state_seq != doc.state_seq:
            raise SubTaskNotOpen(_("Dokumen sudah berpindah tahap; jawaban ini tidak dapat dikembalikan lagi."))
        if not can_request(doc, user):
            raise WorkflowPermissionError()
        task.status = SubTask.Status.RETURNED
        task.return_note, task.revision, task.closed_at = note, task.revision + 1, None
        task.save()
        _log(
            doc,
            info,
            user,
            _("Jawaban %(owner)s dikembalikan untuk perbaikan") % {"owner": wf.subtask_owner(task)},
            note,
        )
        _notify(
            [task.answered_by] if task.answered_by_id else _recipients(task),
            subject=_("Jawaban dikembalikan untuk perbaikan: %(name)s") % {"name": doc.name},
            message=note,
            doc=doc,
            info=info,
            exclude=user,
        )
    return task


def subtask_cancel(*, task: SubTask, user, note: str = "") -> SubTask:
    with transaction.atomic():
        info, doc, task = _locked_task(task)
        if not task.is_open:
            raise SubTaskNotOpen(status=task.get_status_display().lower())
        if not can_request(doc, user):
            raise WorkflowPermissionError()
        task.status, task.closed_at = SubTask.Status.CANCELLED, timezone.now()
        task.save()
        _log(
            doc,
            info,
            user,
            _("Permintaan data/tugas kepada %(owner)s dibatalkan") % {"owner": wf.subtask_owner(task)},
            note,
        )
    return task


def subtasks_of(doc) -> list[SubTask]:
    """Every sub-task of ``doc``, all visits, oldest first."""
    info = registry.for_model(doc)
    return list(
        SubTask.objects.filter(doctype=info.doctype, document_id=doc.pk)
        .select_related("unit", "assignee", "requested_by", "answered_by")
        .prefetch_related("answer_files")
    )


def open_for_user_q(user) -> Q:
    """Open sub-tasks waiting for ``user``: addressed to them, or to a unit
    they work in without a person named."""
    return Q(status__in=SubTask.OPEN_STATUSES) & (
        Q(assignee_id=user.pk) | Q(assignee__isnull=True, unit_id__in=backend().member_units(user))
    )


def addressed_to_user_q(user) -> Q:
    """Every sub-task addressed to ``user`` (any status): they see its document."""
    return Q(assignee_id=user.pk) | Q(assignee__isnull=True, unit_id__in=backend().member_units(user))
