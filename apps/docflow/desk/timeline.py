"""One timeline per document: workflow log entries and field-level changes
(django-simple-history), newest first."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from .. import registry
from ..models import WorkflowLog
from ..scope import backend

ENGINE_FIELDS = {"modified_at", "modified_by", "state_seq", "state_entered_at", "due_at", "workflow_state", "docstatus"}


@dataclass
class Entry:
    at: datetime
    kind: str  # "workflow" | "subtask" | "change" | "comment"
    title: str
    who: str
    detail: str = ""
    changes: list = field(default_factory=list)
    files: list = field(default_factory=list)
    mentions: list = field(default_factory=list)


def _who(user, label="", on_behalf=""):
    name = backend().person(user).name if user else _("sistem")
    if label:
        name = f"{name} ({label})"
    if on_behalf:
        name = _("%(name)s, dicatat atas nama %(who)s") % {"name": name, "who": on_behalf}
    return name


def timeline_for(doc, limit: int = 200) -> list[Entry]:
    info = registry.for_model(doc)
    entries = []
    logs = (
        WorkflowLog.objects.filter(doctype=info.doctype, document_id=doc.pk)
        .select_related("user")
        .prefetch_related("attachments")
        .order_by("-created_at")[:limit]
    )
    for log in logs:
        if log.kind == WorkflowLog.Kind.CREATE:
            title = _("Dibuat dengan status %(state)s") % {"state": log.to_state}
        elif log.kind == WorkflowLog.Kind.VOTE:
            title = _("%(action)s (persetujuan anggota, menunggu kuorum)") % {"action": log.action}
        elif log.kind in (WorkflowLog.Kind.SUBTASK, WorkflowLog.Kind.UNITS):
            title = log.action  # sub-tasks: sent, answered, returned, cancelled, all done
        else:
            title = _("%(action)s: %(from)s → %(to)s") % {
                "action": log.action,
                "from": log.from_state,
                "to": log.to_state,
            }
        entries.append(
            Entry(
                at=log.created_at,
                kind="subtask" if log.kind == WorkflowLog.Kind.SUBTASK else "workflow",
                title=title,
                who=_who(log.user, log.delegation_label, log.on_behalf_of),
                detail=log.comment,
                files=list(log.attachments.all()),
            )
        )
    history = list(doc.history.select_related("history_user").order_by("-history_date")[:limit])
    for newer, older in zip(history, history[1:], strict=False):
        delta = newer.diff_against(older)
        changes = [
            (doc._meta.get_field(c.field).verbose_name, c.old, c.new)
            for c in delta.changes
            if c.field not in ENGINE_FIELDS
        ]
        if changes:
            entries.append(
                Entry(
                    at=newer.history_date,
                    kind="change",
                    title=_("Data diubah"),
                    who=_who(newer.history_user),
                    changes=changes,
                )
            )
    from ..services.collab import comments_for

    for comment in comments_for(doc).prefetch_related("mentions").order_by("-created_at")[:limit]:
        entries.append(
            Entry(
                at=comment.created_at,
                kind="comment",
                title=_("Komentar"),
                who=_who(comment.comment_by),
                detail=comment.content,
                mentions=[m.username for m in comment.mentions.all()],
            )
        )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries
