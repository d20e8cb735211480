"""Report queries. Each goes through docflow's visibility selector, so a
report shows a user exactly what the desk shows them."""

import math
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import reduce
from operator import or_
from urllib.parse import quote

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import Lead
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.exceptions import NoActiveWorkflow
from apps.docflow.models import DocumentUnit, IssuedDocument, SubTask, WorkflowLog
from apps.docflow.scope import backend
from apps.docflow.scope import cached as scope_cached
from apps.docflow.selectors import visible_documents
from apps.docflow.services.workflow import cached_workflow
from apps.organisasi.models import Unit


@dataclass
class PendingRow:
    model_path: str  # "app_label/model_name", for links to the desk list
    doctype: str
    process_code: str
    unit: str
    unit_short: str
    unit_id: int
    state: str
    count: int
    oldest: datetime | None
    overdue: int
    kind: str = "owner"  # "owner", "joint" (an additional owning unit), "subtask" (requests to the unit)

    @property
    def url(self) -> str:
        if self.kind == "subtask":
            return f"/app/{self.model_path}/?unit__id__exact={self.unit_id}"
        if self.kind == "joint":
            return f"/app/{self.model_path}/?workflow_state={quote(self.state)}"
        return f"/app/{self.model_path}/?workflow_state={quote(self.state)}&unit__id__exact={self.unit_id}"


def pending_per_unit(
    user, *, unit_id=None, process_code=None, state=None, overdue_only=False, since=None, until=None
) -> list["PendingRow"]:
    with scope_cached():
        return _pending_per_unit(
            user,
            unit_id=unit_id,
            process_code=process_code,
            state=state,
            overdue_only=overdue_only,
            since=since,
            until=until,
        )


def _pending_per_unit(
    user, *, unit_id=None, process_code=None, state=None, overdue_only=False, since=None, until=None
) -> list[PendingRow]:
    """Per document type, unit and state: how many wait, since when, how many are late.

    One GROUP BY per document type over the (workflow_state, unit,
    state_entered_at) index.
    """
    now = timezone.now()
    units = {
        pk: (nama, singkatan or nama) for pk, nama, singkatan in Unit.objects.values_list("pk", "nama", "singkatan")
    }
    rows: list[PendingRow] = []
    order: dict = {}
    subtask_scope = []
    # the joint owners of every doctype in one query (the table is small: only jointly owned documents)
    links = DocumentUnit.objects.all() if not unit_id else DocumentUnit.objects.filter(unit_id=unit_id)
    joint: dict[str, list] = {}
    for doctype, document_id, unit in links.values_list("doctype", "document_id", "unit_id"):
        joint.setdefault(doctype, []).append((document_id, unit))
    for info in registry.reportable(user):
        if process_code and info.process_code != process_code:
            continue
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        open_states = [s for s, st in loaded.states.items() if not st.is_final]
        order.update({(info.doctype, s): i for i, s in enumerate(loaded.states)})
        if state:
            open_states = [s for s in open_states if s == state]
        visible = visible_documents(info.model, user)
        subtask_scope.append(Q(doctype=info.doctype, document_id__in=visible.values("pk")))
        qs = visible.filter(workflow_state__in=open_states)
        if overdue_only:
            qs = qs.filter(due_at__lt=now)
        if since:
            qs = qs.filter(state_entered_at__date__gte=since)
        if until:
            qs = qs.filter(state_entered_at__date__lte=until)
        rows += _joint_rows(info, qs, joint.get(info.doctype, []), units, now)
        if unit_id:
            qs = qs.filter(unit_id=unit_id)
        grouped = (
            qs.order_by()
            .values("unit_id", "workflow_state")
            .annotate(n=Count("pk"), oldest=Min("state_entered_at"), late=Count("pk", filter=Q(due_at__lt=now)))
        )
        for g in grouped:
            rows.append(
                PendingRow(
                    model_path=f"{info.model._meta.app_label}/{info.model._meta.model_name}",
                    doctype=info.doctype,
                    process_code=info.process_code,
                    unit=units.get(g["unit_id"], ("-", "-"))[0],
                    unit_short=units.get(g["unit_id"], ("-", "-"))[1],
                    unit_id=g["unit_id"],
                    state=g["workflow_state"],
                    count=g["n"],
                    oldest=g["oldest"],
                    overdue=g["late"],
                )
            )
    if subtask_scope and not state and not since and not until:
        rows += _subtask_rows(reduce(or_, subtask_scope), units, unit_id, overdue_only)
    rows.sort(key=lambda r: (r.unit, r.kind == "subtask", r.process_code, order.get((r.doctype, r.state), 999)))
    return rows


