"""CI with twice today's processes (issue 10: `.ci/run` under 35 minutes).

Clones the repository into a scratch directory and adds one app there,
``apps.bakesbangpol.ganda``, holding copies of the processes defined as data:
each copy is the DocType (with the child tables and linked DocTypes it
needs), its workflow, its print formats and its demo scenario, renamed
"<name> II" (then "III", ...), until there are as many copied processes
(workflows) as the repository has today. The README's process table gets a
row per copy, so the suite's own checks hold. Then it runs ``.ci/run`` in the
clone and prints its stages, the process counts and ``ok``/``short`` against
35 minutes. Nothing in the repository itself changes.

    .venv/bin/python bench/double_processes.py            # generate and run CI
    .venv/bin/python bench/double_processes.py --keep DIR # generate into DIR only
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = "ganda"
GOAL_MINUTES = 35
SUFFIXES = ["II", "III", "IV"]


def _apps(root: Path) -> list[Path]:
    return sorted(p.parent for p in (root / "apps").glob("**/apps.py"))


def _read(path: Path):
    return json.loads(path.read_text())


def inventory(root: Path) -> dict:
    """Today's reference files: data-defined doctypes, workflows, print formats, scenarios."""
    out = {"doctypes": {}, "workflows": {}, "print_formats": [], "scenarios": {}}
    for app in _apps(root):
        for path in sorted(app.glob("doctype/*/*.json")):
            spec = _read(path)
            out["doctypes"][spec["name"]] = spec
        for path in sorted(app.glob("workflows/*.json")):
            spec = _read(path)
            out["workflows"][spec["document_type"]] = spec
        for path in sorted(app.glob("print_formats/*.json")):
            meta = _read(path)
            files = {k: (path.parent / meta[k]).read_text() for k in ("html_file", "css_file") if meta.get(k)}
            out["print_formats"].append((meta, files))
        for path in sorted(app.glob("demo/*.json")):
            spec = _read(path)
            out["scenarios"][spec["doctype"]] = spec
    return out


