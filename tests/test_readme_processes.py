"""The README's table of processes and demo accounts names real doctypes
and real demo accounts, and every process shipped as data is in it."""

import re
from pathlib import Path

from apps.docflow import registry, scenarios
from apps.organisasi.demo import ACCOUNTS, EXTERNAL

README = Path(__file__).resolve().parent.parent / "README.md"


def _rows():
    text = README.read_text()
    table = text[text.index("## Proses dan akun demo") :].split("\n## ")[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.match(r"^P\d", cells[0]):
            yield cells


def test_the_readme_table_names_real_doctypes_and_accounts():
    accounts = {a[0] for a in ACCOUNTS} | {e[0] for e in EXTERNAL} | {"portal"}
    named = set()
    rows = list(_rows())
    assert len(rows) >= 30
    for code, _name, doctypes, people in rows:
        for doctype in [d.strip() for d in doctypes.split(",") if d.strip() not in ("—", "-")]:
            assert doctype in registry.names(load=True), (code, doctype)
            named.add(doctype)
        for username in re.findall(r"`([a-z_0-9]+)`", people):
            if username.startswith("timver") or username in ("ajukan",):
                continue
            assert username in accounts, (code, username)
    shipped = {s["doctype"] for s in scenarios.scenarios()}
    assert shipped <= named, f"processes with demo documents missing from the README: {shipped - named}"
