"""Print formats: sandboxed, autoescaped Jinja rendered to PDF with WeasyPrint.
Issuing (the PDF stored unchanged with its number, hash and the verification
token the QR code carries) is ``docflow.issuing``.

Gathering the context and rendering stay apart: ``build_context`` makes a
plain dict, ``render_html``/``render_pdf`` only render it.
"""

import base64
import datetime
import functools
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from markupsafe import Markup

from . import registry
from .exceptions import DocflowError, PrintError
from .models import IssuedDocument, LetterHead, PrintFormat
from .scope import backend
from .template_errors import template_error_message

FONT_DIR = Path(__file__).resolve().parent / "static" / "docflow" / "fonts"
BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
HARI = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
PAGE_SIZES = {"A4": "A4", "F4": "215mm 330mm", "Letter": "letter"}


# --- helpers available in every template -------------------------------------


def tanggal(value, with_day: bool = False) -> str:
    """28 November 2026 (Indonesian month names, local time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    text = f"{value.day} {BULAN[value.month - 1]} {value.year}"
    return f"{HARI[value.weekday()]}, {text}" if with_day else text


def rupiah(value, decimals: int = 0) -> str:
    """Rp4.860 or Rp1.234.567,50: Indonesian separators, Decimal throughout."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1) / (10**decimals), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    whole, _sep, frac = f"{abs(amount):.{decimals}f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}Rp{grouped}" + (f",{frac}" if decimals else "")


def terbilang(value, suffix: str = "") -> str:
    """Amount in Indonesian words: 'empat ribu delapan ratus enam puluh'."""
    if value in (None, ""):
        return ""
    from num2words import num2words  # with all its languages: loaded where a letter needs it

    amount = Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    words = num2words(int(amount), lang="id")
    return f"{words} {suffix}".strip()


def angka(value) -> str:
    """12.345 — thousands separated as Indonesians write them."""
    if value in (None, ""):
        return ""
    return f"{int(value):,}".replace(",", ".")


def format_nip(nip: str) -> str:
    """NIP 198001012005011001 as printed: 19800101 200501 1 001."""
    digits = "".join(ch for ch in str(nip or "") if ch.isdigit())
    if len(digits) != 18:
        return str(nip or "")
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def qr_data_uri(text: str, scale: int = 3) -> Markup:
    import segno  # here, not at start-up: 9 MiB a web worker needs only when it renders a letter

    # a fixed mask: any mask gives a valid code, searching the best took most of the time
    return Markup(segno.make(text, error="m", mask=0, micro=False).svg_data_uri(scale=scale, border=1))


@functools.cache
def environment():
    """The print templates' Jinja environment (``print_sandbox``), built at
    the first print: Jinja is 11 MiB a web worker seldom needs, since issued
    letters are rendered by the background worker."""
    from jinja2 import StrictUndefined

    from .print_sandbox import make_environment

    env = make_environment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(
        tanggal=tanggal,
        rupiah=rupiah,
        terbilang=terbilang,
        nip=format_nip,
        angka=angka,
        upper=lambda s: str(s or "").upper(),
    )
    env.globals.update(tanggal=tanggal, rupiah=rupiah, terbilang=terbilang, nip=format_nip, angka=angka, qr=qr_data_uri)
    return env


@functools.cache
def _locked_fetcher_class():
    """WeasyPrint is imported where it renders, not with every worker (38 MiB)."""
    from weasyprint.urls import URLFetcher

    class LockedFetcher(URLFetcher):
        """Only data: URIs and the fonts shipped in the repository; nothing from
        the network or the rest of the disk (administrators edit templates)."""

        def __init__(self):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if FONT_DIR not in path.parents:
                    raise ValueError("blocked")
            return super().fetch(url, headers)

    return LockedFetcher


