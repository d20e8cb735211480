"""Issue 13's desk faults: the settings menu lists each item once,
notifications count what is unread and stop saying "menunggu tindakan Anda"
once the document moved on, the numbering counters are set in the desk
(never lower, with an audit entry)."""

from django.test import RequestFactory

from apps.docflow.desk.navigation import sidebar, unread_notifications
from apps.docflow.models import NamingCounter, NamingSeries, Notification
from apps.docflow.services.workflow import apply_action
from tests.conftest import make_skt, user


def test_settings_list_each_item_once():
    request = RequestFactory().get("/app/")
    request.user = user("admin")
    groups = {g["title"]: [i["title"] for i in g["items"]] for g in sidebar(request)}
    settings = groups["Pengaturan"]
    assert len(settings) == len(set(settings)), settings
    links = [i["link"] for g in sidebar(request) for i in g["items"]]
    assert len(links) == len(set(links))


def test_notifications_count_unread_and_drop_the_waiting_notice():
    doc = make_skt()
    officer = user("pelayanan_kbk")
    waiting = Notification.objects.filter(user__username="pelayanan_kbk", document_name=doc.name)
    request = RequestFactory().get("/app/")
    request.user = officer
    before = unread_notifications(request) or 0
    if not waiting.exists():  # the creator is not notified of their own document: make one as a colleague would
        Notification.objects.create(
            user=officer,
            subject=f"Permohonan SKT {doc.name} menunggu tindakan Anda",
            doctype="Permohonan SKT",
            document_name=doc.name,
        )
        before += 1
    assert unread_notifications(request) == before
    apply_action(doc=doc, action="Berkas Lengkap", user=officer)
    old = Notification.objects.filter(user=officer, document_name=doc.name).order_by("created_at").first()
    assert "menunggu tindakan Anda" not in old.subject
    assert "sudah ditindaklanjuti" in old.subject
    assert "Survei Lokasi" in old.message
    assert old.read_at is not None
    # the notices for the new state still wait
    assert (
        any(
            "menunggu tindakan Anda" in n.subject
            for n in Notification.objects.filter(document_name=doc.name).exclude(pk=old.pk)
        )
        or not Notification.objects.filter(document_name=doc.name).exclude(pk=old.pk).exists()
    )


def test_notification_badge_in_the_desk(login_as):
    admin = login_as("kaban")
    Notification.objects.create(user=user("kaban"), subject="Uji lencana", doctype="", document_name="")
    html = admin.get("/app/").content.decode()
    assert "Notifikasi" in html


def _counter_post(series, counters):
    data = {
        "key": series.key,
        "pattern": series.pattern,
        "reset": series.reset,
        "description": series.description,
        "counters-TOTAL_FORMS": str(len(counters)),
        "counters-INITIAL_FORMS": str(sum(1 for c in counters if c.get("id"))),
        "counters-MIN_NUM_FORMS": "0",
        "counters-MAX_NUM_FORMS": "1000",
    }
    for i, c in enumerate(counters):
        data[f"counters-{i}-id"] = c.get("id", "")
        data[f"counters-{i}-series"] = str(series.pk)
        data[f"counters-{i}-period"] = c["period"]
        data[f"counters-{i}-current"] = str(c["current"])
    return data


def test_numbering_counter_is_set_in_the_desk_with_an_audit_entry(login_as):
    admin = login_as("admin")
    series = NamingSeries.objects.get(key="surat-keluar")
    url = f"/app/docflow/namingseries/{series.pk}/change/"
    page = admin.get(url).content.decode()
    assert "penghitung per periode" in page.lower()

    response = admin.post(url, _counter_post(series, [{"period": "2031", "current": 57}]))
    assert response.status_code == 302, response.content.decode()[:3000]
    counter = NamingCounter.objects.get(series=series, period="2031")
    assert counter.current == 57
    entry = series.history.order_by("-history_date").first()
    assert entry.history_change_reason == "Penghitung 2031 diubah dari 0 ke 57"
    assert entry.history_user.username == "admin"
    assert "nomor berikutnya" in admin.get(url).content.decode().lower()

    # never lower (numbers already given would come again), nothing changes
    response = admin.post(url, _counter_post(series, [{"id": counter.pk, "period": "2031", "current": 12}]))
    assert response.status_code == 200
    assert "tidak boleh diturunkan dari 57" in response.content.decode()
    assert NamingCounter.objects.get(pk=counter.pk).current == 57

    response = admin.post(url, _counter_post(series, [{"period": "31", "current": 3}]))
    assert response.status_code == 200
    assert "Periode harus berbentuk 2026" in response.content.decode()

    response = admin.post(url, _counter_post(series, [{"id": counter.pk, "period": "2031", "current": 60}]))
    assert response.status_code == 302
    assert NamingCounter.objects.get(pk=counter.pk).current == 60
    assert series.history.order_by("-history_date").first().history_change_reason == (
        "Penghitung 2031 diubah dari 57 ke 60"
    )


def test_the_desk_speaks_indonesian(client, login_as):
    login = client.get("/app/login/").content.decode()
    assert "Selamat datang kembali di" in login and "Welcome back to" not in login
    assert "Return to site" not in login
    admin = login_as("admin")
    page = admin.get("/app/docflow/holiday/?q=tidak-ada-yang-cocok-xyz").content.decode()
    for english in (
        "Search apps and models",
        "All applications",
        "Type to search",
        "No results found",
        "This page yielded into no results",
        "Welcome back to",
        ">Light<",
        ">Dark<",
        ">System<",
    ):
        assert english not in page, english
    assert "Cari aplikasi dan data" in page and "Semua aplikasi" in page and "Tidak ada hasil" in page
    apikeys = admin.get("/app/docflow/apikey/").content.decode()
    assert "Created at" not in apikeys and "Last used at" not in apikeys
    log = admin.get("/app/docflow/workflowlog/").content.decode()
    assert "Created at" not in log and "Document name" not in log


def test_dashboard_charts_have_axes_values_and_legends(login_as, django_assert_max_num_queries):
    import json as _json

    from tests.conftest import advance_skt

    make_skt()
    advance_skt(make_skt(), "Survei Lokasi")
    client = login_as("kaban")
    client.get("/app/")
    # bounded by the doctypes (the pending counts and the inbox: a query per doctype each), never by
    # documents; the letters issued, the joint owners, the overdue trend and the cycle times are one query
    # each for all doctypes (bench/double_processes.py: still inside with twice the processes)
    from apps.docflow import registry

    with django_assert_max_num_queries(60 + 2 * len(registry.names())):
        response = client.get("/app/")
    html = response.content.decode()
    assert html.count('data-options="') == 4
    context = response.context
    options = _json.loads(context["chart_units_options"])
    assert options["plugins"]["legend"]["display"] is True
    assert options["scales"]["y"]["title"]["text"] == "Jumlah dokumen"
    assert options["scales"]["y"]["ticks"]["display"] is True
    assert html.count('class="w-full text-xs mt-2 chart-values"') == 4
    assert 'id="dash-pending"' in html and '<th scope="col" class="p-1">Unit</th>' in html
