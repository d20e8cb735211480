"""Jinja's error messages for print formats and letterheads, in Bahasa
Indonesia: an administrator reads what is wrong and on which line, never
Jinja's English."""

import re

from django.utils.translation import gettext as _


def _token(text: str) -> str:
    tokens = {
        "end of print statement": "}}",
        "end of statement block": "%}",
        "end of template": _("akhir templat"),
        "name": _("nama"),
    }
    return tokens.get(text, text)


def _patterns():
    return [
        (
            r"^unexpected end of template, expected '(.+)'\.?$",
            lambda m: _("templat berakhir sebelum %(token)s") % {"token": _token(m[1])},
        ),
        (
            r"^Unexpected end of template\. Jinja was looking for the following tags: (.+)\. "
            r"The innermost block that needs to be closed is '(.+)'\.$",
            lambda m: (
                _("blok %(block)s belum ditutup (diharapkan: %(tags)s)")
                % {"block": m[2], "tags": m[1].replace("' or '", "', '")}
            ),
        ),
        (r"^Encountered unknown tag '(.+)'\.?.*$", lambda m: _("tag %(tag)s tidak dikenal") % {"tag": m[1]}),
        (r"^No filter named '(.+)'\.?$", lambda m: _("filter %(name)s tidak dikenal") % {"name": m[1]}),
        (r"^No test named '(.+)'\.?$", lambda m: _("uji %(name)s tidak dikenal") % {"name": m[1]}),
        (r"^unexpected char '(.+)' at \d+$", lambda m: _("karakter %(char)s tidak terduga") % {"char": m[1]}),
        (
            r"^Expected an expression, got '(.+)'$",
            lambda m: _("diharapkan sebuah ungkapan, ditemukan %(token)s") % {"token": _token(m[1])},
        ),
        (
            r"^expected token '(.+)', got '(.+)'$",
            lambda m: _("diharapkan %(expected)s, ditemukan %(got)s") % {"expected": _token(m[1]), "got": _token(m[2])},
        ),
        (r"^unexpected '(.+)'$", lambda m: _("%(token)s tidak terduga") % {"token": _token(m[1])}),
        (r"^'(.+)' is undefined$", lambda m: _("%(name)s tidak dikenal di templat") % {"name": m[1]}),
        (
            r"^'(.+)' has no attribute '(.+)'$",
            lambda m: _("%(obj)s tidak memiliki atribut %(attr)s") % {"obj": m[1], "attr": m[2]},
        ),
    ]


def template_error_message(exc: Exception) -> str:
    """The Indonesian message for a Jinja error, with its line when known."""
    text = str(getattr(exc, "message", None) or exc).strip()
    message = None
    for pattern, build in _patterns():
        match = re.match(pattern, text, re.DOTALL)
        if match:
            message = build(match)
            break
    if message is None:  # the sandbox's own limits already speak Indonesian
        message = text
    line = getattr(exc, "lineno", None)
    if line:
        return _("baris %(line)s: %(message)s") % {"line": line, "message": message}
    return message