def _joint_rows(info, qs, pairs, units, now) -> list[PendingRow]:
    """The open documents that a unit owns jointly (``DocumentUnit`` pairs of
    document and unit), counted for that unit too: one query for their
    documents, only when the doctype has any."""
    if not pairs:
        return []
    docs = {
        d["pk"]: d
        for d in qs.filter(pk__in={p[0] for p in pairs}).values("pk", "workflow_state", "state_entered_at", "due_at")
    }
    grouped: dict = {}
    for document_id, unit in pairs:
        d = docs.get(document_id)
        if d is None:
            continue
        g = grouped.setdefault((unit, d["workflow_state"]), {"n": 0, "late": 0, "oldest": None})
        g["n"] += 1
        g["late"] += bool(d["due_at"] and d["due_at"] < now)
        if d["state_entered_at"] and (g["oldest"] is None or d["state_entered_at"] < g["oldest"]):
            g["oldest"] = d["state_entered_at"]
    return [
        PendingRow(
            model_path=f"{info.model._meta.app_label}/{info.model._meta.model_name}",
            doctype=info.doctype,
            process_code=info.process_code,
            unit=units.get(unit, ("-", "-"))[0],
            unit_short=units.get(unit, ("-", "-"))[1],
            unit_id=unit,
            state=state_name,
            count=g["n"],
            oldest=g["oldest"],
            overdue=g["late"],
            kind="joint",
        )
        for (unit, state_name), g in grouped.items()
    ]


def _subtask_rows(scope: Q, units, unit_id, overdue_only) -> list[PendingRow]:
    """Open sub-tasks of visible documents, per target unit (one query)."""
    today = timezone.localdate()
    qs = SubTask.objects.filter(scope, status__in=SubTask.OPEN_STATUSES)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if overdue_only:
        qs = qs.filter(due_date__lt=today)
    grouped = (
        qs.order_by()
        .values("unit_id", "status")
        .annotate(n=Count("pk"), oldest=Min("created_at"), late=Count("pk", filter=Q(due_date__lt=today)))
    )
    labels = dict(SubTask.Status.choices)
    return [
        PendingRow(
            model_path="docflow/subtask",
            doctype=str(SubTask._meta.verbose_name).title(),
            process_code="",
            unit=units.get(g["unit_id"], ("-", "-"))[0],
            unit_short=units.get(g["unit_id"], ("-", "-"))[1],
            unit_id=g["unit_id"],
            state=str(labels[g["status"]]),
            count=g["n"],
            oldest=g["oldest"],
            overdue=g["late"],
            kind="subtask",
        )
        for g in grouped
    ]


def issued_this_month(user) -> int:
    """Letters issued since the first of the month on documents ``user`` may
    see: one query for every doctype (one per doctype grew with the processes)."""
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    visible = [
        Q(doctype=info.doctype, document_id__in=visible_documents(info.model, user).values("pk"))
        for info in registry.reportable(user)
    ]
    if not visible:
        return 0
    return IssuedDocument.objects.filter(reduce(or_, visible), issued_at__gte=start).count()


# --- cycle times and volume ------------------------------------------------------


def _percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..1); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q * len(ordered)))
    return ordered[rank - 1]


@dataclass
class CycleRow:
    doctype: str
    process_code: str
    state: str  # "" for the whole process
    count: int
    median_days: float | None
    p90_days: float | None


