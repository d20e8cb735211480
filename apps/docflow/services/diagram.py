"""Workflow diagrams: what the visual builder edits, the live figures per
state, the path a document took, and the printable swimlane map.

The builder edits the same definition as the JSON import (``definitions``):
it sends the whole workflow in Frappe's shape and ``workflow_save_spec``
validates and stores it through ``import_workflow``. Live figures go through
the one visibility selector. The swimlane map is laid out here, in Python
(lanes = the roles that act in a state, columns = steps from the initial
state), so its SVG and PDF need no browser.
"""

import statistics
from collections import Counter, deque
from datetime import timedelta
from xml.sax.saxutils import escape

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Window
from django.db.models.functions import Lead
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .. import conditions, registry
from ..models import DocStatus, NamingSeries, PrintFormat, Workflow, WorkflowLog
from ..selectors import visible_documents
from .definitions import export_workflow, import_workflow, normalize_spec, validate_spec_detailed

PERIODS = (7, 30, 90, 365)  # days the builder offers for the median time in state


def builder_choices(doctype: str | None) -> dict:
    """What the side panel's pickers offer: roles, the doctype's fields (for
    conditions), numbering series, print formats, docstatus values."""
    fields: list[str] = []
    formats: list[str] = []
    if doctype:
        try:
            info = registry.get(doctype)
        except Exception:  # noqa: BLE001 - an unknown doctype offers no fields
            info = None
        if info is not None:
            fields = sorted(conditions.field_names(info.model))
        formats = list(PrintFormat.objects.filter(doc_type=doctype).order_by("name").values_list("name", flat=True))
    return {
        "roles": list(Group.objects.order_by("name").values_list("name", flat=True)),
        "fields": fields,
        "series": list(NamingSeries.objects.order_by("key").values_list("key", flat=True)),
        "print_formats": formats,
        "doc_status": [[value, str(label)] for value, label in DocStatus.choices],
        "doctypes": registry.names(),
    }


def workflow_save_spec(spec: dict, *, workflow: Workflow | None) -> Workflow:
    """Store what the builder sends. An existing workflow keeps its name,
    document type and active flag (those are edited in its form); a new one
    must not take an existing name. Raises ValidationError with the detailed
    problems (``error_dict`` free: ``exc.problems``)."""
    spec = normalize_spec(spec)
    if workflow is not None:
        spec.update(
            workflow_name=workflow.workflow_name, document_type=workflow.document_type, is_active=workflow.is_active
        )
    problems = validate_spec_detailed(spec)
    if workflow is None and spec["workflow_name"] and Workflow.objects.filter(workflow_name=spec["workflow_name"]):
        problems.append(
            {
                "message": _("Alur kerja bernama %(name)s sudah ada.") % {"name": spec["workflow_name"]},
                "state": None,
                "transition": None,
            }
        )
    if problems:
        error = ValidationError([p["message"] for p in problems])
        error.problems = problems
        raise error
    with transaction.atomic():
        if workflow is not None:
            Workflow.objects.select_for_update().filter(pk=workflow.pk).first()
        return import_workflow(spec)


# --- live figures ---------------------------------------------------------------


def desk_list_url(doctype: str, state: str | None = None) -> str:
    model = registry.get(doctype).model
    try:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'workflow_state': state})}" if state else url


def state_statistics(user, doctype: str, *, days: int = 30, now=None) -> dict:
    """Per state of ``doctype``'s documents that ``user`` sees: how many are
    in it now, how many of those are overdue, and the median days a stay in
    it lasted among the stays that ended in the last ``days`` days."""
    info = registry.get(doctype)
    now = now or timezone.now()
    visible = visible_documents(info.model, user)
    figures: dict[str, dict] = {}
    grouped = (
        visible.order_by().values("workflow_state").annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)))
    )
    for row in grouped:
        figures[row["workflow_state"]] = {"count": row["n"], "overdue": row["late"], "median_days": None, "stays": 0}
    since = now - timedelta(days=days)
    logs = (
        WorkflowLog.objects.filter(doctype=doctype, document_id__in=visible.values("pk"))
        .exclude(kind=WorkflowLog.Kind.VOTE)
        .annotate(
            left_at=Window(
                Lead("created_at"), partition_by=[F("document_id")], order_by=[F("created_at").asc(), F("pk").asc()]
            )
        )
        .values_list("to_state", "created_at", "left_at")
    )
    stays: dict[str, list[float]] = {}
    for state, entered, left in logs:
        if left is not None and since <= left <= now:
            stays.setdefault(state, []).append((left - entered).total_seconds() / 86400)
    for state, values in stays.items():
        row = figures.setdefault(state, {"count": 0, "overdue": 0, "median_days": None, "stays": 0})
        row["median_days"] = round(statistics.median(values), 2)
        row["stays"] = len(values)
    for state, row in figures.items():
        row["url"] = desk_list_url(doctype, state)
    return figures