_fonts = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread: the letter fonts are read
    and registered with fontconfig once, not on every render."""
    from weasyprint.text.fonts import FontConfiguration

    config = getattr(_fonts, "config", None)
    if config is None:
        config = _fonts.config = FontConfiguration()
    return config


@functools.lru_cache(maxsize=256)
def _compiled(source: str):
    """A template compiled once per process and source (print formats and
    letterheads change rarely; a changed one is a new key)."""
    return environment().from_string(source)


def check_template(source: str) -> str | None:
    """Syntax, unknown filters and tests: Jinja finds them when compiling."""
    from jinja2 import TemplateError

    try:
        environment().from_string(source)
    except TemplateError as exc:
        return template_error_message(exc)
    return None


SAMPLE_SIGNER = {"nama": "Nama Pejabat", "nip": "197001011990031001", "jabatan": "Kepala Badan", "pangkat": "Pembina"}


def sample_document(doctype: str):
    """A document to try a template on: the latest one that has a letter
    number (the most filled in), else the latest; None when there is none."""
    try:
        model = registry.get(doctype).model
    except DocflowError:
        return None
    manager = model._default_manager
    return manager.exclude(number="").order_by("-pk").first() or manager.order_by("-pk").first()


def check_against_sample(print_format: PrintFormat) -> str | None:
    """Render ``print_format`` (saved or not) against a sample document of its
    type, as approval would: an unknown filter, a misspelt field or a failing
    expression is refused when the template is saved."""
    for source in (print_format.html, print_format.letter_head.content if print_format.letter_head else ""):
        problem = check_template(source or "")
        if problem:
            return problem
    doc = sample_document(print_format.doc_type)
    if doc is None:
        return None  # nothing to render against yet: syntax and filters were checked
    try:
        context = build_context(doc, signer=SAMPLE_SIGNER)
    except Exception:  # noqa: BLE001 - the sample's own data failed, not the template
        return None
    try:
        render_html(print_format, context)
    except DocflowError as exc:
        return _("%(error)s (dicoba pada %(name)s)") % {"error": exc.message, "name": doc.name}
    return None


# --- context and rendering ---------------------------------------------------


def _print_link(doc):
    """``link("field")`` in a print format: the linked document's values (a
    dict), read by the engine's reader, bounded like a condition's lookups."""
    from . import reader

    budget = reader.Budget()

    def link(name):
        try:
            return reader.linked_values(doc, str(name), budget)
        except reader.LookupError_ as exc:
            raise PrintError(reason=str(exc)) from None

    return link


def _print_exists():
    from . import reader

    budget = reader.Budget()

    def exists(doctype, filters):
        try:
            budget.spend()
            return reader.exists(doctype, filters)
        except reader.LookupError_ as exc:
            raise PrintError(reason=str(exc)) from None

    return exists


def build_context(doc, *, issued: IssuedDocument | None = None, signer: dict | None = None) -> dict:
    info = registry.for_model(doc)
    own_number = issued is not None and issued.number and issued.number != doc.number
    context = {
        "doc": doc,
        "doctype": info.doctype,
        "nomor": issued.number if own_number else doc.number,
        "tanggal_nomor": timezone.localdate(issued.issued_at) if own_number else doc.number_date,
        "today": timezone.localdate(),
        "organisasi": settings.DOCFLOW_ORGANISATION_NAME,
        "unit": backend().unit_label(doc.unit_id),
        "penandatangan": {"nama": "", "nip": "", "jabatan": "", "pangkat": "", **(signer or {})},
        "verification_url": issued.verification_url if issued else "",
        "token": issued.token if issued else "",
        "is_draft": issued is None,
    }
    context.update(link=_print_link(doc), exists=_print_exists())
    if info.print_context:
        context.update(info.print_context(doc))
    # templates see views of records and people, never ORM objects (print_sandbox)
    from .print_sandbox import safe_context

    return safe_context(context)


def expected_signer(doc, print_format: PrintFormat | None = None) -> dict:
    """The signature block a draft shows: whoever would take the step that
    issues a letter (the first transition from here into a state with a print
    format), as the issued letter would print them; {} when nobody is found."""
    from .exceptions import NoActiveWorkflow
    from .services.workflow import cached_workflow

    try:
        loaded = cached_workflow(registry.for_model(doc).doctype)
    except NoActiveWorkflow:
        return {}
    pending, seen = [doc.workflow_state], set()
    while pending:  # breadth-first from the current state
        state = pending.pop(0)
        if state in seen:
            continue
        seen.add(state)
        for t in loaded.transitions_from(state):
            target = loaded.states.get(t.next_state)
            if target is None:
                continue
            if target.print_format_id and (print_format is None or target.print_format_id == print_format.pk):
                for user in backend().users_for_role(t.allowed.name, doc.unit_id):
                    if user.has_usable_password():
                        person = backend().person(user)
                        return {"nama": person.name, "nip": person.nip, "jabatan": person.title, "pangkat": person.rank}
            pending.append(t.next_state)
    return {}


def draft_context(doc, print_format: PrintFormat) -> dict:
    """A draft's print context: the expected signer in the signature block. The
    draft PDF and the desk's preview both use it."""
    return build_context(doc, signer=expected_signer(doc, print_format) or expected_signer(doc))


