"""Query counts that must not grow with rows, pending documents or unit depth
(Zulip style: the count is pinned, a regression into N+1 fails here)."""

import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import registry
from apps.docflow.api.views import serialize
from apps.docflow.exceptions import NoActiveWorkflow
from apps.docflow.models import ApiKey, Workflow
from apps.docflow.scope import backend, cached
from apps.docflow.selectors import inbox_for_user
from apps.docflow.services.apikeys import api_key_generate
from apps.docflow.services.workflow import available_actions, cached_workflow
from apps.organisasi.models import Unit, unit_subtree_ids
from tests.conftest import advance_skt, make_skt, user

INBOX = "/app/menunggu-tindakan/"
SKT_LIST = "/app/perizinan/permohonanskt/"


def pending_skt(n, state="Menunggu Persetujuan"):
    """``n`` SKT applications waiting in ``state`` (copies of one real one)."""
    first = make_skt()
    pks = [first.pk]
    for i in range(n - 1):
        copy = PermohonanSKT.objects.get(pk=first.pk)
        copy.pk = None
        copy.name = f"{first.name}-{i}"
        copy.save()
        pks.append(copy.pk)
    PermohonanSKT.objects.filter(pk__in=pks).update(workflow_state=state, state_entered_at=timezone.now())
    return list(PermohonanSKT.objects.filter(pk__in=pks).order_by("pk"))


def queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx), result


def _workflow_or_none(doctype):
    try:
        return cached_workflow(doctype)
    except NoActiveWorkflow:
        return SimpleNamespace(transitions=[])


def test_inbox_query_count_does_not_grow_with_pending_documents(login_as, django_assert_max_num_queries):
    pending_skt(5)
    client = login_as("kaban")
    client.get(INBOX)  # loads the workflows into the process cache
    few, response = queries(lambda: client.get(INBOX))
    assert response.status_code == 200
    assert response.content.decode().count("Menunggu Persetujuan</td>") == 5
    pending_skt(45)
    many, response = queries(lambda: client.get(INBOX))
    assert response.content.decode().count("Menunggu Persetujuan</td>") == 50
    assert many == few
    # session, user, workflow stamps, the joint units, the sub-tasks and their units (issue 12),
    # and one per doctype the user acts in (each has its own table)
    roles = set(user("kaban").groups.values_list("name", flat=True))
    acting = sum(
        1 for name in registry.names() if any(t.allowed.name in roles for t in _workflow_or_none(name).transitions)
    )
    with django_assert_max_num_queries(8 + acting):
        client.get(INBOX)


def test_inbox_is_paged_by_fifty(login_as):
    pending_skt(53)
    client = login_as("kaban")
    page1 = client.get(INBOX).content.decode()
    assert page1.count("Menunggu Persetujuan</td>") == 50
    assert 'id="inbox-pages"' in page1 and "?p=2" in page1
    page2 = client.get(INBOX, {"p": 2}).content.decode()
    assert page2.count("Menunggu Persetujuan</td>") == 3
    assert "?p=1" in page2


def test_inbox_shows_the_same_actions_as_the_document(users):
    docs = pending_skt(3)
    kaban = users("kaban")
    rows = inbox_for_user(kaban)
    by_pk = {doc.pk: actions for info, doc, actions in rows if info.doctype == "Permohonan SKT"}
    for doc in docs:
        assert [a.action for a in by_pk[doc.pk]] == [a.action for a in available_actions(doc, kaban)]
    assert [a.action for a in by_pk[docs[0].pk]] == ["Setujui", "Kembalikan ke Petugas", "Tolak"]


@pytest.mark.parametrize("username", ["kaban", "kabid_kbk", "pelayanan_kbk", "staf_kbk"])
def test_desk_list_query_count_is_independent_of_rows_and_unit_depth(login_as, username):
    """The same count for 5 and 50 rows, and for users high and low in the tree."""
    pending_skt(5)
    client = login_as(username)
    client.get(SKT_LIST)
    few, response = queries(lambda: client.get(SKT_LIST))
    assert response.status_code == 200
    pending_skt(45)
    many, response = queries(lambda: client.get(SKT_LIST))
    assert many == few
    # session, user, 2 permission sets, 4 for the grants, workflow stamps, the rows, the page's count
    # and the sidebar's unread notifications (issue 13)
    assert many <= 12, many


def test_desk_list_filters_use_fixed_choices(login_as):
    pending_skt(3)
    client = login_as("pelayanan_kbk")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SKT_LIST, {"workflow_state": "Menunggu Persetujuan", "kecamatan__exact": "Bugul Kidul"})
    assert response.status_code == 200
    assert not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"]]
    assert response.content.decode().count("Menunggu Persetujuan") >= 3
    assert client.get(SKT_LIST, {"workflow_state__exact": "Menunggu Persetujuan"}).status_code == 200