def document_path(doc) -> list[dict]:
    """The steps a document took, from its workflow log, oldest first."""
    info = registry.for_model(doc)
    rows = (
        WorkflowLog.objects.filter(doctype=info.doctype, document_id=doc.pk)
        .exclude(kind=WorkflowLog.Kind.VOTE)
        .order_by("created_at", "pk")
        .values_list("kind", "from_state", "to_state", "action")
    )
    return [
        {"from": from_state, "to": to_state, "action": action}
        for kind, from_state, to_state, action in rows
        if kind == WorkflowLog.Kind.TRANSITION
    ]


def diagram_data(workflow: Workflow) -> dict:
    """The definition the diagram draws (states and transitions in Frappe's shape)."""
    spec = export_workflow(workflow)
    return {
        "workflow_name": spec["workflow_name"],
        "document_type": spec["document_type"],
        "is_active": spec["is_active"],
        "description": spec["description"],
        "states": spec["states"],
        "transitions": spec["transitions"],
    }


def loaded_diagram_data(loaded) -> dict:
    """``diagram_data`` from a cached ``LoadedWorkflow`` (no query)."""
    return {
        "workflow_name": loaded.workflow.workflow_name,
        "document_type": loaded.workflow.document_type,
        "is_active": loaded.workflow.is_active,
        "description": "",
        "states": [
            {"state": s.state, "is_final": s.is_final, "doc_status": s.doc_status, "sla_days": s.sla_days}
            for s in loaded.states.values()
        ],
        "transitions": [
            {"state": t.state, "action": t.action, "next_state": t.next_state, "allowed": t.allowed.name}
            for t in loaded.transitions
        ],
    }


# --- swimlanes ----------------------------------------------------------------------

LANE_HEADER = 180
COLUMN = 320
NODE_W = 170
NODE_H = 48
ROW = 110
TOP = 40


def swimlane_layout(spec: dict) -> dict:
    """Lanes (roles), and each state's lane, column and row within its lane."""
    states = [s["state"] for s in spec["states"]]
    transitions = spec["transitions"]
    if not states:
        return {"lanes": [], "positions": {}, "columns": 0}
    outgoing_roles = {s: Counter() for s in states}
    incoming_roles = {s: Counter() for s in states}
    for t in transitions:
        if t["state"] in outgoing_roles:
            outgoing_roles[t["state"]][t["allowed"]] += 1
        if t["next_state"] in incoming_roles:
            incoming_roles[t["next_state"]][t["allowed"]] += 1
    no_role = _("(tanpa peran)")

    def lane_of(state):
        for counter in (outgoing_roles[state], incoming_roles[state]):
            if counter:
                return max(counter.items(), key=lambda kv: (kv[1], -list(counter).index(kv[0])))[0]
        return no_role

    depth = {states[0]: 0}
    queue = deque([states[0]])
    while queue:
        current = queue.popleft()
        for t in transitions:
            if t["state"] == current and t["next_state"] in outgoing_roles and t["next_state"] not in depth:
                depth[t["next_state"]] = depth[current] + 1
                queue.append(t["next_state"])
    last = max(depth.values(), default=0)
    for s in states:
        depth.setdefault(s, last + 1)
    order = sorted(states, key=lambda s: (depth[s], states.index(s)))
    lanes: list[str] = []
    for s in order:
        if lane_of(s) not in lanes:
            lanes.append(lane_of(s))
    rows_used: Counter = Counter()
    positions = {}
    for s in order:
        lane = lane_of(s)
        row = rows_used[(lane, depth[s])]
        rows_used[(lane, depth[s])] += 1
        positions[s] = {"lane": lane, "column": depth[s], "row": row}
    return {"lanes": lanes, "positions": positions, "columns": max(depth.values()) + 1}


def _wrap(text: str, width: int = 22) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines[:3] or [""]