def _needs(name: str, inv: dict) -> set[str]:
    """The data-defined doctypes a copy of ``name`` must copy too: its child
    tables and links, and the doctypes its demo documents require."""
    doctypes, seen, todo = inv["doctypes"], set(), [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in doctypes:
            continue
        seen.add(current)
        for field in doctypes[current].get("fields", []):
            if field.get("fieldtype") in ("Link", "Table", "Table MultiSelect"):
                todo.append(str(field.get("options") or "").strip())
        for document in inv["scenarios"].get(current, {}).get("documents", []):
            todo.append(document.get("doctype", ""))
    return seen


def choose(inv: dict, wanted: int) -> list[tuple[str, set[str]]]:
    """(suffix, doctypes to copy) rounds until ``wanted`` processes are copied."""
    processes = sorted(n for n, s in inv["doctypes"].items() if not s.get("istable") and n in inv["workflows"])
    rounds, count = [], 0
    for suffix in SUFFIXES:
        chosen: set[str] = set()
        for name in processes:
            if count >= wanted:
                break
            if name in chosen:
                continue
            added = _needs(name, inv) - chosen
            chosen |= added
            count += sum(1 for n in added if n in processes)
        if chosen:
            rounds.append((suffix, chosen))
        if count >= wanted:
            break
    return rounds


def _rename(value, mapping: dict, keys: set[str]):
    """Rename doctype names wherever a key in ``keys`` holds one."""
    if isinstance(value, list):
        return [_rename(v, mapping, keys) for v in value]
    if isinstance(value, dict):
        return {
            k: (mapping.get(v.strip(), v) if k in keys and isinstance(v, str) else _rename(v, mapping, keys))
            for k, v in value.items()
        }
    return value


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def generate(clone: Path, inv: dict, rounds) -> list[tuple[str, str]]:
    """Write the app into ``clone``; the (original, copy) process names."""
    app = clone / "apps" / "bakesbangpol" / APP
    for sub in ("doctype", "workflows", "print_formats", "demo"):
        (app / sub).mkdir(parents=True, exist_ok=True)
    (app / "__init__.py").write_text("")
    (app / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\n"
        "class GandaConfig(AppConfig):\n"
        f'    name = "apps.bakesbangpol.{APP}"\n'
        f'    label = "{APP}"\n'
        '    verbose_name = "Salinan proses (uji skala CI)"\n'
    )
    copied = []
    for suffix, names in rounds:
        mapping = {n: f"{n} {suffix}" for n in names}
        formats = {
            meta["name"]: f"{meta['name']} {suffix}" for meta, _f in inv["print_formats"] if meta["doc_type"] in names
        }
        for name in sorted(names):
            spec = _rename(inv["doctypes"][name], mapping, {"name", "options"})
            folder = app / "doctype" / _slug(spec["name"])
            folder.mkdir(exist_ok=True)
            (folder / f"{_slug(spec['name'])}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1))
            workflow = inv["workflows"].get(name)
            if workflow is not None and not spec.get("istable"):
                workflow = _rename(workflow, mapping, {"document_type"})
                workflow = _rename(workflow, formats, {"print_format"})
                workflow["workflow_name"] = f"{workflow['workflow_name']} {suffix}"
                (app / "workflows" / f"{_slug(spec['name'])}.json").write_text(json.dumps(workflow, ensure_ascii=False))
                copied.append((name, spec["name"]))
            scenario = inv["scenarios"].get(name)
            if scenario is not None:
                scenario = _rename(_rename(scenario, mapping, {"doctype"}), formats, {"print"})
                (app / "demo" / f"{_slug(spec['name'])}.json").write_text(json.dumps(scenario, ensure_ascii=False))
        for meta, files in inv["print_formats"]:
            if meta["doc_type"] not in names:
                continue
            meta = {**meta, "name": formats[meta["name"]], "doc_type": mapping[meta["doc_type"]]}
            stem = _slug(meta["name"])
            for key, text in files.items():
                meta[key] = f"{stem}{'.css' if key == 'css_file' else '.html'}"
                (app / "print_formats" / meta[key]).write_text(text)
            (app / "print_formats" / f"{stem}.json").write_text(json.dumps(meta, ensure_ascii=False))
    settings = clone / "config" / "settings.py"
    text = settings.read_text()
    anchor = '    "apps.bakesbangpol.kebijakan",\n'
    assert anchor in text, "INSTALLED_APPS changed: update bench/double_processes.py"
    settings.write_text(text.replace(anchor, anchor + f'    "apps.bakesbangpol.{APP}",\n', 1))
    readme = clone / "README.md"
    lines = readme.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("## Proses dan akun demo"))
    end = next((i for i, line in enumerate(lines) if i > start and line.startswith("## ")), len(lines))
    last = max(i for i in range(start, end) if re.match(r"^\|\s*P\d", lines[i]))
    rows = [f"| P99.{n} | Salinan {orig} | {copy} | — |" for n, (orig, copy) in enumerate(copied, 1)]
    readme.write_text("\n".join(lines[: last + 1] + rows + lines[last + 1 :]) + "\n")
    return copied


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", help="generate the clone into this directory and stop (no CI run)")
    args = parser.parse_args()
    inv = inventory(ROOT)
    today = len(inv["workflows"])
    rounds = choose(inv, today)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bakesbangpol-double-"))
    clone = work / "app"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    copied = generate(clone, inv, rounds)
    print(f"processes (workflows): {today} today, {today + len(copied)} with the copies", flush=True)
    if args.keep:
        print(f"generated in {clone}")
        return 0
    (clone / ".venv").symlink_to(ROOT / ".venv")  # the installed venv: CI's own install step still runs
    started = time.monotonic()
    try:
        run = subprocess.run([str(clone / ".ci" / "run")], cwd=clone, capture_output=True, text=True)
        minutes = (time.monotonic() - started) / 60
        stages = [line for line in run.stdout.splitlines() if line.startswith(("== stage", "== CI"))]
        print("\n".join(stages))
        for line in run.stdout.splitlines():
            if re.search(r"\d+ (passed|failed)", line):
                print("  ", line)
        ok = run.returncode == 0 and minutes < GOAL_MINUTES
        print(f".ci/run with {today + len(copied)} processes: {minutes:.1f} min, rc {run.returncode}, "
              f"goal < {GOAL_MINUTES} min: {'ok' if ok else 'short'}")  # fmt: skip
        if run.returncode:
            print(run.stdout[-6000:], run.stderr[-3000:], sep="\n")
        return 0 if ok else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
