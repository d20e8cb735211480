"""Writes of the reports app: IKU reference data and the escalation job."""

from decimal import Decimal
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow import calendar, registry
from apps.docflow.exceptions import NoActiveWorkflow
from apps.docflow.models import Notification, SubTask
from apps.docflow.services.workflow import load_workflow
from apps.organisasi.models import Unit

from .models import Eskalasi, Indikator, RealisasiIKU, TargetIKU

IKU_DATA = Path(__file__).resolve().parent / "data" / "iku.yaml"
HEAD_ROLES = ("Kepala Bidang", "Kepala Sub Bagian", "Sekretaris", "Kepala Badan")


@transaction.atomic
def iku_load_reference() -> int:
    data = yaml.safe_load(IKU_DATA.read_text())
    for row in data["indicators"]:
        indikator, _created = Indikator.objects.update_or_create(
            urutan=row["seq"],
            defaults={
                "nama": row["name"],
                "satuan": row["unit"],
                "tujuan": row.get("tujuan", ""),
                "sasaran": row.get("sasaran", ""),
                "proses_terkait": ", ".join(row.get("related_processes", [])),
                "catatan": "\n".join(row.get("notes", [])),
            },
        )
        for year, value in row["targets_value"].items():
            TargetIKU.objects.update_or_create(
                indikator=indikator,
                tahun=int(year),
                defaults={"nilai": Decimal(str(value)), "tertulis": str(row["targets_as_written"][year])},
            )
    return len(data["indicators"])


@transaction.atomic
def realisasi_iku_catat(*, indikator, tahun: int, nilai, user, bukti=None, keterangan: str = "") -> RealisasiIKU:
    realisasi, _created = RealisasiIKU.objects.update_or_create(
        indikator=indikator,
        tahun=tahun,
        defaults={
            "nilai": nilai,
            "bukti": bukti,
            "keterangan": keterangan,
            "dicatat_oleh": user,
            "dicatat_pada": timezone.now(),
        },
    )
    realisasi.full_clean()
    return realisasi


def unit_heads(unit_id) -> list:
    """Heads of the unit that owns a document: holders of a head role in the
    unit or the bidang above it (Kepala Bidang, Kepala Sub Bagian)."""
    ids = []
    current = unit_id
    while current is not None:
        ids.append(current)
        current = Unit.objects.filter(pk=current).values_list("induk_id", flat=True).first()
        if Unit.objects.filter(pk=current, jenis=Unit.Jenis.PIMPINAN).exists():
            break
    User = get_user_model()
    return list(
        User.objects.filter(
            is_active=True,
            groups__name__in=("Kepala Bidang", "Kepala Sub Bagian"),
            pegawai__unit_id__in=ids,
            pegawai__aktif=True,
        ).distinct()
    )


def sekretaris() -> list:
    User = get_user_model()
    return list(User.objects.filter(is_active=True, groups__name="Sekretaris").distinct())


def escalate_overdue(*, now=None, days_to_sekretaris: int = 2) -> dict:
    """Notify the head of the responsible unit about every overdue document,
    then the Sekretaris when it is still late ``days_to_sekretaris`` working
    days after its due date. Never twice for the same lateness: one lateness
    is one visit of a state (``state_seq``)."""
    now = now or timezone.now()
    sent = {1: 0, 2: 0}
    for info in registry.all_doctypes():
        try:
            loaded = load_workflow(info.doctype)
        except NoActiveWorkflow:
            continue
        open_states = [s for s, st in loaded.states.items() if not st.is_final]
        late = info.model._default_manager.filter(workflow_state__in=open_states, due_at__lt=now).select_related("unit")
        for doc in late.iterator():
            levels = [1]
            if (
                calendar.working_days_between(timezone.localtime(doc.due_at).date(), timezone.localtime(now).date())
                >= days_to_sekretaris
            ):
                levels.append(2)
            for level in levels:
                recipients = unit_heads(doc.unit_id) if level == 1 else sekretaris()
                if _record(info, doc, level, recipients, now):
                    sent[level] += 1
    _escalate_subtasks(now, days_to_sekretaris, sent)
    return sent


SUBTASK = "Permintaan Data / Tugas"


def _escalate_subtasks(now, days_to_sekretaris, sent):
    """Overdue sub-tasks: the assignee and the heads of the target unit, then
    the Sekretaris; once per level for each round of the sub-task (a return
    for revision starts a new one)."""
    today = timezone.localdate(now)
    late = SubTask.objects.filter(status__in=SubTask.OPEN_STATUSES, due_date__lt=today).select_related("assignee")
    for task in late.iterator():
        levels = [1]
        if calendar.working_days_between(task.due_date, today) >= days_to_sekretaris:
            levels.append(2)
        for level in levels:
            recipients = unit_heads(task.unit_id) if level == 1 else sekretaris()
            if level == 1 and task.assignee_id:
                recipients = [task.assignee, *[u for u in recipients if u.pk != task.assignee_id]]
            if _record_subtask(task, level, recipients, now):
                sent[level] += 1


def _record_subtask(task, level, recipients, now) -> bool:
    try:
        with transaction.atomic():
            row = Eskalasi.objects.create(
                doctype=SUBTASK,
                document_id=task.pk,
                document_name=task.document_name,
                state=task.status,
                state_seq=task.revision,
                tingkat=level,
                dikirim_pada=now,
            )
            row.penerima.set(recipients)
            days = calendar.working_days_between(task.due_date, timezone.localdate(now))
            try:
                info = registry.get(task.doctype)
                url = f"/app/{info.model._meta.app_label}/{info.model._meta.model_name}/{task.document_id}/change/"
            except Exception:  # noqa: BLE001 - a doctype no longer registered
                url = ""
            Notification.objects.bulk_create(
                Notification(
                    user=user,
                    subject=_("Terlambat: permintaan data/tugas pada %(doctype)s %(name)s")
                    % {"doctype": task.doctype, "name": task.document_name},
                    message=_("Batas waktu %(due)s terlewati %(days)s hari kerja: %(instruction)s")
                    % {"due": task.due_date.strftime("%d-%m-%Y"), "days": days, "instruction": task.instruction[:200]},
                    doctype=task.doctype,
                    document_name=task.document_name,
                    url=url,
                    created_at=now,
                )
                for user in recipients
            )
    except IntegrityError:
        return False  # already escalated for this lateness
    return True


def _record(info, doc, level, recipients, now) -> bool:
    try:
        with transaction.atomic():
            row = Eskalasi.objects.create(
                doctype=info.doctype,
                document_id=doc.pk,
                document_name=doc.name,
                state=doc.workflow_state,
                state_seq=doc.state_seq,
                tingkat=level,
                dikirim_pada=now,
            )
            row.penerima.set(recipients)
            days = calendar.working_days_between(timezone.localtime(doc.due_at).date(), timezone.localtime(now).date())
            Notification.objects.bulk_create(
                Notification(
                    user=user,
                    subject=_("Terlambat: %(doctype)s %(name)s di status %(state)s")
                    % {"doctype": info.doctype, "name": doc.name, "state": doc.workflow_state},
                    message=_("Batas waktu %(due)s terlewati %(days)s hari kerja (unit %(unit)s).")
                    % {"due": timezone.localtime(doc.due_at).strftime("%d-%m-%Y"), "days": days, "unit": doc.unit},
                    doctype=info.doctype,
                    document_name=doc.name,
                    url=registry.desk_url(doc),
                    created_at=now,
                )
                for user in recipients
            )
    except IntegrityError:
        return False  # already escalated for this lateness
    return True
