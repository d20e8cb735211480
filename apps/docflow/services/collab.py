"""Working together on a document, as in Frappe: free comments with
@mentions, and assignments (ToDo) to a person with a due date.

Everything here is about a document the acting user can see (callers pass a
document fetched through ``selectors.document_get_for_user``); a person is
notified (in-app and by e-mail, after commit) only about a document they can
see themselves, so a mention never leaks a secret letter.
"""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry
from ..exceptions import WorkflowPermissionError
from ..models import Comment, Notification, ToDo
from ..scope import backend
from ..selectors import visible_documents

MAX_COMMENT = 5000
# Django usernames: letters, digits and @ . + - _ ; a trailing dot or dash is punctuation
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]*[\w+])")


def document_url(doc) -> str:
    meta = doc._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[doc.pk])
    except NoReverseMatch:
        return ""


def can_see(user, doc) -> bool:
    if not user.is_active:
        return False
    return visible_documents(type(doc), user).filter(pk=doc.pk).exists()


def mentioned_usernames(text: str) -> list[str]:
    seen = []
    for name in MENTION.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def _notify(users, *, subject: str, message: str, doc, info) -> None:
    """In-app notification now; e-mail after the transaction commits."""
    url = document_url(doc)
    users = [u for u in users if u.has_usable_password()]  # system accounts read nothing
    Notification.objects.bulk_create(
        Notification(user=u, subject=subject, message=message, doctype=info.doctype, document_name=doc.name, url=url)
        for u in users
    )
    from ..siteurl import site_url

    link = f"{site_url()}{url}" if url else ""
    recipients = [u.email for u in users if u.email]
    if recipients:
        body = f"{message}\n\n{link}".strip()
        transaction.on_commit(
            lambda: [send_mail(subject, body, None, [address], fail_silently=True) for address in recipients]
        )


def comment_add(*, doc, user, content: str) -> tuple[Comment, list]:
    """Add a comment; returns it and the mentioned usernames that were not
    notified (unknown, or unable to see the document)."""
    info = registry.for_model(doc)
    text = (content or "").strip()
    if not text:
        raise ValidationError({"content": [_("Komentar tidak boleh kosong.")]})
    if len(text) > MAX_COMMENT:
        raise ValidationError({"content": [_("Komentar paling panjang %(n)s karakter.") % {"n": MAX_COMMENT}]})
    if not can_see(user, doc):
        raise WorkflowPermissionError()
    names = mentioned_usernames(text)
    people = {u.username: u for u in get_user_model().objects.filter(username__in=names, is_active=True)}
    reached = [u for name, u in people.items() if u.pk != user.pk and can_see(u, doc)]
    skipped = [n for n in names if n not in people or (people[n].pk != user.pk and people[n] not in reached)]
    with transaction.atomic():
        comment = Comment.objects.create(
            reference_doctype=info.doctype,
            document_id=doc.pk,
            reference_name=doc.name,
            content=text,
            comment_by=user,
        )
        comment.mentions.set(reached)
        if reached:
            who = backend().person(user).name
            _notify(
                reached,
                subject=_("%(who)s menyebut Anda pada %(doctype)s %(name)s")
                % {"who": who, "doctype": info.doctype, "name": doc.name},
                message=text,
                doc=doc,
                info=info,
            )
    return comment, skipped


def comments_for(doc):
    info = registry.for_model(doc)
    return Comment.objects.filter(reference_doctype=info.doctype, document_id=doc.pk).select_related("comment_by")


# --- assignments ---------------------------------------------------------------------


def can_assign(doc, user) -> bool:
    """Who may assign a document: whoever may change documents of its type and sees it."""
    meta = doc._meta
    return user.is_active and user.has_perm(f"{meta.app_label}.change_{meta.model_name}") and can_see(user, doc)


