"""Comments with @mentions, assignments, the attachments panel and the global
search, in the desk and through Frappe's API, for every registered doctype."""

import json

import pytest
from django.core import mail

from apps.docflow import registry
from apps.docflow.models import Comment, File, Notification, ToDo
from apps.docflow.selectors import global_search
from apps.laporan.selectors import pending_per_person
from tests.conftest import make_skt, pdf_upload, user


def doc_url(doc):
    return f"/app/{doc._meta.app_label}/{doc._meta.model_name}/{doc.pk}/"


def change_url(doc):
    return doc_url(doc) + "change/"


def test_comment_with_mention_notifies_in_app_and_by_email(login_as, django_capture_on_commit_callbacks):
    doc = make_skt(nama_ormas="Paguyuban Komentar")
    client = login_as("pelayanan_kbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            doc_url(doc) + "komentar/", {"content": "Mohon dicek, @kaban dan @staf_iwk. Juga @tidakada."}
        )
    assert response.status_code == 302
    comment = Comment.objects.get(reference_name=doc.name)
    # kaban sees every unit; staf_iwk (another bidang) cannot see this SKT: not told
    assert [u.username for u in comment.mentions.all()] == ["kaban"]
    note = Notification.objects.get(user=user("kaban"), document_name=doc.name, subject__contains="menyebut")
    assert note.url == change_url(doc)
    assert not Notification.objects.filter(user=user("staf_iwk"), document_name=doc.name).exists()
    assert [m.to for m in mail.outbox] == [["kaban@example.org"]]
    assert "Mohon dicek" in mail.outbox[0].body and change_url(doc) in mail.outbox[0].body
    page = client.get(change_url(doc)).content.decode()
    assert "Mohon dicek" in page and "@staf_iwk" in page  # the warning names who was not told
    # the mentioned user sees the comment on the timeline
    assert "Mohon dicek" in login_as("kaban").get(change_url(doc)).content.decode()


