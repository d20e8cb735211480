"""The desk's home page: number cards and charts, each linking to its report.
Everything goes through the visibility selector: a unit head sees their unit,
the Kepala Badan and the Sekretaris see the whole agency."""

import datetime
import json

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.scope import cached as scope_cached
from apps.docflow.selectors import inbox_for_user, visible_documents

from .models import Eskalasi
from .selectors import cycle_times, iku_table, issued_this_month, pending_per_unit


def _overdue_trend(user, weeks: int = 8) -> dict:
    """New late documents per week (first escalations), last ``weeks`` weeks."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday() + 7 * (weeks - 1))
    counts = [0] * weeks
    # one query for the period's first escalations; visibility only for the doctypes that have any
    found: dict[str, list] = {}
    for doctype, document_id, stamp in Eskalasi.objects.filter(tingkat=1, dikirim_pada__date__gte=start).values_list(
        "doctype", "document_id", "dikirim_pada"
    ):
        found.setdefault(doctype, []).append((document_id, stamp))
    for info in registry.reportable(user):
        if info.doctype not in found:
            continue
        ids = {d for d, _stamp in found[info.doctype]}
        visible = set(visible_documents(info.model, user).filter(pk__in=ids).values_list("pk", flat=True))
        for document_id, stamp in found[info.doctype]:
            index = (timezone.localtime(stamp).date() - start).days // 7
            if document_id in visible and 0 <= index < weeks:
                counts[index] += 1
    labels = [(start + datetime.timedelta(days=7 * i)).strftime("%d/%m") for i in range(weeks)]
    return {"labels": labels, "datasets": [{"label": _("Dokumen baru terlambat"), "data": counts}]}


def chart_options(x_title: str, y_title: str, *, stacked: bool = False) -> str:
    """Chart.js options for Unfold's chart component: titled axes with their
    values, a legend, whole numbers (Unfold's defaults hide all three)."""
    return json.dumps(
        {
            "responsive": True,
            "maintainAspectRatio": False,
            "plugins": {
                "legend": {"display": True, "position": "bottom", "labels": {"usePointStyle": True, "boxWidth": 8}},
                "tooltip": {"enabled": True},
            },
            "scales": {
                "x": {"display": True, "stacked": stacked, "title": {"display": True, "text": x_title}},
                "y": {
                    "display": True,
                    "stacked": stacked,
                    "beginAtZero": True,
                    "ticks": {"display": True, "precision": 0},
                    "title": {"display": True, "text": y_title},
                },
            },
        }
    )


def _values(data: dict) -> dict:
    """The chart's figures as a small table (the values, readable without hovering)."""
    return {
        "labels": data["labels"],
        "rows": [{"label": d["label"], "values": d["data"]} for d in data["datasets"]],
    }


def dashboard_callback(request, context):
    user = request.user
    if not user.is_authenticated:
        return context
    with scope_cached():
        return _dashboard(request, context, user)


def _dashboard(request, context, user):
    rows = [r for r in pending_per_unit(user) if r.kind != "subtask"]  # documents, per owning unit (joint ones too)
    per_unit: dict[str, list[int]] = {}
    for r in rows:
        pending, late = per_unit.setdefault(r.unit_short, [0, 0])
        per_unit[r.unit_short] = [pending + r.count, late + r.overdue]
    cycles = cycle_times(user)["processes"]
    year = timezone.localdate().year
    iku = [row for row in iku_table([year], user)]
    context.update(
        {
            "dash_pending": sum(r.count for r in rows),
            "dash_overdue": sum(r.overdue for r in rows),
            "dash_issued": issued_this_month(user),
            "dash_inbox": len(inbox_for_user(user, limit=100)),
            "dash_rows": rows[:15],
            "dash_year": year,
            **_charts(user, per_unit, cycles, iku),
        }
    )
    return context


def _charts(user, per_unit, cycles, iku) -> dict:
    colours = ["#2563eb", "#dc2626", "#16a34a", "#f59e0b"]
    units = {
        "labels": list(per_unit),
        "datasets": [
            {"label": _("Tertunda"), "data": [v[0] for v in per_unit.values()], "backgroundColor": colours[0]},
            {"label": _("Terlambat"), "data": [v[1] for v in per_unit.values()], "backgroundColor": colours[1]},
        ],
    }
    trend = _overdue_trend(user)
    for dataset in trend["datasets"]:
        dataset.update(borderColor=colours[1], backgroundColor=colours[1], pointStyle="circle", pointRadius=3)
    cycle = {
        "labels": [c.process_code for c in cycles],
        "datasets": [
            {
                "label": _("Median (hari)"),
                "data": [round(c.median_days or 0, 1) for c in cycles],
                "backgroundColor": colours[2],
            }
        ],
    }
    iku_chart = {
        "labels": [f"IKU {row['indikator'].urutan}" for row in iku],
        "datasets": [
            {
                "label": _("Target"),
                "data": [float(c["target"].nilai) if c["target"] else 0 for row in iku for c in row["cells"]],
                "backgroundColor": colours[3],
            },
            {
                "label": _("Realisasi"),
                "data": [float(c["nilai"]) if c["nilai"] is not None else 0 for row in iku for c in row["cells"]],
                "backgroundColor": colours[0],
            },
        ],
    }
    cycle_options = json.loads(chart_options(_("Proses"), _("Hari")))
    cycle_options["scales"]["y"]["ticks"].pop("precision")
    return {
        "chart_units": json.dumps(units),
        "chart_units_options": chart_options(_("Unit"), _("Jumlah dokumen")),
        "chart_units_values": _values(units),
        "chart_trend": json.dumps(trend),
        "chart_trend_options": chart_options(_("Minggu mulai"), _("Dokumen baru terlambat")),
        "chart_trend_values": _values(trend),
        "chart_cycle": json.dumps(cycle),
        "chart_cycle_options": json.dumps(cycle_options),
        "chart_cycle_values": _values(cycle),
        "chart_iku": json.dumps(iku_chart),
        "chart_iku_options": chart_options(_("Indikator"), _("Nilai")),
        "chart_iku_values": _values(iku_chart),
    }
