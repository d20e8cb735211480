"""Speed goals of issue 10, one function per goal.

Generates its own data in a throw-away site (SQLite in a temp SITE_DIR, the
production settings otherwise), measures each figure with an anchor taken in
the same run and prints one line per goal:

    goal | figure | anchor | ratio | target | ok/short

and finally ``K/N goals met``. Not run in CI (timings are not tests).

    python bench/suite.py                 # make bench: 100,000 SKT rows
    python bench/suite.py --quick         # make bench-quick: 10,000 rows, shorter load
"""

import argparse
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PY = sys.executable
RESULTS = []

from data_doctype import goal_data_doctype  # noqa: E402 - bench/ is on the path above


def report(goal, figure, anchor, ratio, target, ok):
    RESULTS.append(ok)
    ratio_s = f"{ratio:.2f}x" if ratio is not None else "-"
    print(
        f"{goal:48s} | {figure:>24s} | {anchor:>22s} | {ratio_s:>7s} | {target:28s} | {'ok' if ok else 'short'}",
        flush=True,
    )


def failed(goal, exc):
    RESULTS.append(False)
    print(f"{goal:48s} | error: {type(exc).__name__}: {str(exc)[:160]} | short", flush=True)


def timed(fn, runs=7, warm=1):
    for _ in range(warm):  # caches, connections, the first compile of each query
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def timed_pair(fn, anchor_fn, runs=15, warm=2):
    """Medians of ``fn`` and of its anchor, run in turns: a ratio between two
    figures taken minutes apart measures the machine's drift as much as the
    code (this machine's neighbours come and go)."""
    for _ in range(warm):
        fn()
        anchor_fn()
    samples, anchors = [], []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
        start = time.perf_counter()
        anchor_fn()
        anchors.append(time.perf_counter() - start)
    return statistics.median(samples), statistics.median(anchors)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(port, path, deadline):
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            status = conn.getresponse().status
            conn.close()
            if status < 500:
                return status
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"no answer on {port}{path}")


# --------------------------------------------------------------------- setup