def cycle_times(user, *, since=None, until=None, process_code=None) -> dict:
    """From the workflow log: how long documents stay in each state and how
    long a whole process takes (creation to a final state), median and 90th
    percentile in days, with the state where documents wait longest."""
    per_state: list[CycleRow] = []
    per_process: list[CycleRow] = []
    wanted = []
    for info in registry.reportable(user):
        if process_code and info.process_code != process_code:
            continue
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        wanted.append((info, loaded))
    if not wanted:
        return {"states": [], "processes": [], "longest": {}}
    # one query over the log of every doctype (each limited to its visible documents)
    scope = reduce(
        or_,
        (Q(doctype=i.doctype, document_id__in=visible_documents(i.model, user).values("pk")) for i, _l in wanted),
    )
    logs = (
        WorkflowLog.objects.filter(scope)
        .exclude(kind__in=WorkflowLog.NOTE_KINDS)
        .annotate(
            left_at=Window(
                Lead("created_at"),
                partition_by=[F("doctype"), F("document_id")],
                order_by=[F("created_at").asc(), F("pk").asc()],
            )
        )
        .values_list("doctype", "document_id", "kind", "to_state", "created_at", "left_at")
    )
    by_doctype: dict[str, list] = {}
    for doctype, *rest in logs:
        by_doctype.setdefault(doctype, []).append(rest)
    for info, loaded in wanted:
        final = {s for s, st in loaded.states.items() if st.is_final}
        durations: dict[str, list[float]] = {}
        started: dict[int, object] = {}
        finished: dict[int, object] = {}
        for document_id, kind, to_state, at, left_at in by_doctype.get(info.doctype, []):
            if kind == WorkflowLog.Kind.CREATE:
                started[document_id] = at
            if to_state in final:
                finished[document_id] = at
            if left_at is not None and _in_period(left_at, since, until):
                durations.setdefault(to_state, []).append((left_at - at).total_seconds() / 86400)
        for state in loaded.states:
            values = durations.get(state, [])
            if values:
                per_state.append(
                    CycleRow(
                        info.doctype,
                        info.process_code,
                        state,
                        len(values),
                        _percentile(values, 0.5),
                        _percentile(values, 0.9),
                    )
                )
        totals = [
            (finished[d] - started[d]).total_seconds() / 86400
            for d in finished
            if d in started and _in_period(finished[d], since, until)
        ]
        per_process.append(
            CycleRow(
                info.doctype, info.process_code, "", len(totals), _percentile(totals, 0.5), _percentile(totals, 0.9)
            )
        )
    longest = {}
    for row in per_state:
        best = longest.get(row.doctype)
        if best is None or (row.median_days or 0) > (best.median_days or 0):
            longest[row.doctype] = row
    return {"states": per_state, "processes": per_process, "longest": longest}


def _in_period(moment, since, until) -> bool:
    day = timezone.localtime(moment).date()
    return (since is None or day >= since) and (until is None or day <= until)


def volume_per_month(user, year: int) -> dict:
    """Documents created per process and month of ``year`` (months counted in
    local time in Python: MariaDB without time-zone tables cannot truncate)."""
    result = {}
    for info in registry.reportable(user):
        months = [0] * 12
        stamps = visible_documents(info.model, user).filter(created_at__year=year).values_list("created_at", flat=True)
        for stamp in stamps.iterator():
            months[timezone.localtime(stamp).month - 1] += 1
        result[info.doctype] = months
    return result


# --- registers --------------------------------------------------------------------


def register_rows(user, doctype: str, *, year=None, status=None) -> list:
    """Issued documents of a type, with their holder, number and validity."""
    info = registry.get(doctype)
    visible = visible_documents(info.model, user).values("pk")
    qs = IssuedDocument.objects.filter(doctype=doctype, document_id__in=visible).order_by("-issued_at")
    if year:
        qs = qs.filter(issued_at__year=year)
    today = timezone.localdate()
    if status == "aktif":
        qs = qs.filter(revoked_at__isnull=True).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    elif status == "kedaluwarsa":
        qs = qs.filter(valid_until__lt=today)
    elif status == "dicabut":
        qs = qs.filter(revoked_at__isnull=False)
    return list(qs)