@pytest.mark.parametrize("username", ["kaban", "pelayanan_kbk"])
def test_desk_form_query_count(login_as, django_assert_max_num_queries, username):
    doc = pending_skt(1)[0]
    client = login_as(username)
    url = f"/app/perizinan/permohonanskt/{doc.pk}/change/"
    client.get(url)
    # 22 before grants and permissions were shared (16), plus the form's panels of issue 12
    # (sub-tasks, their units and people, additional units, "Terkait": 21) and of issue 13
    # (the sidebar's unread notifications, the path the document took: its diagram)
    with django_assert_max_num_queries(23):
        response = client.get(url)
    assert response.status_code == 200


def _token(username):
    key, secret = api_key_generate(user=user(username))
    return {"HTTP_AUTHORIZATION": f"token {key.api_key}:{secret}"}


def test_api_list_query_count_and_no_write_on_get(client):
    pending_skt(5)
    auth = _token("pelayanan_kbk")
    params = {"fields": json.dumps(["name", "nama_ormas", "workflow_state", "owner"])}
    client.get("/api/resource/Permohonan SKT", params, **auth)  # first use records last_used_at
    few, response = queries(lambda: client.get("/api/resource/Permohonan SKT", params, **auth))
    assert len(response.json()["data"]) == 5
    pending_skt(45)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/resource/Permohonan SKT", params, **auth)
    assert len(response.json()["data"]) == 20
    assert len(ctx) == few
    # the key (with its user) and the rows: permissions and grants come from the shared cache
    assert few <= 2, few
    assert not [q for q in ctx.captured_queries if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_api_key_last_use_is_recorded_at_most_every_few_minutes(client):
    auth = _token("pelayanan_kbk")
    client.get("/api/method/frappe.auth.get_logged_user", **auth)
    first = ApiKey.objects.get(user=user("pelayanan_kbk")).last_used_at
    assert first is not None
    client.get("/api/method/frappe.auth.get_logged_user", **auth)
    assert ApiKey.objects.get(user=user("pelayanan_kbk")).last_used_at == first
    ApiKey.objects.filter(user=user("pelayanan_kbk")).update(last_used_at=first - timezone.timedelta(minutes=10))
    client.get("/api/method/frappe.auth.get_logged_user", **auth)
    assert ApiKey.objects.get(user=user("pelayanan_kbk")).last_used_at > first


def test_api_list_of_some_fields_gives_what_the_whole_document_gives(client):
    doc = pending_skt(1)[0]
    auth = _token("pelayanan_kbk")
    fields = ["name", "owner", "modified_by", "creation", "modified", "unit", "docstatus", "id"]
    fields += ["nama_ormas", "due_at", "state_seq", "ada_npwp"]
    response = client.get("/api/resource/Permohonan SKT", {"fields": json.dumps(fields)}, **auth)
    row = response.json()["data"][0]
    expected = json.loads(json.dumps(serialize(PermohonanSKT.objects.get(pk=doc.pk), fields), default=str))
    assert row == expected


def test_grants_and_visible_units_are_computed_once_per_block(users, django_assert_num_queries):
    staff = users("pelayanan_kbk")
    unit_id = staff.pegawai.unit_id
    with cached():
        backend().grants(staff)
        with django_assert_num_queries(0):
            backend().grants(staff)
            backend().visible_units(staff)
            unit_subtree_ids(unit_id)


def test_unit_tree_cache_follows_unit_changes(users):
    parent = users("pelayanan_kbk").pegawai.unit
    before = unit_subtree_ids(parent.pk)
    child = Unit.objects.create(kode="UJI-SUB", nama="Sub Unit Uji", jenis=Unit.Jenis.SUBBAGIAN, induk=parent)
    assert unit_subtree_ids(parent.pk) == before | {child.pk}
    child.induk = None
    child.save()
    assert unit_subtree_ids(parent.pk) == before


def test_workflow_cache_follows_edits():
    loaded = cached_workflow("Permohonan SKT")
    assert cached_workflow("Permohonan SKT") is loaded
    transition = next(t for t in loaded.transitions if t.action == "Tolak")
    transition.require_comment = not transition.require_comment
    transition.save()
    fresh = cached_workflow("Permohonan SKT")
    assert fresh is not loaded
    assert next(t for t in fresh.transitions if t.action == "Tolak").require_comment == transition.require_comment
    Workflow.objects.filter(document_type="Permohonan SKT").update(is_active=False)
    with pytest.raises(NoActiveWorkflow):
        cached_workflow("Permohonan SKT")


def test_a_step_follows_a_workflow_edited_in_another_worker():
    """Writes read the workflow's stamp inside their transaction: an edit
    saved by another process (no signal here) applies to the next step."""
    from django.utils import timezone

    from apps.docflow.exceptions import CommentRequired
    from apps.docflow.models import WorkflowTransition
    from apps.docflow.services.workflow import apply_action, current_workflow

    loaded = current_workflow("Permohonan SKT")
    assert current_workflow("Permohonan SKT") is loaded  # unchanged: reused, one small query
    doc = advance_skt(make_skt(), "Menunggu Persetujuan")
    workflow = loaded.workflow
    # another worker requires a reason for approving: rows and stamp written without this process hearing it
    WorkflowTransition.objects.filter(workflow=workflow, action="Setujui").update(require_comment=True)
    Workflow.objects.filter(pk=workflow.pk).update(modified_at=timezone.now())
    with pytest.raises(CommentRequired):
        apply_action(doc=doc, action="Setujui", user=user("kaban"))
    doc.refresh_from_db()
    assert doc.workflow_state == "Menunggu Persetujuan"


def test_api_list_with_a_session_takes_three_queries(login_as):
    pending_skt(5)
    client = login_as("kaban")
    params = {"fields": json.dumps(["name", "nama_ormas", "workflow_state"]), "limit_page_length": 20}
    client.get("/api/resource/Permohonan SKT", params)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/resource/Permohonan SKT", params)
    assert len(response.json()["data"]) == 5
    # the session, the user, the rows
    assert len(ctx) == 3, [q["sql"][:80] for q in ctx.captured_queries]


def test_shared_grants_and_permissions_follow_role_changes(client):
    """What requests share (grants, permissions) is dropped when a role changes."""
    from django.contrib.auth.models import Group

    pending_skt(2)
    auth = _token("pelayanan_kbk")
    officer = user("pelayanan_kbk")
    assert client.get("/api/resource/Permohonan SKT", **auth).status_code == 200
    groups = list(officer.groups.all())
    officer.groups.clear()
    assert client.get("/api/resource/Permohonan SKT", **auth).status_code == 403
    officer.groups.set(groups)
    assert len(client.get("/api/resource/Permohonan SKT", **auth).json()["data"]) == 2
    kepala = Group.objects.get(name="Kepala Badan")
    officer.groups.add(kepala)  # now sees every unit's documents
    with cached():
        assert backend().visible_units(officer) is None


def test_a_step_query_count_does_not_grow_with_the_people_who_are_notified():
    """One step: the row lock, the workflow's stamp, the log, the calendar (one
    query), one query per role that acts next however many hold it (holders,
    team members and deputies together), the notifications, the webhooks; an
    unchanged link is not looked up again."""
    from django.contrib.auth.models import Group

    from apps.docflow.models import Notification
    from apps.docflow.services.workflow import apply_action

    def step():
        doc = make_skt()
        with cached():
            count, result = queries(lambda: apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk")))
        assert result.doc.workflow_state == "Survei Lokasi"
        return count, Notification.objects.filter(document_name=doc.name).count()

    petugas = Group.objects.get(name="Petugas Pelayanan").user_set
    petugas.add(user("staf_kbk"))  # someone besides the one acting waits for the next step
    count, notified = step()
    assert count <= 19, count
    petugas.add(user("kaban"), user("kabid_kbk"))
    more_count, more_notified = step()
    assert more_count == count and more_notified == notified + 4  # two more told at creation and at the step


def test_who_is_told_follows_the_organisation_at_once():
    """The holders of a role are remembered across requests; a delegation, a
    team membership or a deactivation made since changes the next notice."""
    import datetime

    from django.contrib.auth.models import Group

    from apps.docflow.models import Notification
    from apps.organisasi.models import Delegasi, KeanggotaanTim

    def told():
        doc = make_skt(by="kabid_kbk")  # the new application waits for the Petugas Pelayanan
        return set(Notification.objects.filter(document_name=doc.name).values_list("user__username", flat=True))

    before = told()
    assert "pelayanan_kbk" in before and "staf_kbk" not in before
    today = timezone.localdate()
    plh = Delegasi.objects.create(
        pejabat=user("pelayanan_kbk"), pelaksana=user("staf_kbk"), mulai=today, selesai=today + datetime.timedelta(7)
    )
    plh.peran.add(Group.objects.get(name="Petugas Pelayanan"))
    assert told() == before | {"staf_kbk"}
    KeanggotaanTim.objects.create(
        tim=Group.objects.get(name="Petugas Pelayanan"),
        anggota=user("kaban"),
        mulai=today,
        selesai=today + datetime.timedelta(7),
    )
    assert "kaban" in told()
    staf = user("staf_kbk")
    staf.is_active = False
    staf.save()
    assert "staf_kbk" not in told()


def test_a_login_keeps_what_requests_share(login_as):
    """Django saves ``last_login`` at every login; that changes no one's rights,
    so the grants and holders that requests share stay valid. Any other save
    of a user drops them."""
    from apps.docflow.scope import authz_version

    before = authz_version()
    last = user("kabid_kbk").last_login
    login_as("kabid_kbk")
    assert user("kabid_kbk").last_login != last  # the login saved it
    assert authz_version() == before
    kabid = user("kabid_kbk")
    kabid.first_name = "Baru"
    kabid.save()
    assert authz_version() != before
