"""Excel export of a report: the same rows the page shows, with its filters noted.

Text that a spreadsheet would read as a formula (it starts with ``= + - @``, a
tab or a carriage return: CSV/formula injection, e.g. an applicant's
``=HYPERLINK(...)``) is written as text: in our own workbooks as a string cell
with Excel's quote prefix, in django-import-export files with a leading
apostrophe (``FormulaSafeResource``)."""

import io

from django.http import HttpResponse
from import_export import resources
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter


def xlsx_response(filename: str, title: str, headers: list, rows: list, filters: dict | None = None) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=13)
    for key, value in (filters or {}).items():
        if value not in (None, "", False):
            ws.append([f"{key}: {value}"])
    ws.append([])
    ws.append(headers)
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_plain(v) for v in row])
    for idx, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(_plain(r[idx - 1]) or "")) for r in rows[:500]])
        ws.column_dimensions[get_column_letter(idx)].width = min(60, width + 2)
    for sheet_row in ws.iter_rows():
        for cell in sheet_row:
            if isinstance(cell.value, str) and is_formula_like(cell.value):
                cell.data_type = "s"  # openpyxl took it for a formula; keep it text
                cell.quotePrefix = True
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _plain(value):
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    return value


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise_formula(value):
    """A leading apostrophe for text a spreadsheet would evaluate (OWASP's advice)."""
    return "'" + value if is_formula_like(value) else value


class FormulaSafeResource(resources.ModelResource):
    """django-import-export resource whose exports carry no live formulas."""

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))
