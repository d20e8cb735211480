"""Report queries. Each goes through docflow's visibility selector, so a
report shows a user exactly what the desk shows them."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from apps.docflow import registry
from apps.docflow.exceptions import NoActiveWorkflow
from apps.docflow.models import IssuedDocument
from apps.docflow.selectors import visible_documents
from apps.docflow.services.workflow import load_workflow
from apps.organisasi.models import Unit


@dataclass
class PendingRow:
    doctype: str
    process_code: str
    unit: str
    unit_id: int
    state: str
    count: int
    oldest: datetime | None
    overdue: int


def pending_per_unit(user, *, unit_id=None, process_code=None, state=None, overdue_only=False) -> list[PendingRow]:
    """Per document type, unit and state: how many wait, since when, how many are late.

    One GROUP BY per document type over the (workflow_state, unit,
    state_entered_at) index.
    """
    now = timezone.now()
    units = dict(Unit.objects.values_list("pk", "nama"))
    rows: list[PendingRow] = []
    for info in registry.all_doctypes():
        if process_code and info.process_code != process_code:
            continue
        try:
            loaded = load_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        open_states = [s for s, st in loaded.states.items() if not st.is_final]
        if state:
            open_states = [s for s in open_states if s == state]
        qs = visible_documents(info.model, user).filter(workflow_state__in=open_states)
        if unit_id:
            qs = qs.filter(unit_id=unit_id)
        if overdue_only:
            qs = qs.filter(due_at__lt=now)
        grouped = (
            qs.order_by()
            .values("unit_id", "workflow_state")
            .annotate(n=Count("pk"), oldest=Min("state_entered_at"), late=Count("pk", filter=Q(due_at__lt=now)))
        )
        for g in grouped:
            rows.append(
                PendingRow(
                    doctype=info.doctype,
                    process_code=info.process_code,
                    unit=units.get(g["unit_id"], "-"),
                    unit_id=g["unit_id"],
                    state=g["workflow_state"],
                    count=g["n"],
                    oldest=g["oldest"],
                    overdue=g["late"],
                )
            )
    order = {s: i for i, s in enumerate(_state_order())}
    rows.sort(key=lambda r: (r.unit, r.process_code, order.get((r.doctype, r.state), 999)))
    return rows


def _state_order() -> list:
    result = []
    for info in registry.all_doctypes():
        try:
            loaded = load_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        result.extend((info.doctype, s) for s in loaded.states)
    return result


def issued_this_month(user) -> int:
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = 0
    for info in registry.all_doctypes():
        ids = visible_documents(info.model, user).values("pk")
        total += IssuedDocument.objects.filter(doctype=info.doctype, document_id__in=ids, issued_at__gte=start).count()
    return total
