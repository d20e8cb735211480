"""Recurring documents (Frappe's Auto Repeat): a schedule makes a new
document from a template document of any registered doctype, once per
period (daily, weekly, monthly, quarterly, yearly), between its start and
end dates.

A period is due on its first working day (``docflow.calendar``: weekends,
national holidays, the administrator's days). The scheduler runs ``run_due``
every hour as a background job; periods missed while nothing ran are made
then, oldest first, each once. "Once" is the database's: ``AutoRepeatRun``
is unique per (schedule, period start) and is written first, in the
transaction that creates the document, so a scheduled run racing a manual
one ("Buat periode ini sekarang" in the desk) makes one document; the loser
sees the unique key and creates nothing.

The new document copies the template's editable fields (not the engine's,
unique fields or files), goes to the schedule's unit (else the template's),
is created by ``run_as`` through ``document_create`` (the one write path:
the doctype's validate hook, numbering, notifications, webhooks), and gets
the period in the fields the schedule names: a label ("Januari 2027",
"Triwulan I 2027") and/or its first and last day.
"""

import calendar as pycalendar
import datetime
import logging

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import calendar, registry
from .exceptions import DocflowError
from .models import AutoRepeat, AutoRepeatRun

logger = logging.getLogger(__name__)
Frequency = AutoRepeat.Frequency
MAX_CATCH_UP = 60  # periods made per schedule in one run (a daily schedule left for months catches up over runs)
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
TRIWULAN = ("I", "II", "III", "IV")


class AlreadyMade(DocflowError):
    http_status = 409
    exc_type = "DuplicateEntryError"


