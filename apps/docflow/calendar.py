"""Working calendar: weekends, Indonesian public holidays (the ``holidays``
package) and the days an administrator adds or turns into working days."""

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone

from .models import Holiday


@lru_cache(maxsize=32)
def _national(year: int) -> dict:
    return dict(holidays.country_holidays("ID", years=year))


def _overrides(start: datetime.date, end: datetime.date) -> dict[datetime.date, bool]:
    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "is_working_day"))


def is_working_day(day: datetime.date, overrides: dict | None = None) -> bool:
    if overrides is None:
        overrides = _overrides(day, day)
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5 and day not in _national(day.year)


def holiday_name(day: datetime.date) -> str | None:
    row = Holiday.objects.filter(date=day, is_working_day=False).first()
    if row:
        return row.description
    return _national(day.year).get(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    # Look far enough ahead for long holiday runs (Lebaran) in one query.
    overrides = _overrides(start, start + datetime.timedelta(days=days * 3 + 30))
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides):
            count += 1
    return count


def due_at(entered: datetime.datetime, sla_days: int | None) -> datetime.datetime | None:
    """End of the last working day of the SLA, in local time."""
    if not sla_days:
        return None
    local = timezone.localtime(entered)
    last = add_working_days(local.date(), sla_days)
    end = datetime.datetime.combine(last, datetime.time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())
