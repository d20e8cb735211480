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
    for info in registry.reportable(user):
        visible = visible_documents(info.model, user).values("pk")
        stamps = Eskalasi.objects.filter(
            doctype=info.doctype, document_id__in=visible, tingkat=1, dikirim_pada__date__gte=start
        ).values_list("dikirim_pada", flat=True)
        for stamp in stamps:
            index = (timezone.localtime(stamp).date() - start).days // 7
            if 0 <= index < weeks:
                counts[index] += 1
    labels = [(start + datetime.timedelta(days=7 * i)).strftime("%d/%m") for i in range(weeks)]
    return {"labels": labels, "datasets": [{"label": _("Dokumen baru terlambat"), "data": counts}]}


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
    iku = [row for row in iku_table([year])]
    context.update(
        {
            "dash_pending": sum(r.count for r in rows),
            "dash_overdue": sum(r.overdue for r in rows),
            "dash_issued": issued_this_month(user),
            "dash_inbox": len(inbox_for_user(user, limit=100)),
            "dash_rows": rows[:15],
            "dash_year": year,
            "chart_units": json.dumps(
                {
                    "labels": list(per_unit),
                    "datasets": [
                        {"label": _("Tertunda"), "data": [v[0] for v in per_unit.values()]},
                        {"label": _("Terlambat"), "data": [v[1] for v in per_unit.values()]},
                    ],
                }
            ),
            "chart_trend": json.dumps(_overdue_trend(user)),
            "chart_cycle": json.dumps(
                {
                    "labels": [c.process_code for c in cycles],
                    "datasets": [{"label": _("Median (hari)"), "data": [round(c.median_days or 0, 1) for c in cycles]}],
                }
            ),
            "chart_iku": json.dumps(
                {
                    "labels": [f"IKU {row['indikator'].urutan}" for row in iku],
                    "datasets": [
                        {
                            "label": _("Target"),
                            "data": [
                                float(c["target"].nilai) if c["target"] else 0 for row in iku for c in row["cells"]
                            ],
                        },
                        {
                            "label": _("Realisasi"),
                            "data": [
                                float(c["realisasi"].nilai) if c["realisasi"] else 0
                                for row in iku
                                for c in row["cells"]
                            ],
                        },
                    ],
                }
            ),
        }
    )
    return context
