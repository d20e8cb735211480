"""The desk's home page: number cards for the user's own view of the agency."""

from django.utils import timezone

from apps.docflow.selectors import inbox_for_user

from .selectors import issued_this_month, pending_per_unit


def dashboard_callback(request, context):
    if not request.user.is_authenticated:
        return context
    rows = pending_per_unit(request.user)
    context.update(
        {
            "dash_pending": sum(r.count for r in rows),
            "dash_overdue": sum(r.overdue for r in rows),
            "dash_issued": issued_this_month(request.user),
            "dash_inbox": len(inbox_for_user(request.user, limit=100)),
            "dash_rows": rows[:15],
            "dash_now": timezone.now(),
        }
    )
    return context