def todo_add(*, doc, user, allocated_to, date=None, description: str = "") -> ToDo:
    info = registry.for_model(doc)
    if not can_assign(doc, user):
        raise WorkflowPermissionError(
            _("Anda tidak berwenang menugaskan %(doctype)s %(name)s.") % {"doctype": info.doctype, "name": doc.name}
        )
    person = backend().person(allocated_to).name
    if not can_see(allocated_to, doc):
        raise ValidationError(
            {"allocated_to": [_("%(who)s tidak dapat melihat dokumen ini; pilih orang lain.") % {"who": person}]}
        )
    if date is not None and date < timezone.localdate():
        raise ValidationError({"date": [_("Batas waktu tidak boleh sebelum hari ini.")]})
    with transaction.atomic():
        open_ = ToDo.objects.select_for_update().filter(
            reference_type=info.doctype, document_id=doc.pk, allocated_to=allocated_to, status=ToDo.Status.OPEN
        )
        if open_.exists():
            raise ValidationError({"allocated_to": [_("%(who)s sudah ditugaskan pada dokumen ini.") % {"who": person}]})
        todo = ToDo.objects.create(
            allocated_to=allocated_to,
            reference_type=info.doctype,
            document_id=doc.pk,
            reference_name=doc.name,
            date=date,
            description=(description or "").strip()[:MAX_COMMENT],
            assigned_by=user,
        )
        if allocated_to.pk != user.pk:
            due = _(" (batas waktu %(date)s)") % {"date": date.strftime("%d-%m-%Y")} if date else ""
            _notify(
                [allocated_to],
                subject=_("%(doctype)s %(name)s ditugaskan kepada Anda%(due)s")
                % {"doctype": info.doctype, "name": doc.name, "due": due},
                message=todo.description or str(getattr(doc, info.title_field, "") or doc.name),
                doc=doc,
                info=info,
            )
    return todo


def todo_remove(*, doc, user, allocated_to) -> int:
    """Cancel the open assignment of ``allocated_to`` on ``doc`` (the assignee,
    the assigner or anyone who may assign). Returns how many were cancelled."""
    info = registry.for_model(doc)
    with transaction.atomic():
        todos = list(
            ToDo.objects.select_for_update().filter(
                reference_type=info.doctype, document_id=doc.pk, allocated_to=allocated_to, status=ToDo.Status.OPEN
            )
        )
        if not todos:
            raise ValidationError(
                {"allocated_to": [_("%(who)s tidak sedang ditugaskan pada dokumen ini.") % {"who": allocated_to}]}
            )
        for todo in todos:
            if user.pk not in (todo.allocated_to_id, todo.assigned_by_id) and not can_assign(doc, user):
                raise WorkflowPermissionError(_("Anda tidak berwenang membatalkan penugasan ini."))
        ToDo.objects.filter(pk__in=[t.pk for t in todos]).update(status=ToDo.Status.CANCELLED, closed_at=timezone.now())
    return len(todos)


def todo_close(*, todo, user) -> ToDo:
    """The assignee (or the assigner) marks the assignment done."""
    if user.pk not in (todo.allocated_to_id, todo.assigned_by_id):
        raise WorkflowPermissionError(_("Hanya penerima atau pemberi tugas yang dapat menutup penugasan ini."))
    with transaction.atomic():
        ToDo.objects.filter(pk=todo.pk, status=ToDo.Status.OPEN).update(
            status=ToDo.Status.CLOSED, closed_at=timezone.now()
        )
    todo.refresh_from_db()
    return todo


def todos_for(doc, *, open_only=True):
    info = registry.for_model(doc)
    qs = ToDo.objects.filter(reference_type=info.doctype, document_id=doc.pk).select_related("allocated_to")
    return qs.filter(status=ToDo.Status.OPEN) if open_only else qs


def about_visible_documents(qs, user, type_field: str):
    """Rows (comments, ToDos) about documents ``user`` can see: one query of
    the visibility selector per document type, as a subquery."""
    from django.db.models import Q

    parts = Q(pk__in=[])
    for doctype in set(qs.values_list(type_field, flat=True).distinct()):
        if doctype not in registry.names():
            continue  # a doctype no longer registered: nobody sees it
        info = registry.get(doctype)
        meta = info.model._meta
        if not user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            continue
        parts |= Q(**{type_field: doctype, "document_id__in": visible_documents(info.model, user).values("pk")})
    return qs.filter(parts)


def visible_todos(user, qs=None):
    return about_visible_documents(ToDo.objects.all() if qs is None else qs, user, "reference_type")


def my_open_todos(user):
    return visible_todos(user, ToDo.objects.filter(allocated_to=user, status=ToDo.Status.OPEN))
