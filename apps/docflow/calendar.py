"""Working calendar: weekends, Indonesian public holidays and the days an
administrator adds or turns into working days.

The public holidays of a year are data (``Holiday`` rows of kind
"nasional"), loaded from the ``holidays`` package (``load_national_holidays``:
by ``setup_site`` and by a daily scheduled job for this year and the next),
so that an administrator can correct a date the government's decree sets
otherwise (Idul Fitri, say) and a web worker never loads the package (11
MiB). A year not loaded yet falls back to the package, in the process that
asks.
"""

import datetime
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from .models import Holiday


@lru_cache(maxsize=32)
def _from_package(year: int) -> dict:
    import holidays  # here: 11 MiB with a year's dates computed, only where a year is not loaded yet

    return dict(holidays.country_holidays("ID", years=year))


def _loaded_years(years) -> set[int]:
    """Those of ``years`` whose national holidays are rows of the calendar (one query)."""
    national = Holiday.objects.filter(kind=Holiday.Kind.NATIONAL, date__year__in=set(years))
    return {d.year for d in national.dates("date", "year")}


def _national(years) -> dict:
    """The package's holidays of those ``years`` whose national holidays are
    not rows of the calendar yet; for the others the rows decide."""
    years = set(years)
    return _package_days(years - _loaded_years(years))


def _package_days(years) -> dict:
    national = {}
    for year in sorted(years):
        national.update(_from_package(year))
    return national


def load_national_holidays(years) -> int:
    """Add Indonesia's public holidays of ``years`` to the working calendar
    (kind "nasional"), leaving every date that already has a row as it is (a
    day the administrator added). A year that has national rows already is
    left alone: the administrator's corrections and deletions stand.
    Returns the rows added; running it again adds nothing."""
    from simple_history.utils import bulk_create_with_history

    added = 0
    for year in years:
        with transaction.atomic():
            if _loaded_years({year}):
                continue
            taken = set(Holiday.objects.filter(date__year=year).values_list("date", flat=True))
            rows = [
                Holiday(date=day, description=name[:255], kind=Holiday.Kind.NATIONAL)
                for day, name in sorted(_from_package(year).items())
                if day not in taken
            ]
            if rows:
                bulk_create_with_history(rows, Holiday)
            added += len(rows)
    return added


def load_national_holidays_around(today: datetime.date | None = None) -> int:
    """Last year's, this year's and next year's public holidays (``setup_site``
    and the daily scheduled job)."""
    year = (today or timezone.localdate()).year
    return load_national_holidays(range(year - 1, year + 2))


def is_working_day(day: datetime.date, overrides: dict | None = None, national: dict | None = None) -> bool:
    if overrides is None or national is None:
        read_overrides, read_national = _calendar(day, day)  # one query, as for a range
        overrides = read_overrides if overrides is None else overrides
        national = read_national if national is None else national
    if day in overrides:
        return overrides[day]
    if day.weekday() >= 5:
        return False
    return day not in national


def holiday_name(day: datetime.date) -> str | None:
    row = Holiday.objects.filter(date=day, is_working_day=False).first()
    if row:
        return row.description
    return _national({day.year}).get(day)


def _calendar(start: datetime.date, end: datetime.date) -> tuple[dict, dict]:
    """What decides the days from ``start`` to ``end``: the calendar's rows and
    the package's holidays of years not loaded (one query: the rows of those
    years, about sixty a year, tell both)."""
    years = range(start.year, end.year + 1)
    rows = Holiday.objects.filter(date__year__in=years).values_list("date", "is_working_day", "kind")
    overrides, loaded = {}, set()
    for day, working, kind in rows:
        if kind == Holiday.Kind.NATIONAL:
            loaded.add(day.year)
        if start <= day <= end:
            overrides[day] = working
    return overrides, _package_days(set(years) - loaded)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (start itself not counted)."""
    # Look far enough ahead for long holiday runs (Lebaran) in one query.
    overrides, national = _calendar(start, start + datetime.timedelta(days=days * 3 + 30))
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides, national):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    overrides, national = _calendar(start, end)
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, overrides, national):
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