def preview_html(print_format: PrintFormat, context: dict, *, pdf_url: str, back_url: str, script_url: str) -> str:
    """The PDF's layout on screen: the page at its paper width and margins,
    with a print toolbar that is not printed."""
    html = render_html(print_format, context)
    width = {"A4": "210mm", "F4": "215mm", "Letter": "216mm"}.get(print_format.page_size, "210mm")
    screen = (
        "<style>@media screen { html { background: #e5e7eb; } "
        f"body {{ width: {width}; min-height: 297mm; box-sizing: border-box; margin: 3.5rem auto 2rem; "
        f"padding: {print_format.margin}; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); position: relative; }} "
        ".docflow-print-toolbar { position: fixed; top: 0; left: 0; right: 0; display: flex; gap: .75rem; "
        "align-items: center; padding: .5rem 1rem; background: #1f2937; color: #fff; font: 14px sans-serif; z-index: 10; } "
        ".docflow-print-toolbar a, .docflow-print-toolbar button { color: #fff; background: none; "
        "border: 1px solid #9ca3af; border-radius: 4px; padding: .25rem .75rem; font: inherit; cursor: pointer; "
        "text-decoration: none; } } "
        "@media print { .docflow-print-toolbar { display: none; } }</style>"
    )
    toolbar = (
        f'<div class="docflow-print-toolbar" id="docflow-print-toolbar">'
        f'<a href="{Markup.escape(back_url)}">{_("« Kembali ke dokumen")}</a>'
        f'<button type="button" id="docflow-print-button">{_("Cetak")}</button>'
        f'<a href="{Markup.escape(pdf_url)}">{_("Unduh PDF")}</a>'
        f"<span>{Markup.escape(print_format.name)} · {Markup.escape(print_format.get_page_size_display())}</span></div>"
        f'<script src="{Markup.escape(script_url)}" defer></script>'
    )
    return html.replace("</head>", screen + "</head>", 1).replace("<body>", "<body>" + toolbar, 1)


def _base_css(print_format: PrintFormat) -> str:
    faces = []
    for weight, style, name in [
        ("normal", "normal", "Regular"),
        ("bold", "normal", "Bold"),
        ("normal", "italic", "Italic"),
        ("bold", "italic", "BoldItalic"),
    ]:
        url = (FONT_DIR / f"LiberationSerif-{name}.ttf").as_uri()
        faces.append(
            f"@font-face {{ font-family: 'Dokumen Serif'; font-weight: {weight}; font-style: {style}; src: url('{url}'); }}"
        )
    size = PAGE_SIZES.get(print_format.page_size, "A4")
    return (
        "\n".join(faces)
        + f"""
@page {{ size: {size}; margin: {print_format.margin};
  @bottom-right {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; }} }}
html {{ font-family: 'Dokumen Serif', serif; font-size: 12pt; line-height: 1.35; color: #000; }}
.kop {{ text-align: center; border-bottom: 3px double #000; padding-bottom: 4pt; margin-bottom: 12pt; }}
.kop .pemerintah {{ font-size: 14pt; font-weight: bold; }}
.kop .instansi {{ font-size: 16pt; font-weight: bold; }}
.kop .alamat {{ font-size: 9.5pt; }}
.kop {{ position: relative; }}
.kop .lambang {{ position: absolute; left: 0; top: 0; height: 2.6cm; }}
.draft-mark {{ position: fixed; top: 40%; left: 10%; font-size: 72pt; color: rgba(200,0,0,.15);
  transform: rotate(-30deg); }}
table {{ border-collapse: collapse; }}
"""
    )