def test_empty_comment_and_invisible_document_are_refused(login_as):
    doc = make_skt()
    client = login_as("pelayanan_kbk")
    client.post(doc_url(doc) + "komentar/", {"content": "   "})
    assert not Comment.objects.exists()
    assert login_as("staf_iwk").post(doc_url(doc) + "komentar/", {"content": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_assignment_appears_in_my_list_inbox_and_pending_per_person(login_as, django_capture_on_commit_callbacks):
    doc = make_skt(nama_ormas="Paguyuban Tugas")
    client = login_as("pelayanan_kbk")
    staf = user("staf_kbk")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            doc_url(doc) + "tugaskan/",
            {"allocated_to": staf.pk, "date": "2099-01-31", "description": "Siapkan telaah"},
        )
    todo = ToDo.objects.get(reference_name=doc.name)
    assert (todo.allocated_to, todo.status, str(todo.date)) == (staf, "Open", "2099-01-31")
    assert Notification.objects.filter(user=staf, subject__contains="ditugaskan").exists()
    assert mail.outbox[-1].to == [staf.email]
    mine = login_as("staf_kbk").get("/app/ditugaskan/").content.decode()
    assert doc.name in mine.split('id="assigned"')[1] and "Siapkan telaah" in mine
    inbox = login_as("staf_kbk").get("/app/menunggu-tindakan/").content.decode()
    assert "1 dokumen ditugaskan kepada Anda" in inbox
    rows = [(r.doctype, r.user_id, r.count) for r in pending_per_person(user("kaban"))]
    assert ("Permohonan SKT (penugasan)", staf.pk, 1) in rows
    # twice is refused, naming the person
    client.post(doc_url(doc) + "tugaskan/", {"allocated_to": staf.pk})
    assert ToDo.objects.filter(reference_name=doc.name).count() == 1
    # someone who cannot see the document cannot be assigned
    client.post(doc_url(doc) + "tugaskan/", {"allocated_to": user("staf_iwk").pk})
    assert not ToDo.objects.filter(allocated_to=user("staf_iwk")).exists()
    # the assignee closes it; it leaves the list
    login_as("staf_kbk").post(f"{doc_url(doc)}tugas/{todo.pk}/", {"close": "1", "next": "mine"})
    assert ToDo.objects.get(pk=todo.pk).status == "Closed"
    assert doc.name not in login_as("staf_kbk").get("/app/ditugaskan/").content.decode()


def test_attachments_panel_needs_edit_rights(login_as):
    doc = make_skt()
    url = doc_url(doc) + "lampiran/"
    page = login_as("pelayanan_kbk").get(change_url(doc)).content.decode()
    assert 'id="docflow-attach-form"' in page
    login_as("pelayanan_kbk").post(url, {"files": pdf_upload("akta.pdf")})
    assert File.objects.filter(attached_to_name=doc.name, file_name="akta.pdf").exists()
    # kaban sees it but does not edit in this state: no panel form, upload refused
    assert 'id="docflow-attach-form"' not in login_as("kaban").get(change_url(doc)).content.decode()
    login_as("kaban").post(url, {"files": pdf_upload("lain.pdf")})
    assert not File.objects.filter(file_name="lain.pdf").exists()
    # not a PDF/JPEG/PNG by its content: refused, nothing stored
    login_as("pelayanan_kbk").post(url, {"files": pdf_upload("x.pdf", b"hello")})
    assert File.objects.filter(attached_to_name=doc.name).count() == 1


def test_global_search_goes_through_visibility_for_every_doctype(login_as):
    doc = make_skt(nama_ormas="Paguyuban Carimudah")
    assert [r["name"] for r in global_search(user("pelayanan_kbk"), "carimudah")] == [doc.name]
    assert [r["name"] for r in global_search(user("pelayanan_kbk"), doc.name)] == [doc.name]
    assert global_search(user("staf_iwk"), "carimudah") == []
    page = login_as("kaban").get("/app/cari/", {"q": "Carimudah"}).content.decode()
    assert doc.name in page
    # every registered doctype is searched (no error on any of them)
    for info in registry.all_doctypes():
        global_search(user("admin"), "zz-tidak-ada", doctype=info.doctype)


def test_sidebar_command_search_returns_documents(rf):
    doc = make_skt(nama_ormas="Paguyuban Palet")
    request = rf.get("/app/")
    request.user = user("kaban")
    from apps.docflow.desk.collab import command_search

    results = command_search(request, "palet")
    assert [str(r.link) for r in results] == [change_url(doc)]


# --- API ----------------------------------------------------------------------------------


def test_api_comment_and_comment_resource(login_as, django_capture_on_commit_callbacks):
    doc = make_skt()
    client = login_as("pelayanan_kbk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/method/frappe.desk.form.utils.add_comment",
            {"reference_doctype": "Permohonan SKT", "reference_name": doc.name, "content": "Cek @kabid_kbk"},
        )
    assert response.status_code == 200, response.content
    message = response.json()["message"]
    assert message["mentions"] == ["kabid_kbk"] and message["comment_type"] == "Comment"
    assert Notification.objects.filter(user=user("kabid_kbk"), document_name=doc.name).exists()
    listed = client.get(
        "/api/resource/Comment",
        {"filters": json.dumps([["reference_name", "=", doc.name]]), "fields": '["name","content"]'},
    ).json()["data"]
    assert listed == [{"name": message["name"], "content": "Cek @kabid_kbk"}]
    assert login_as("staf_iwk").get("/api/resource/Comment").json()["data"] == []
    assert login_as("staf_iwk").get(f"/api/resource/Comment/{message['name']}").status_code == 404
    created = login_as("kaban").post(
        "/api/resource/Comment",
        json.dumps({"reference_doctype": "Permohonan SKT", "reference_name": doc.name, "content": "Setuju"}),
        content_type="application/json",
    )
    assert created.status_code == 200 and created.json()["data"]["comment_by"] == "kaban"
    refused = login_as("staf_iwk").post(
        "/api/method/frappe.desk.form.utils.add_comment",
        {"reference_doctype": "Permohonan SKT", "reference_name": doc.name, "content": "x"},
    )
    assert refused.status_code == 404


def test_api_assign_to_and_todo_resource(login_as):
    doc = make_skt()
    client = login_as("pelayanan_kbk")
    response = client.post(
        "/api/method/frappe.desk.form.assign_to.add",
        {
            "doctype": "Permohonan SKT",
            "name": doc.name,
            "assign_to": json.dumps(["staf_kbk"]),
            "date": "2099-02-01",
            "description": "Telaah",
        },
    )
    assert response.status_code == 200, response.content
    todo = response.json()["message"][0]
    assert {k: todo[k] for k in ("allocated_to", "reference_type", "reference_name", "status", "date")} == {
        "allocated_to": "staf_kbk",
        "reference_type": "Permohonan SKT",
        "reference_name": doc.name,
        "status": "Open",
        "date": "2099-02-01",
    }
    mine = login_as("staf_kbk").get("/api/resource/ToDo", {"filters": json.dumps({"status": "Open"})}).json()
    assert [t["reference_name"] for t in mine["data"]] == [doc.name]
    bad = client.post(
        "/api/method/frappe.desk.form.assign_to.add",
        {"doctype": "Permohonan SKT", "name": doc.name, "assign_to": '["staf_iwk"]'},
    )
    assert bad.status_code == 417 and "tidak dapat melihat" in bad.json()["message"]
    closed = login_as("staf_kbk").put(
        f"/api/resource/ToDo/{todo['name']}", json.dumps({"status": "Closed"}), content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["data"]["status"] == "Closed"
    client.post(
        "/api/method/frappe.desk.form.assign_to.add",
        {"doctype": "Permohonan SKT", "name": doc.name, "assign_to": "kabid_kbk"},
    )
    removed = client.post(
        "/api/method/frappe.desk.form.assign_to.remove",
        {"doctype": "Permohonan SKT", "name": doc.name, "assign_to": "kabid_kbk"},
    )
    assert removed.status_code == 200 and removed.json()["message"] == []
    assert ToDo.objects.get(allocated_to=user("kabid_kbk")).status == "Cancelled"
    created = client.post(
        "/api/resource/ToDo",
        json.dumps({"allocated_to": "kabid_kbk", "reference_type": "Permohonan SKT", "reference_name": doc.name}),
        content_type="application/json",
    )
    assert created.status_code == 200 and created.json()["data"]["status"] == "Open"


def test_api_search_link_and_global_search(login_as):
    doc = make_skt(nama_ormas="Paguyuban Tautan Cari")
    client = login_as("pelayanan_kbk")
    link = client.get(
        "/api/method/frappe.desk.search.search_link", {"doctype": "Permohonan SKT", "txt": "tautan"}
    ).json()["message"]
    assert link[0]["value"] == doc.name and "Tautan" in link[0]["description"]
    found = client.get("/api/method/frappe.utils.global_search.search", {"text": "Tautan Cari"}).json()["message"]
    assert [(r["doctype"], r["name"]) for r in found] == [("Permohonan SKT", doc.name)]
    assert found[0]["route"] == change_url(doc)
    assert (
        login_as("staf_iwk").get("/api/method/frappe.utils.global_search.search", {"text": "Tautan"}).json()["message"]
        == []
    )


@pytest.mark.parametrize("info", registry.all_doctypes(), ids=lambda i: i.doctype)
def test_every_doctype_has_the_collaboration_views(info):
    """The views come from the base admin, for every registered doctype."""
    from django.urls import reverse

    meta = info.model._meta
    for suffix, args in (("komentar", [1]), ("tugaskan", [1]), ("tugas", [1, 2]), ("lampiran", [1])):
        assert reverse(f"admin:{meta.app_label}_{meta.model_name}_{suffix}", args=args)


def test_sidebar_search_endpoint_lists_visible_documents(login_as):
    """Unfold's command palette (sidebar search) asks /app/search/?extended."""
    doc = make_skt(nama_ormas="Paguyuban Palet Samping")
    found = login_as("kabid_kbk").get("/app/search/", {"s": "palet samping", "extended": "1"}).content.decode()
    assert change_url(doc) in found
    hidden = login_as("staf_iwk").get("/app/search/", {"s": "palet samping", "extended": "1"}).content.decode()
    assert change_url(doc) not in hidden