KONFLIK = "Penanganan Konflik"
LAPORAN_PROVINSI = "Laporan Kejadian Konflik kepada Bakesbangpol Provinsi"


def incident_rows(user, *, year=None, jenis=None, kecamatan=None) -> list[dict]:
    """The conflict incidents (P6.1) ``user`` may see, through the one
    visibility selector, newest first, with the number of the report to the
    Province. The reporter's identity is never a column."""
    info = registry.get(KONFLIK)
    qs = visible_documents(info.model, user).order_by("-tanggal_kejadian", "-pk")
    if year:
        qs = qs.filter(tanggal_kejadian__year=year)
    if jenis:
        qs = qs.filter(jenis_konflik=jenis)
    if kecamatan:
        qs = qs.filter(kecamatan=kecamatan)
    fields = ("pk", "name", "tanggal_kejadian", "judul_kejadian", "jenis_konflik", "kelurahan", "kecamatan")
    rows = list(qs.values(*fields, "workflow_state", "status_konflik"))
    reported = dict(
        IssuedDocument.objects.filter(
            doctype=KONFLIK, title=LAPORAN_PROVINSI, revoked_at__isnull=True, document_id__in=[r["pk"] for r in rows]
        )
        .order_by("issued_at")
        .values_list("document_id", "number")
    )
    for r in rows:
        r["laporan_provinsi"] = reported.get(r["pk"], "")
    return rows


# --- the unit's own inbox ---------------------------------------------------------------


def unit_pending(head, *, limit: int = 500) -> list:
    """What waits in the units a head oversees, oldest first, with the role that acts next."""
    units = backend().visible_units(head)
    rows = []
    for info in registry.reportable(head):
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        open_states = [s for s, st in loaded.states.items() if not st.is_final]
        qs = visible_documents(info.model, head).filter(workflow_state__in=open_states)
        if units is not None:  # the units' own documents and those they own jointly
            qs = qs.filter(
                Q(unit_id__in=units)
                | Q(pk__in=DocumentUnit.objects.filter(doctype=info.doctype, unit_id__in=units).values("document_id"))
            )
        for doc in qs.select_related("unit").order_by("state_entered_at")[:limit]:
            roles = sorted({t.allowed.name for t in loaded.transitions_from(doc.workflow_state)})
            rows.append((info, doc, roles))
    rows.sort(key=lambda r: r[1].state_entered_at or r[1].created_at)
    return rows[:limit]


# --- IKU --------------------------------------------------------------------------------


def iku_table(years=None, user=None) -> list[dict]:
    """Target and realisation per indicator and year. The realisation is the
    figure computed from the documents (``laporan.iku``, visible to ``user``;
    all documents without a user) unless a hand-entered ``RealisasiIKU`` with
    evidence overrides it (``override``); ``nilai`` is the one that counts."""
    from .iku import terhitung
    from .models import Indikator

    result = []
    for indikator in Indikator.objects.prefetch_related("target", "realisasi__bukti"):
        targets = {t.tahun: t for t in indikator.target.all()}
        realised = {r.tahun: r for r in indikator.realisasi.all()}
        span = years or sorted(set(targets) | set(realised))
        cells = []
        for year in span:
            target, real = targets.get(year), realised.get(year)
            computed = terhitung(indikator.urutan, year, user)
            nilai = real.nilai if real else (computed.nilai if computed else None)
            capaian = None
            if target and nilai is not None and target.nilai:
                capaian = (nilai / target.nilai * 100).quantize(Decimal("0.1"))
            cells.append(
                {
                    "tahun": year,
                    "target": target,
                    "realisasi": real,
                    "terhitung": computed,
                    "override": real is not None,
                    "nilai": nilai,
                    "capaian": capaian,
                }
            )
        result.append({"indikator": indikator, "cells": cells})
    return result