def letter_head_context(letter_head: LetterHead) -> dict:
    """What a letterhead template sees as ``kop``: its contacts and the emblem as a data: URI."""
    emblem = ""
    if letter_head.lambang:
        try:
            with letter_head.lambang.open("rb") as fh:
                data = fh.read(2 * 1024 * 1024)
        except OSError:
            data = b""
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg" if data.startswith(b"\xff\xd8") else ""
        if kind:
            emblem = Markup(f"data:{kind};base64,{base64.b64encode(data).decode()}")
    return {
        "lambang": emblem,
        "alamat": letter_head.alamat,
        "telepon": letter_head.telepon,
        "email": letter_head.email,
        "website": letter_head.website,
    }


def render_html(print_format: PrintFormat, context: dict) -> str:
    from jinja2 import TemplateError
    from jinja2.sandbox import SecurityError

    from .print_sandbox import render_bounded, safe, safe_context

    context = safe_context(context)
    try:
        body = render_bounded(_compiled(print_format.html), context)
        head = ""
        letter_head = print_format.letter_head or LetterHead.objects.filter(is_default=True).first()
        if letter_head is not None:
            context = {**context, "kop": safe(letter_head_context(letter_head))}
            head = render_bounded(_compiled(letter_head.content), context)
    except TemplateError as exc:
        raise PrintError(reason=template_error_message(exc)) from exc
    except SecurityError as exc:
        raise PrintError(reason=str(exc)) from exc
    except (RecursionError, MemoryError, OverflowError) as exc:
        raise PrintError(reason=_("templat terlalu berat (%(error)s)") % {"error": type(exc).__name__}) from exc
    draft = f'<div class="draft-mark">{_("DRAF")}</div>' if context.get("is_draft") else ""
    # A stylesheet cannot close the <style> element it sits in.
    css = (_base_css(print_format) + "\n" + (print_format.css or "")).replace("</", "<\\/")
    title = Markup.escape(context.get("nomor") or context["doctype"])
    kop = f'<header class="kop">{head}</header>' if head else ""
    return (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{css}</style></head><body>{draft}{kop}{body}</body></html>"
    )


def render_pdf(print_format: PrintFormat, context: dict, metadata: dict | None = None) -> bytes:
    from weasyprint import HTML

    from .print_sandbox import PrintTimeout, wall_clock

    html = render_html(print_format, context)
    try:
        with wall_clock(float(getattr(settings, "PRINT_TIME_LIMIT", 30))):
            return HTML(string=html, url_fetcher=_locked_fetcher_class()(), base_url=str(FONT_DIR)).write_pdf(
                font_config=_font_config(), finisher=functools.partial(_write_metadata, metadata=metadata or {})
            )
    except PrintTimeout as exc:
        _fonts.config = None  # stopped midway: perhaps while registering a font
        raise PrintError(reason=_("pembuatan PDF melewati batas waktu cetak")) from exc
    except BaseException:
        _fonts.config = None
        raise


def _write_metadata(document, pdf, *, metadata: dict) -> None:
    """The document information dictionary, written by WeasyPrint as it
    writes the PDF (no second pass over the file)."""
    import pydyf

    values = {
        "Producer": "Bakesbangpol docflow",
        "Creator": settings.DOCFLOW_ORGANISATION_NAME,
        **{k: str(v) for k, v in metadata.items() if v not in (None, "")},
    }
    for key, value in values.items():
        pdf.info[key] = pydyf.String(value)


def default_format(doctype: str) -> PrintFormat | None:
    return PrintFormat.objects.filter(doc_type=doctype, disabled=False).order_by("-is_default", "name").first()


def signer_from_log(log) -> dict:
    """The signature block of whoever took the issuing decision; a delegate
    signs as Plt./Plh. of the official."""
    if log is None:
        return {}
    person = backend().person(log.user)
    title = person.title
    if log.delegation_label:
        title = log.delegation_label
    return {"nama": person.name, "nip": person.nip, "jabatan": title, "pangkat": person.rank}