def setup_site(rows, pending):
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from tests.conftest import ensure_reference_data

    ensure_reference_data()
    from pending_report import generate

    generate(rows)
    make_pending(pending)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def make_pending(count):
    """``count`` complete applications waiting for the SKT officer of BID_KBK."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from apps.bakesbangpol.perizinan.models import PERSYARATAN_SKT, PermohonanSKT
    from apps.organisasi.models import Unit

    user = get_user_model().objects.get(username="pelayanan_kbk")
    unit = Unit.objects.get(kode="BID_KBK")
    now = timezone.now()
    flags = {field: True for field, _label in PERSYARATAN_SKT}
    PermohonanSKT.objects.bulk_create(
        [
            PermohonanSKT(
                name=f"PEND-{i:06d}",
                workflow_state="Menunggu Verifikasi",
                docstatus=0,
                unit=unit,
                process_code="P8.1",
                state_entered_at=now,
                due_at=now + timezone.timedelta(days=3),
                created_by=user,
                modified_by=user,
                created_at=now,
                nama_ormas=f"Ormas Menunggu {i}",
                bidang_kegiatan="Sosial",
                alamat_sekretariat="Jl. Contoh",
                kelurahan="Bugul Kidul",
                kecamatan="Bugul Kidul",
                ketua_nama="Ketua",
                ketua_nik="3575010101010001",
                sekretaris_nama="Sekretaris",
                bendahara_nama="Bendahara",
                **flags,
            )
            for i in range(count)
        ],
        batch_size=500,
    )


def client_for(username):
    from django.test import Client

    from tests.conftest import user

    client = Client()
    client.force_login(user(username))
    return client


def get_with_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response, ctx.captured_queries


LIST = "/app/perizinan/permohonanskt/"
BARE = "/bare-admin/perizinan/permohonanskt/"


# --------------------------------------------------------------------- goals


def goal_desk_list(small_filter):
    bare = client_for("admin")
    for username, label in (("kaban", "Kepala Badan"), ("kabid_kbk", "Kepala Bidang")):
        goal = f"desk list page 1, {label}"
        try:
            client = client_for(username)
            value, anchor = timed_pair(lambda c=client: c.get(LIST), lambda: bare.get(BARE))
            _r, many = get_with_queries(client, LIST)
            _r, few = get_with_queries(client, LIST + "?" + small_filter)
            same = len(many) == len(few)
            report(
                goal,
                f"{ms(value)}, {len(many)} q ({len(few)} q few rows)",
                f"bare admin {ms(anchor)}",
                value / anchor,
                "<=1.3x, queries not by rows",
                value / anchor <= 1.3 and same,
            )
        except Exception as exc:  # noqa: BLE001 - every goal prints a line
            failed(goal, exc)


def goal_desk_filtered():
    bare = client_for("admin")
    client = client_for("kaban")
    for label, query in (
        ("desk list filtered (state)", "workflow_state__exact=Menunggu+Verifikasi"),
        ("desk list search", "q=Ormas+12345"),
    ):
        try:
            value, anchor = timed_pair(
                lambda q=query: client.get(LIST + "?" + q), lambda q=query: bare.get(BARE + "?" + q)
            )
            report(label, ms(value), f"bare admin {ms(anchor)}", value / anchor, "<=1.3x", value / anchor <= 1.3)
        except Exception as exc:  # noqa: BLE001
            failed(label, exc)


def goal_api_list():
    """An integration's request, as Frappe's clients send it (``Authorization:
    token key:secret``, as when the goal was set); a browser's session cookie
    costs two queries more (session, user) and is printed as information."""
    goal = "API list, 20 rows"
    try:
        from django.test import Client

        from apps.bakesbangpol.perizinan.models import PermohonanSKT
        from apps.docflow.services.apikeys import api_key_generate
        from tests.conftest import user

        key, secret = api_key_generate(user=user("kaban"))
        client = Client(HTTP_AUTHORIZATION=f"token {key.api_key}:{secret}")
        url = "/api/resource/Permohonan%20SKT?" + urllib.parse.urlencode(
            {"fields": json.dumps(["name", "nama_ormas", "workflow_state"]), "limit_page_length": 20}
        )
        # a few milliseconds each: many runs, so that one slow run does not decide
        value, anchor = timed_pair(
            lambda: client.get(url),
            lambda: list(
                PermohonanSKT.objects.order_by("-modified_at").values("name", "nama_ormas", "workflow_state")[:20]
            ),
            runs=101,
            warm=10,
        )
        # the floor: the anchor's query as JSON through the same middleware and
        # test client, with no authentication, permission or query language
        anonymous = Client()
        floor = timed(lambda: anonymous.get("/bench-raw-list/"), runs=101, warm=10)
        print(
            f"   (info) the floor, the raw query as JSON through the same middleware: {ms(floor)}, "
            f"{floor / anchor:.2f}x the raw ORM; the API adds {ms(max(value - floor, 0))}",
            flush=True,
        )
        session = client_for("kaban")
        by_session = timed(lambda: session.get(url), runs=101, warm=10)
        _r, session_queries = get_with_queries(session, url)
        print(f"   (info) the same list with a session cookie: {ms(by_session)}, {len(session_queries)} q", flush=True)
        response, queries = get_with_queries(client, url)
        rows = len(response.json()["data"])
        writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
        report(
            goal,
            f"{ms(value)}, {len(queries)} q, {len(writes)} writes, {rows} rows",
            f"raw ORM {ms(anchor)}",
            value / anchor,
            "<=3x, <=3 queries, no write",
            value / anchor <= 3 and len(queries) <= 3 and not writes and rows == 20,
        )
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)


def goal_inbox(pending):
    goal = f'"Menunggu Tindakan Saya", {pending:,} pending'
    try:
        client = client_for("pelayanan_kbk")
        url = "/app/menunggu-tindakan/"
        value = timed(lambda: client.get(url), runs=9, warm=2)
        _r, queries = get_with_queries(client, url)
        report(goal, f"{ms(value)}, {len(queries)} q", "-", None, "<100 ms", value < 0.100)
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)


def goal_open_document():
    goal = "open a document"
    try:
        from tests.conftest import advance_skt, make_skt

        doc = advance_skt(make_skt(nama_ormas="Ormas Dibuka"), "Menunggu Persetujuan")
        client = client_for("kaban")
        url = f"{LIST}{doc.pk}/change/"
        value = timed(lambda: client.get(url), runs=15, warm=2)
        _r, queries = get_with_queries(client, url)
        report(
            goal,
            f"{ms(value)}, {len(queries)} q",
            "-",
            None,
            "<60 ms, <25 queries",
            value < 0.060 and len(queries) < 25,
        )
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)


def goal_issue_pdf(runs):
    goal = "approval that issues a numbered PDF"
    try:
        from weasyprint import HTML

        from apps.docflow.issuing import render_issued
        from apps.docflow.models import IssuedDocument
        from apps.docflow.printing import FONT_DIR, build_context, render_html
        from apps.docflow.services.workflow import apply_action
        from tests.conftest import advance_skt, make_skt, user

        docs = [advance_skt(make_skt(nama_ormas=f"Ormas Terbit {i}"), "Menunggu Persetujuan") for i in range(runs + 1)]
        kaban = user("kaban")

        def approve_and_render(doc):
            doc = apply_action(doc=doc, action="Setujui", user=kaban).doc
            # the render is a background job now: time the step and what the worker does right after it
            render_issued(IssuedDocument.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").latest("pk"))
            return doc

        first = approve_and_render(docs[0])  # warm-up; its letter is the anchor's HTML
        issued = IssuedDocument.objects.filter(document_id=first.pk, doctype="Permohonan SKT").latest("pk")
        html = render_html(issued.print_format, build_context(first, issued=issued))
        HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
        samples, anchors = [], []
        for doc in docs[1:]:  # interleaved, so that the machine's drift weighs on both alike
            start = time.perf_counter()
            approve_and_render(doc)
            samples.append(time.perf_counter() - start)
            start = time.perf_counter()
            HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
            anchors.append(time.perf_counter() - start)
        value, anchor = statistics.median(samples), statistics.median(anchors)
        report(goal, ms(value), f"bare WeasyPrint {ms(anchor)}", value / anchor, "<=1.2x", value / anchor <= 1.2)
        return docs
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)
        return []


# ----------------------------------------------------------- load over gunicorn


def session_cookie(username):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tests.conftest import user

    account = user(username)
    store = SessionStore()
    store[SESSION_KEY] = str(account.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = account.get_session_auth_hash()
    store.save()
    csrf = secrets.token_hex(16)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
        "Host": "127.0.0.1",
    }


def start_gunicorn(port, log):
    """The server of ``make run`` (same command line), on its own port."""
    return subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--config",
            "config/deploy/gunicorn.conf.py",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_rss_mib(master_pid):
    out = subprocess.run(["ps", "--ppid", str(master_pid), "-o", "rss="], capture_output=True, text=True).stdout
    values = [int(v) / 1024 for v in out.split()]
    return max(values) if values else 0.0


def start_worker(log):
    """The background worker of ``make run`` (renders issued letters after the step)."""
    return subprocess.Popen(
        [PY, "manage.py", "docflow_worker"],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# A user reads what a page shows before the next click: between 1 and 5
# seconds, as locust's ``between(1, 5)``. Without it, 50 users clicking
# without pause are a saturation test: by Little's law their latency is 50
# divided by the throughput, whatever the code (at 100 ms of CPU per request
# on 2 cores, 2.5 s), so that run is printed as information, not as a goal.
THINK = (1.0, 5.0)


def run_users(port, users, seconds, heads, pools, think):
    """``users`` threads clicking through the mix for ``seconds``; returns
    (latencies, errors, locked)."""
    to_act, to_issue, issued, some = pools
    lock = threading.Lock()
    latencies, errors, locked = [], [], [0]
    by_op: dict = {}
    stop_at = time.monotonic() + seconds

    def pop(pool):
        with lock:
            return pool.pop() if pool else None

    def one(op, rng):
        if op == "inbox":
            return "GET", "/app/menunggu-tindakan/", None, heads["pelayanan_kbk"]
        if op == "open":
            return "GET", f"{LIST}{rng.choice(some)}/change/", None, heads["kaban"]
        if op == "act" and (name := pop(to_act)):
            body = {"doc": json.dumps({"doctype": "Permohonan SKT", "name": name}), "action": "Berkas Lengkap"}
            return "POST", "/api/method/frappe.model.workflow.apply_workflow", body, heads["pelayanan_kbk"]
        if op == "issue" and (name := pop(to_issue)):
            body = {"doc": json.dumps({"doctype": "Permohonan SKT", "name": name}), "action": "Setujui"}
            return "POST", "/api/method/frappe.model.workflow.apply_workflow", body, heads["kaban"]
        if issued:
            name, fmt = rng.choice(issued)
            query = urllib.parse.urlencode({"doctype": "Permohonan SKT", "name": name, "format": fmt})
            return "GET", f"/api/method/frappe.utils.print_format.download_pdf?{query}", None, heads["kaban"]
        return "GET", "/app/menunggu-tindakan/", None, heads["pelayanan_kbk"]

    def user_loop(i):
        rng = random.Random(i)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        if think:  # users arrive spread over the first pause, not all in the same instant
            time.sleep(rng.uniform(0, think[1]))
        while time.monotonic() < stop_at:
            op = rng.choice(["inbox", "inbox", "open", "open", "act", "issue", "download"])
            method, path, body, hdrs = one(op, rng)
            hdrs = dict(hdrs)
            data = None
            if body is not None:
                data = urllib.parse.urlencode(body)
                hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            if think:  # after a pause longer than the server's keep-alive, a browser connects anew
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            start = time.perf_counter()
            try:
                conn.request(method, path, body=data, headers=hdrs)
                response = conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    by_op.setdefault(op if path.split("?")[0] != "/app/menunggu-tindakan/" else "inbox", []).append(
                        elapsed
                    )
                    if b"database is locked" in payload:
                        locked[0] += 1
                    if response.status >= 400:
                        errors.append(f"{response.status} {method} {path[:60]}")
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{type(exc).__name__} {path[:60]}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if think:
                time.sleep(rng.uniform(*think))
        conn.close()

    threads = [threading.Thread(target=user_loop, args=(i,)) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    print(
        "   p95 by kind: "
        + ", ".join(f"{op} {ms(p95_of(values))} ({len(values)})" for op, values in sorted(by_op.items())),
        flush=True,
    )
    return latencies, errors, locked[0]


def p95_of(latencies):
    return statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else float("inf")


def goal_load(users, seconds, issue_docs):
    goal = f"{users} users (think {THINK[0]:.0f}-{THINK[1]:.0f} s), mixed, gunicorn"
    from apps.bakesbangpol.perizinan.models import PermohonanSKT
    from apps.docflow.models import IssuedDocument

    port = free_port()
    log_path = Path(os.environ["SITE_DIR"]) / "gunicorn.log"
    log = open(log_path, "w")  # noqa: SIM115 - closed below
    server = start_gunicorn(port, log)
    worker = start_worker(log)
    try:
        wait_http(port, "/app/login/", time.monotonic() + 120)
        heads = {"kaban": session_cookie("kaban"), "pelayanan_kbk": session_cookie("pelayanan_kbk")}
        to_act = list(
            PermohonanSKT.objects.filter(name__startswith="PEND-", workflow_state="Menunggu Verifikasi").values_list(
                "name", flat=True
            )[:500]
        )
        to_issue = [d.name for d in issue_docs] if issue_docs else []
        to_issue += list(
            PermohonanSKT.objects.filter(
                workflow_state="Menunggu Persetujuan", nama_ormas__startswith="Ormas Beban"
            ).values_list("name", flat=True)
        )
        issued = list(IssuedDocument.objects.values_list("document_name", "title")[:20])
        some = list(PermohonanSKT.objects.filter(name__startswith="PEND-").values_list("pk", flat=True)[500:600])
        pools = (to_act, to_issue, issued, some)
        latencies, errors, locked = run_users(port, users, seconds, heads, pools, THINK)
        rss = worker_rss_mib(server.pid)
        log.flush()
        locked += log_path.read_text(errors="replace").count("database is locked")
        p95 = p95_of(latencies)
        report(
            goal,
            f"p95 {ms(p95)}, {len(latencies)} req, {len(errors)} err, {locked} locked",
            "-",
            None,
            "p95<500ms, 0 err, 0 locked",
            p95 < 0.5 and not errors and not locked,
        )
        if errors:
            print("   first errors:", "; ".join(sorted(set(errors))[:5]), flush=True)
        report("worker RSS after load", f"{rss:.0f} MiB", "-", None, "<=120 MiB", 0 < rss <= 120)
        # the same users without pauses: what the server gives at saturation (information)
        burst = max(10, seconds // 2)
        latencies, errors, _locked = run_users(port, users, burst, heads, pools, None)
        print(
            f"{'  (info) ' + str(users) + ' users, no pause':48s} | p95 {ms(p95_of(latencies))}, "
            f"{len(latencies) / burst:.0f} req/s, {len(errors)} err | saturation: latency = users / throughput",
            flush=True,
        )
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)
    finally:
        for proc in (worker, server):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        log.close()


# ------------------------------------------------- make run on a fresh clone


def first_answer(cmd, cwd, port, path, env):
    start = time.monotonic()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_http(port, path, start + 600)
        return time.monotonic() - start
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)


def goal_fresh_clone():
    goal = "make run on a fresh clone, to first answer"
    work = Path(tempfile.mkdtemp(prefix="bakesbangpol-clone-"))
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("SITE_DIR", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
        subprocess.run(["git", "clone", "-q", str(ROOT), str(work / "app")], check=True)
        (work / "app" / ".venv").symlink_to(ROOT / ".venv")  # the installed venv: we time setup, not pip
        port = free_port()
        ours = first_answer(["make", "run", f"PORT={port}"], work / "app", port, "/app/login/", env)
        bin_dir = ROOT / ".venv" / "bin"
        subprocess.run([str(bin_dir / "django-admin"), "startproject", "bare", str(work)], check=True, env=env)
        port = free_port()
        script = (
            f"{bin_dir}/python manage.py migrate -v0 && exec {bin_dir}/gunicorn bare.wsgi "
            f"--bind 127.0.0.1:{port} --workers 2 --threads 4"
        )
        anchor = first_answer(["sh", "-c", script], work, port, "/admin/login/", env)
        report(goal, f"{ours:.1f} s", f"bare Django {anchor:.1f} s", ours / anchor, "<=2x", ours / anchor <= 2)
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def goal_pending_report(docs):
    goal = f"pending-per-unit report, {docs:,} documents"
    try:
        env = {k: v for k, v in os.environ.items() if k not in ("SITE_DIR",)}
        out = subprocess.run(
            [PY, str(ROOT / "bench" / "pending_report.py"), "--docs", str(docs)],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        ).stdout
        lines = {ln.split(":")[0].strip(): ln for ln in out.splitlines() if ":" in ln}
        base = float(lines["baseline COUNT ... GROUP BY"].split(":")[1].split("ms")[0])
        for label in ("report as Kepala Badan", "report as Kepala Bidang"):
            value = float(lines[label].split(":")[1].split("ms")[0])
            report(
                f"{goal}, {label[10:]}",
                f"{value:.1f} ms",
                f"COUNT GROUP BY {base:.1f} ms",
                value / base,
                "<300 ms",
                value < 300,
            )
    except Exception as exc:  # noqa: BLE001
        failed(goal, exc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--site", help="a site directory to keep: set up when it holds no database yet, reused after")
    parser.add_argument("--only", help="comma-separated goal functions, e.g. desk_list,api_list")
    args = parser.parse_args()
    rows = args.rows or (10_000 if args.quick else 100_000)
    users, seconds = 50, (20 if args.quick else 60)
    report_docs = 50_000 if args.quick else int(os.environ.get("BENCH_DOCS", 1_000_000))

    os.environ["SITE_DIR"] = args.site or tempfile.mkdtemp(prefix="bakesbangpol-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench_urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    if not (Path(os.environ["SITE_DIR"]) / "db.sqlite3").exists():
        setup_site(rows, 1000)
    from apps.bakesbangpol.perizinan.models import PermohonanSKT

    total = PermohonanSKT.objects.count()
    print(
        f"== speed goals, SQLite, {total:,} SKT rows incl. 1,000 pending (setup {time.perf_counter() - started:.0f} s) =="
    )
    print(f"{'goal':48s} | {'figure':>24s} | {'anchor':>22s} | {'ratio':>7s} | {'target':28s} | verdict")

    def load():
        from tests.conftest import advance_skt, make_skt

        for i in range(10 if args.quick else 40):  # approvals for the load test to issue
            advance_skt(make_skt(nama_ormas=f"Ormas Beban {i}"), "Menunggu Persetujuan")
        goal_load(users, seconds, [])

    goals = {
        "desk_list": lambda: goal_desk_list("q=Ormas+Menunggu+999"),
        "desk_filtered": goal_desk_filtered,
        "api_list": goal_api_list,
        "inbox": lambda: goal_inbox(1000),
        "open_document": goal_open_document,
        "issue_pdf": lambda: goal_issue_pdf(9 if args.quick else 21),
        "load": load,
        "fresh_clone": goal_fresh_clone,
        "pending_report": lambda: goal_pending_report(report_docs),
        "data_doctype": lambda: goal_data_doctype(
            rows, timed_pair=timed_pair, report=report, failed=failed, client_for=client_for, ms=ms
        ),
    }
    for name, run in goals.items():
        if not args.only or name in args.only.split(","):
            run()
    print(f"{sum(RESULTS)}/{len(RESULTS)} goals met")


if __name__ == "__main__":
    main()