@dataclass
class PersonRow:
    doctype: str
    person: str
    user_id: int
    count: int
    overdue: int
    oldest: datetime | None


def pending_per_person(user) -> list[PersonRow]:
    """Open documents addressed to a person (e.g. dispositions) and open
    sub-tasks addressed to a person, per person."""
    from django.contrib.auth import get_user_model

    now = timezone.now()
    rows: list[PersonRow] = []
    scope = [
        Q(doctype=info.doctype, document_id__in=visible_documents(info.model, user).values("pk"))
        for info in registry.reportable(user)
    ]
    if scope:
        today = timezone.localdate()
        grouped = (
            SubTask.objects.filter(reduce(or_, scope), status__in=SubTask.OPEN_STATUSES, assignee__isnull=False)
            .order_by()
            .values("assignee_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)), oldest=Min("created_at"))
        )
        people = {u.pk: u for u in get_user_model().objects.filter(pk__in=[g["assignee_id"] for g in grouped])}
        label = str(SubTask._meta.verbose_name).title()
        for g in grouped:
            person = backend().person(people[g["assignee_id"]]).name
            rows.append(PersonRow(label, person, g["assignee_id"], g["n"], g["late"], g["oldest"]))
    for info in registry.reportable(user):
        if not info.assignee_field:
            continue
        try:
            loaded = cached_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        open_states = [s for s, st in loaded.states.items() if not st.is_final]
        field = info.assignee_field
        grouped = (
            visible_documents(info.model, user)
            .filter(workflow_state__in=open_states, **{f"{field}__isnull": False})
            .order_by()
            .values(f"{field}_id")
            .annotate(n=Count("pk"), late=Count("pk", filter=Q(due_at__lt=now)), oldest=Min("state_entered_at"))
        )
        names = {}
        for g in grouped:
            uid = g[f"{field}_id"]
            if uid not in names:
                names[uid] = backend().person(get_user_model().objects.get(pk=uid)).name
            rows.append(PersonRow(info.doctype, names[uid], uid, g["n"], g["late"], g["oldest"]))
    rows += _assignments_per_person(user)
    rows.sort(key=lambda r: (r.doctype, r.person))
    return rows


def _assignments_per_person(user) -> list[PersonRow]:
    """Open assignments (ToDo) on documents ``user`` can see, per doctype and person."""
    from django.contrib.auth import get_user_model

    from apps.docflow.models import ToDo
    from apps.docflow.services.collab import visible_todos

    today = timezone.localdate()
    grouped = (
        visible_todos(user, ToDo.objects.filter(status=ToDo.Status.OPEN))
        .order_by()
        .values("reference_type", "allocated_to_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(date__lt=today)), oldest=Min("created_at"))
    )
    users = get_user_model().objects.in_bulk({g["allocated_to_id"] for g in grouped})
    label = _("%(doctype)s (penugasan)")
    return [
        PersonRow(
            label % {"doctype": g["reference_type"]},
            backend().person(users[g["allocated_to_id"]]).name,
            g["allocated_to_id"],
            g["n"],
            g["late"],
            g["oldest"],
        )
        for g in grouped
    ]


# --- Register Honorarium Timdu (P5.7) --------------------------------------------------------


def honorarium_timdu_rows(user, *, year=None, state=None) -> list:
    """The members' honoraria of the visible Honorarium Timdu documents, one
    row per member per month (newest month first); ``row.parent`` is the month."""
    filters = {k: v for k, v in (("tahun_anggaran", year), ("workflow_state", state)) if v}
    return child_rows(
        user, "Honorarium Timdu", "penerima", filters=filters, order=("-parent__periode_mulai", "parent__name", "idx")
    )


# --- registers of the P7 processes defined as data ---------------------------------------


def data_doctype(doctype: str):
    """The registry's entry for ``doctype``, or None while no app defines it
    (a process built elsewhere, or removed by an administrator)."""
    return registry.get(doctype) if doctype in registry.names(load=True) else None


def child_rows(user, doctype: str, table: str, *, filters=None, order=("parent__name", "idx")):
    """Rows of child table ``table`` of the ``doctype`` documents ``user`` may
    see (``visible_documents``), with their parent, in document order."""
    info = data_doctype(doctype)
    if info is None or table not in info.children:
        return []
    parents = visible_documents(info.model, user).filter(**(filters or {}))
    child = info.children[table]
    return list(child._default_manager.filter(parent__in=parents).select_related("parent").order_by(*order))


def register_orang_asing(user, *, year=None, kebangsaan=None) -> list[dict]:
    """P7.2: every foreigner registered by a visible Pemantauan Orang Asing
    (rows of its table ``orang_asing``), filtered by year and nationality."""
    rows = child_rows(user, "Pemantauan Orang Asing", "orang_asing", filters={"tahun": year} if year else None)
    if kebangsaan:
        rows = [r for r in rows if kebangsaan.lower() in (r.kebangsaan or "").lower()]
    return [
        {
            "dokumen": r.parent.name,
            "url": registry.desk_url(r.parent),
            "tahun": r.parent.tahun,
            "nama": r.nama,
            "kebangsaan": r.kebangsaan,
            "nomor_paspor": r.nomor_paspor,
            "izin_tinggal": r.izin_tinggal,
            "tujuan": r.tujuan,
            "alamat": ", ".join(x for x in (r.alamat, r.kelurahan, r.kecamatan) if x),
            "masa_tinggal_mulai": r.masa_tinggal_mulai,
            "masa_tinggal_selesai": r.masa_tinggal_selesai,
            "status": r.parent.workflow_state,
        }
        for r in rows
    ]


def _participation(voted: int, registered: int):
    return (Decimal(voted) * 100 / Decimal(registered)).quantize(Decimal("0.01")) if registered else None


def rekap_pemilu(user, *, year=None) -> list[dict]:
    """P7.1: per election and kecamatan/kelurahan, the election data (population,
    DPS, first-time voters, TPS) next to the observed TPS results (DPT, voters,
    valid and invalid votes, participation), from visible Pemantauan Pemilu."""
    filters = {"tahun": year} if year else None
    table: dict = {}

    def row(doc, kecamatan, kelurahan):
        key = (doc.pk, kecamatan or "", (kelurahan or "").strip())
        if key not in table:
            table[key] = {
                "dokumen": doc.name,
                "url": registry.desk_url(doc),
                "pemilu": doc.nama_pemilu,
                "tahun": doc.tahun,
                "status": doc.workflow_state,
                "kecamatan": kecamatan or "",
                "kelurahan": (kelurahan or "").strip(),
                **dict.fromkeys(("penduduk", "dps", "pemula", "tps", "tps_diamati", "dpt", "pengguna"), 0),
                **dict.fromkeys(("sah", "tidak_sah"), 0),
            }
        return table[key]

    for w in child_rows(user, "Pemantauan Pemilu", "data_wilayah", filters=filters):
        r = row(w.parent, w.kecamatan, w.kelurahan)
        r["penduduk"] += w.jumlah_penduduk or 0
        r["dps"] += w.jumlah_dps or 0
        r["pemula"] += w.pemilih_pemula or 0
        r["tps"] += w.jumlah_tps or 0
    for h in child_rows(user, "Pemantauan Pemilu", "hasil_pengamatan", filters=filters):
        r = row(h.parent, h.kecamatan, h.kelurahan)
        r["tps_diamati"] += 1
        r["dpt"] += h.dpt or 0
        r["pengguna"] += h.pengguna_hak_pilih or 0
        r["sah"] += h.suara_sah or 0
        r["tidak_sah"] += h.suara_tidak_sah or 0
    out = sorted(table.values(), key=lambda r: (-(r["tahun"] or 0), r["dokumen"], r["kecamatan"], r["kelurahan"]))
    for r in out:
        r["partisipasi"] = _participation(r["pengguna"], r["dpt"])
    return out
