"""Named hooks of P5's data-defined doctypes: the rules their definitions
cannot express (see docs/ARCHITECTURE.md, processes as data)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from apps.docflow import registry
from apps.docflow.dynamic.hooks import rows_of


@registry.hook("honorarium_timdu_total")
def honorarium_timdu_total(doc, user, old):
    """Honorarium Timdu: every member's amount is positive and the total is
    their sum (printed, with its words, on the Daftar Penerimaan); the budget
    year follows the period (a month made by Auto Repeat in January)."""
    total, errors = Decimal(0), []
    for idx, row in enumerate(rows_of(doc, "penerima") or [], start=1):
        raw = row.get("jumlah")
        try:
            amount = Decimal(str(raw)) if raw not in (None, "") else None
        except InvalidOperation:
            amount = None
        if amount is None or amount <= 0:
            errors.append(
                _("Baris %(n)s (%(nama)s): jumlah honorarium harus lebih dari nol.")
                % {"n": idx, "nama": row.get("nama") or "-"}
            )
            continue
        total += amount
    if errors:
        raise ValidationError({"penerima": errors})
    doc.total = total
    try:
        start = type(doc)._meta.get_field("periode_mulai").to_python(doc.periode_mulai)
    except ValidationError:
        start = None  # the model's own validation names the bad date
    if start:
        doc.tahun_anggaran = start.year