def swimlane_svg(spec: dict, *, title: str = "") -> str:
    """The process map of one workflow as an SVG document: one lane per role,
    states as boxes, transitions as labelled arrows."""
    layout = swimlane_layout(spec)
    lanes, positions = layout["lanes"], layout["positions"]
    lane_rows = {lane: 1 for lane in lanes}
    for p in positions.values():
        lane_rows[p["lane"]] = max(lane_rows[p["lane"]], p["row"] + 1)
    lane_top, y = {}, TOP
    for lane in lanes:
        lane_top[lane] = y
        y += lane_rows[lane] * ROW + 20
    height = y + 20
    width = LANE_HEADER + layout["columns"] * COLUMN + 40
    final = {s["state"] for s in spec["states"] if s["is_final"]}

    def box(state):
        p = positions[state]
        x = LANE_HEADER + 30 + p["column"] * COLUMN
        top = lane_top[p["lane"]] + 20 + p["row"] * ROW
        return x, top

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Liberation Sans, Arial, sans-serif" font-size="12">',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='8' markerHeight='8' "
        "orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#334155'/></marker></defs>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="10" y="24" font-size="16" font-weight="bold">{escape(title)}</text>',
    ]
    for i, lane in enumerate(lanes):
        top = lane_top[lane]
        h = lane_rows[lane] * ROW + 20
        fill = "#f8fafc" if i % 2 == 0 else "#eef2f7"
        out.append(
            f'<g class="lane"><rect x="0" y="{top}" width="{width}" height="{h}" fill="{fill}" stroke="#94a3b8"/>'
        )
        out.append(f'<rect x="0" y="{top}" width="{LANE_HEADER}" height="{h}" fill="#e2e8f0" stroke="#94a3b8"/>')
        for j, line in enumerate(_wrap(lane, 24)):
            out.append(f'<text x="10" y="{top + h / 2 - 6 + j * 15:.0f}" font-weight="bold">{escape(line)}</text>')
        out.append("</g>")
    back_edges: Counter = Counter()
    for t in spec["transitions"]:
        if t["state"] not in positions or t["next_state"] not in positions:
            continue
        sx, sy = box(t["state"])
        tx, ty = box(t["next_state"])
        if positions[t["next_state"]]["column"] > positions[t["state"]]["column"]:
            p0, p3 = (sx + NODE_W, sy + NODE_H / 2), (tx, ty + NODE_H / 2)
            p1, p2 = (p0[0] + 50, p0[1]), (p3[0] - 50, p3[1])
        else:  # back or same column: under the boxes, each further down
            dip = 40 + 22 * back_edges[t["state"]]
            back_edges[t["state"]] += 1
            p0, p3 = (sx + NODE_W / 2 + 20, sy + NODE_H), (tx + NODE_W / 2 - 20, ty + NODE_H)
            p1, p2 = (p0[0], p0[1] + dip), (p3[0], p3[1] + dip)
        # forward labels sit early on the arrow (clear of the back arrows' labels in the middle)
        at = 0.3 if positions[t["next_state"]]["column"] > positions[t["state"]]["column"] else 0.5

        def bezier(i, at=at, pts=(p0, p1, p2, p3)):
            u = 1 - at
            return u**3 * pts[0][i] + 3 * u * u * at * pts[1][i] + 3 * u * at * at * pts[2][i] + at**3 * pts[3][i]

        mx, my = bezier(0), bezier(1)
        label = t["action"] if t["allowed"] == positions[t["state"]]["lane"] else f"{t['action']} ({t['allowed']})"
        out.append(
            f'<g class="transition"><path d="M{p0[0]:.0f},{p0[1]:.0f} C{p1[0]:.0f},{p1[1]:.0f} '
            f'{p2[0]:.0f},{p2[1]:.0f} {p3[0]:.0f},{p3[1]:.0f}" fill="none" stroke="#334155" '
            f'stroke-width="1.4" marker-end="url(#arrow)"/>'
            f'<text x="{mx:.0f}" y="{my - 4:.0f}" text-anchor="middle" font-size="11" fill="#0f172a" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(label)}</text></g>'
        )
    for s in spec["states"]:
        name = s["state"]
        x, top = box(name)
        stroke = "#166534" if name in final else "#1e3a8a"
        width_px = 3 if name == spec["states"][0]["state"] else 1.5
        out.append(
            f'<g class="state"><rect x="{x}" y="{top}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="#ffffff" '
            f'stroke="{stroke}" stroke-width="{width_px}"/>'
        )
        lines = _wrap(name, 24)
        for j, line in enumerate(lines):
            ly = top + NODE_H / 2 + 4 + (j - (len(lines) - 1) / 2) * 14
            out.append(f'<text x="{x + NODE_W / 2}" y="{ly:.0f}" text-anchor="middle">{escape(line)}</text>')
        if s.get("sla_days"):
            out.append(
                f'<text x="{x + NODE_W - 4}" y="{top + NODE_H + 12}" text-anchor="end" font-size="10" '
                f'fill="#475569">SLA {s["sla_days"]} {escape(_("hari kerja"))}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def swimlane_pdf(spec: dict, *, title: str) -> bytes:
    from weasyprint import HTML

    svg = swimlane_svg(spec, title=title)
    html = (
        "<html><head><style>@page { size: A3 landscape; margin: 10mm } "
        "body { margin: 0 } svg { width: 100%; height: auto; max-height: 270mm }</style></head>"
        f"<body>{svg}</body></html>"
    )
    return HTML(string=html).write_pdf()
