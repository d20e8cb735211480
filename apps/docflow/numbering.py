"""Numbering series: patterns such as ``{kode_klasifikasi}/{seq:03}/423.108/{YYYY}``
with a counter per period, gapless and unique under concurrency.

The counter row is locked (SELECT ... FOR UPDATE) inside the caller's
transaction: two issuers queue, and a rolled-back issue gives its number back.
"""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import NumberingError
from .models import NamingCounter, NamingSeries

TOKEN = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::(0\d+))?\}")
ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
DATE_TOKENS = {"YYYY", "YY", "MM", "MM_ROMAWI", "DD"}


def field_tokens(pattern: str) -> list[str]:
    """The tokens of ``pattern`` that name a field of the document."""
    names = []
    for match in TOKEN.finditer(pattern):
        name = match.group(1)
        if name != "seq" and name not in DATE_TOKENS and name not in names:
            names.append(name)
    return names


def unknown_tokens(pattern: str, model) -> list[str]:
    """Field tokens that ``model`` (a document type) does not have."""
    return [n for n in field_tokens(pattern) if n.startswith("_") or not hasattr(model, n)]


def check_pattern(pattern: str, models=None) -> str | None:
    """An error message when the pattern has no {seq}, a malformed token, or a
    field token that a document type numbered by it lacks (``models``: those
    doctypes; None: it must at least be a field of some registered doctype).
    Checked when the series is saved, not when the Kepala Badan approves."""
    if "{seq" not in pattern:
        return _("pola harus memuat {seq}, mis. {seq:03}")
    stripped = TOKEN.sub("", pattern)
    if "{" in stripped or "}" in stripped:
        return _("pola memuat token yang tidak dikenali")
    allowed = ", ".join("{" + t + "}" for t in ("seq:03", *sorted(DATE_TOKENS)))
    if models:
        for model in models:
            missing = unknown_tokens(pattern, model)
            if missing:
                return _(
                    "token %(tokens)s tidak dikenal: bukan field %(doctype)s yang memakai seri ini. "
                    "Token yang tersedia: %(allowed)s, atau nama field dokumen."
                ) % {
                    "tokens": ", ".join("{" + m + "}" for m in missing),
                    "doctype": model._meta.verbose_name,
                    "allowed": allowed,
                }
    else:
        from . import registry

        every = [info.model for info in registry.all_doctypes()]
        missing = [n for n in field_tokens(pattern) if not any(not unknown_tokens("{" + n + "}", m) for m in every)]
        if missing:
            return _("token %(tokens)s tidak dikenal. Token yang tersedia: %(allowed)s, atau nama field dokumen.") % {
                "tokens": ", ".join("{" + m + "}" for m in missing),
                "allowed": allowed,
            }
    return None


def models_numbered_by(series) -> list:
    """The document types whose workflows take numbers from ``series``."""
    from . import registry
    from .models import WorkflowState

    if series is None or series.pk is None:
        return []
    doctypes = set(
        WorkflowState.objects.filter(numbering_series=series).values_list("workflow__document_type", flat=True)
    )
    return [registry.get(d).model for d in sorted(doctypes) if d in registry.names()]


def period_of(series: NamingSeries, when) -> str:
    if series.reset == NamingSeries.Reset.YEARLY:
        return f"{when:%Y}"
    if series.reset == NamingSeries.Reset.MONTHLY:
        return f"{when:%Y-%m}"
    return "-"


def _field_value(doc, name: str) -> str:
    if doc is None or not hasattr(doc, name) or name.startswith("_"):
        raise NumberingError(reason=_("field %(name)s tidak ada pada dokumen") % {"name": name})
    value = getattr(doc, name)
    if value in (None, ""):
        raise NumberingError(reason=_("field %(name)s masih kosong") % {"name": name})
    return str(value)


def render(pattern: str, seq: int, when, doc=None, extra: dict | None = None) -> str:
    extra = extra or {}

    def replace(match):
        name, width = match.group(1), match.group(2)
        if name == "seq":
            return str(seq).zfill(int(width)) if width else str(seq)
        if name == "YYYY":
            return f"{when:%Y}"
        if name == "YY":
            return f"{when:%y}"
        if name == "MM":
            return f"{when:%m}"
        if name == "MM_ROMAWI":
            return ROMAN_MONTHS[when.month - 1]
        if name == "DD":
            return f"{when:%d}"
        if name in extra:
            return str(extra[name])
        return _field_value(doc, name)

    return TOKEN.sub(replace, pattern)


def next_number(series: NamingSeries | str, *, doc=None, when=None, extra: dict | None = None) -> str:
    """Take the next number of ``series``. Must run inside the caller's transaction."""
    if isinstance(series, str):
        try:
            series = NamingSeries.objects.get(key=series)
        except NamingSeries.DoesNotExist:
            raise NumberingError(reason=_("seri %(key)s tidak ada") % {"key": series}) from None
    if not transaction.get_connection().in_atomic_block:
        raise NumberingError(reason=_("penomoran harus berjalan di dalam transaksi"))
    when = timezone.localtime(when or timezone.now())
    period = period_of(series, when)
    render(series.pattern, 0, when, doc, extra)  # missing fields fail before a number is taken
    counter = _locked_counter(series, period)
    counter.current += 1
    counter.save(update_fields=["current"])
    return render(series.pattern, counter.current, when, doc, extra)


def _locked_counter(series: NamingSeries, period: str) -> NamingCounter:
    """The period's counter, locked until the caller's transaction ends.

    Issuers first queue on the series row (which always exists), so a new
    period's counter is created by one issuer at a time: no duplicate-key
    races, no deadlocks between concurrent inserts (InnoDB).
    """
    NamingSeries.objects.select_for_update().filter(pk=series.pk).values_list("pk", flat=True).get()
    counter = NamingCounter.objects.select_for_update().filter(series=series, period=period).first()
    if counter is None:
        counter = NamingCounter.objects.create(series=series, period=period, current=0)
    return counter


def counter_set(*, series: NamingSeries, period: str, value: int, user=None) -> NamingCounter:
    """Set a period's counter (e.g. to the number the paper register reached),
    under the same lock as issuing; never lower than it is (numbers already
    given would come again). Recorded in the series' history with old and new value."""
    if value < 0:
        raise NumberingError(reason=_("penghitung tidak boleh negatif"))
    with transaction.atomic():
        counter = _locked_counter(series, period)
        old = counter.current
        if value < old:
            raise NumberingError(
                reason=_("penghitung %(period)s tidak boleh diturunkan dari %(old)s ke %(new)s (nomor akan ganda)")
                % {"period": period, "old": old, "new": value}
            )
        if value != old:
            counter.current = value
            counter.save(update_fields=["current"])
            series._change_reason = _("Penghitung %(period)s diubah dari %(old)s ke %(new)s") % {
                "period": period,
                "old": old,
                "new": value,
            }
            if user is not None:
                series._history_user = user
            series.save()
    return counter