def period_of(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of ``frequency`` that holds ``day``: (first day, last day)."""
    if frequency == Frequency.DAILY:
        return day, day
    if frequency == Frequency.WEEKLY:
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1), day.replace(day=pycalendar.monthrange(day.year, day.month)[1])
    if frequency == Frequency.QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
        return datetime.date(day.year, first, 1), datetime.date(
            day.year, last, pycalendar.monthrange(day.year, last)[1]
        )
    if frequency == Frequency.YEARLY:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    raise ValueError(frequency)


def next_period(frequency: str, start: datetime.date) -> tuple[datetime.date, datetime.date]:
    return period_of(frequency, period_of(frequency, start)[1] + datetime.timedelta(days=1))


def label(frequency: str, start: datetime.date, end: datetime.date) -> str:
    if frequency == Frequency.DAILY:
        return f"{start.day} {BULAN[start.month - 1]} {start.year}"
    if frequency == Frequency.WEEKLY:
        week = start.isocalendar()
        return _("Minggu %(w)s %(y)s (%(a)s s.d. %(b)s)") % {
            "w": week.week,
            "y": week.year,
            "a": f"{start.day} {BULAN[start.month - 1]}",
            "b": f"{end.day} {BULAN[end.month - 1]} {end.year}",
        }
    if frequency == Frequency.MONTHLY:
        return f"{BULAN[start.month - 1]} {start.year}"
    if frequency == Frequency.QUARTERLY:
        return _("Triwulan %(q)s %(y)s") % {"q": TRIWULAN[(start.month - 1) // 3], "y": start.year}
    return str(start.year)


def run_date(period_start: datetime.date) -> datetime.date:
    """The first working day on or after the period's first day."""
    day = period_start
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def due_periods(schedule: AutoRepeat, today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Periods of ``schedule`` due by ``today`` that have no run yet, oldest first."""
    done = set(schedule.runs.values_list("period_start", flat=True))
    start, end = period_of(schedule.frequency, schedule.start_date)
    due = []
    while start <= today and len(due) < MAX_CATCH_UP:
        if schedule.end_date and start > schedule.end_date:
            break
        if start not in done and run_date(start) <= today:
            due.append((start, end))
        start, end = next_period(schedule.frequency, start)
    return due


# --- making the document ---------------------------------------------------------------


def template_of(schedule: AutoRepeat):
    info = registry.get(schedule.reference_doctype)
    doc = info.model._default_manager.filter(name=schedule.reference_document).first()
    if doc is None:
        raise ValidationError(
            {"reference_document": _("Dokumen %(n)s tidak ada.") % {"n": schedule.reference_document}}
        )
    return info, doc


def _copied_values(doc) -> dict:
    from .services.workflow import ENGINE_FIELDS

    data = {}
    for field in type(doc)._meta.concrete_fields:
        if (
            not field.editable
            or field.primary_key
            or field.unique
            or field.name in ENGINE_FIELDS
            or isinstance(field, models.FileField)
        ):
            continue
        data[field.name] = getattr(doc, field.name)
    for field in type(doc)._meta.many_to_many:
        data[field.name] = list(getattr(doc, field.name).all())
    info = registry.for_model(doc)
    for fieldname, child in info.children.items():  # a data-defined doctype's child tables, row by row
        names = [f.name for f in child._meta.concrete_fields if f.name not in ("id", "parent", "idx")]
        data[fieldname] = [{n: getattr(row, n) for n in names} for row in getattr(doc, fieldname).all()]
    from .dynamic import customize

    for cf in customize.fields_for(info.doctype):  # Customize Form values of a code-defined doctype
        if cf.fieldname in (doc.custom or {}):
            data[cf.fieldname] = customize.value(doc, cf)
    return data


def run_period(schedule: AutoRepeat, period_start: datetime.date, *, trigger: str, user=None) -> AutoRepeatRun:
    """Make the document of one period, once: raises ``AlreadyMade`` when
    the period has its run (made earlier or by a run racing this one)."""
    from .services.workflow import document_create

    start, end = period_of(schedule.frequency, period_start)
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = AutoRepeatRun.objects.create(
                    schedule=schedule, period_start=start, period_end=end, trigger=trigger, user=user
                )
        except IntegrityError:
            raise AlreadyMade(
                _("Dokumen periode %(p)s sudah dibuat.") % {"p": label(schedule.frequency, start, end)}
            ) from None
        info, template = template_of(schedule)
        data = _copied_values(template)
        if schedule.period_field:
            data[schedule.period_field] = label(schedule.frequency, start, end)
        if schedule.period_start_field:
            data[schedule.period_start_field] = start
        if schedule.period_end_field:
            data[schedule.period_end_field] = end
        doc = document_create(
            model=info.model, user=schedule.run_as, data=data, unit=schedule.unit_id or template.unit_id
        )
        run.document_id, run.document_name = doc.pk, doc.name
        run.save(update_fields=["document_id", "document_name"])
    return run


def run_now(schedule: AutoRepeat, user, *, today=None) -> AutoRepeatRun:
    """The desk's "Buat periode ini sekarang": the current period, if it is
    within the schedule and not made yet."""
    today = today or timezone.localdate()
    start, _end = period_of(schedule.frequency, today)
    if schedule.disabled:
        raise ValidationError(_("Jadwal ini nonaktif."))
    if today < schedule.start_date or (schedule.end_date and start > schedule.end_date):
        raise ValidationError(_("Hari ini di luar masa berlaku jadwal."))
    return run_period(schedule, start, trigger=AutoRepeatRun.Trigger.MANUAL, user=user)


def run_due(*, today=None) -> int:
    """Make every due period of every active schedule (the scheduler's job).
    A schedule that fails does not stop the others; the job then fails with
    their errors (and is retried; the periods made stay made)."""
    today = today or timezone.localdate()
    made, errors = 0, []
    for schedule in AutoRepeat.objects.filter(disabled=False, start_date__lte=today).select_related("run_as"):
        for start, _end in due_periods(schedule, today):
            try:
                run_period(schedule, start, trigger=AutoRepeatRun.Trigger.SCHEDULED)
                made += 1
            except AlreadyMade:
                continue
            except (DocflowError, ValidationError, IntegrityError) as exc:
                logger.warning("auto repeat %s, period %s: %s", schedule.pk, start, exc)
                errors.append(f"{schedule}: {start}: {getattr(exc, 'message', None) or exc}")
                break
    if errors:
        raise RuntimeError("; ".join(errors))
    return made


def validate_schedule(schedule: AutoRepeat) -> None:
    errors = {}
    try:
        info = registry.get(schedule.reference_doctype)
    except DocflowError:
        raise ValidationError(
            {"reference_doctype": _("Jenis dokumen %(d)s tidak dikenal.") % {"d": schedule.reference_doctype}}
        ) from None
    if not info.model._default_manager.filter(name=schedule.reference_document).exists():
        errors["reference_document"] = _("Dokumen %(n)s tidak ada.") % {"n": schedule.reference_document}
    if schedule.end_date and schedule.start_date and schedule.end_date < schedule.start_date:
        errors["end_date"] = _("Tanggal akhir sebelum tanggal mulai.")
    for attr, kinds in (
        ("period_field", (models.CharField, models.TextField)),
        ("period_start_field", (models.DateField,)),
        ("period_end_field", (models.DateField,)),
    ):
        name = getattr(schedule, attr)
        if not name:
            continue
        try:
            field = info.model._meta.get_field(name)
        except FieldDoesNotExist:
            errors[attr] = _("Field %(f)s tidak ada pada %(d)s.") % {"f": name, "d": info.doctype}
            continue
        if not isinstance(field, kinds) or isinstance(field, models.DateTimeField) or not field.editable:
            errors[attr] = _("Field %(f)s tidak dapat menampung periode.") % {"f": name}
    if errors:
        raise ValidationError(errors)
