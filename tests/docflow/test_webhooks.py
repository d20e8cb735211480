"""Webhooks (Frappe's field names) sent by the background job to a real HTTP
receiver on 127.0.0.1: created through /api/resource/Webhook, fired by the
one write path for any doctype, signed, logged, retried, never sent for a
rolled-back step."""

import base64
import hashlib
import hmac
import json
from urllib.parse import parse_qs

import pytest
from django.db import transaction
from django.utils import timezone

from apps.docflow import jobs
from apps.docflow.models import BackgroundJob, Webhook, WebhookData, WebhookRequestLog
from apps.docflow.services.workflow import apply_action, document_update
from tests.bakesbangpol.umum.helpers import register_surat
from tests.conftest import make_skt, user

from .receiver import Receiver


def _api_create(client, payload):
    client.force_login(user("admin"))
    return client.post("/api/resource/Webhook", data=json.dumps(payload), content_type="application/json")


def test_webhook_created_through_the_api_sends_a_signed_json_body(client, django_capture_on_commit_callbacks):
    with Receiver() as rx:
        response = _api_create(
            client,
            {
                "webhook_doctype": "Permohonan SKT",
                "webhook_docevent": "after_insert",
                "request_url": f"{rx.url}/masuk",
                "request_structure": "JSON",
                "enable_security": 1,
                "webhook_secret": "rahasia-uji",
                "webhook_headers": [{"key": "X-Sumber", "value": "bakesbangpol"}],
                "webhook_data": [{"fieldname": "name", "key": "nomor"}, {"fieldname": "nama_ormas", "key": "ormas"}],
            },
        )
        assert response.status_code == 200, response.content
        data = response.json()["data"]
        assert data["webhook_doctype"] == "Permohonan SKT" and "webhook_secret" not in data
        with django_capture_on_commit_callbacks(execute=True):
            doc = make_skt(nama_ormas="Ormas Kait")
    assert len(rx.requests) == 1
    sent = rx.requests[0]
    assert sent["method"] == "POST" and sent["path"] == "/masuk"
    assert json.loads(sent["body"]) == {"nomor": doc.name, "ormas": "Ormas Kait"}
    assert sent["headers"]["X-Sumber"] == "bakesbangpol"
    expected = base64.b64encode(hmac.new(b"rahasia-uji", sent["body"], hashlib.sha256).digest()).decode()
    assert sent["headers"]["X-Frappe-Webhook-Signature"] == expected
    log = WebhookRequestLog.objects.get(reference_document=doc.name)
    assert (log.status_code, log.event, log.error) == (200, "after_insert", "")
    assert "rahasia-uji" not in log.headers and json.loads(log.response) == {"ok": True}


def test_api_refuses_bad_webhooks_and_non_administrators(client):
    client.force_login(user("pelayanan_kbk"))
    body = {"webhook_doctype": "Permohonan SKT", "webhook_docevent": "on_update", "request_url": "http://127.0.0.1:9/"}
    assert client.post("/api/resource/Webhook", json.dumps(body), content_type="application/json").status_code == 403
    assert client.get("/api/resource/Webhook").status_code == 403
    for bad in (
        {**body, "webhook_doctype": "Tidak Ada"},
        {**body, "condition": "doc.tidak_ada == 1"},
        {**body, "webhook_docevent": "on_meledak"},
        {**body, "enable_security": 1},  # no secret
        {**body, "webhook_data": [{"fieldname": "bukan_field", "key": "x"}]},
    ):
        response = _api_create(client, bad)
        assert response.status_code == 417, (bad, response.content)
    assert not Webhook.objects.exists()


def test_transition_event_with_condition_and_jinja_body(django_capture_on_commit_callbacks):
    with Receiver() as rx:
        hook = Webhook.objects.create(
            name="survei",
            webhook_doctype="Permohonan SKT",
            webhook_docevent="workflow_transition",
            condition='doc.workflow_state == "Survei Lokasi"',
            request_url=f"{rx.url}/alur",
            request_method="PUT",
            webhook_json='{"dok": {{ doc.name | tojson }}, "status": {{ doc.workflow_state | tojson }}}',
        )
        Webhook.objects.create(
            name="tidak-cocok",
            webhook_doctype="Permohonan SKT",
            webhook_docevent="workflow_transition",
            condition='doc.workflow_state == "SKT Terbit"',
            request_url=f"{rx.url}/lain",
        )
        doc = make_skt()
        with django_capture_on_commit_callbacks(execute=True):
            apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk"))
    assert [r["path"] for r in rx.requests] == ["/alur"]
    assert rx.requests[0]["method"] == "PUT"
    assert json.loads(rx.requests[0]["body"]) == {"dok": doc.name, "status": "Survei Lokasi"}
    assert WebhookRequestLog.objects.get(webhook=hook).status_code == 200


def test_form_encoded_update_and_another_doctype(django_capture_on_commit_callbacks):
    with Receiver() as rx:
        hook = Webhook.objects.create(
            name="ubah",
            webhook_doctype="Permohonan SKT",
            webhook_docevent="on_update",
            request_url=f"{rx.url}/ubah",
            request_structure="Form URL-Encoded",
        )
        WebhookData.objects.create(webhook=hook, fieldname="kelurahan", key="kel")
        Webhook.objects.create(
            name="surat",
            webhook_doctype="Surat Masuk",
            webhook_docevent="after_insert",
            request_url=f"{rx.url}/surat",
        )
        doc = make_skt()
        with django_capture_on_commit_callbacks(execute=True):
            document_update(doc=doc, user=user("pelayanan_kbk"), data={"kelurahan": "Purworejo"})
        assert parse_qs(rx.requests[0]["body"].decode()) == {"kel": ["Purworejo"]}
        assert rx.requests[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
        with django_capture_on_commit_callbacks(execute=True):
            surat = register_surat()
    body = json.loads(rx.requests[1]["body"])  # no data rows: the document as the API gives it
    assert rx.requests[1]["path"] == "/surat" and body["name"] == surat.name and body["doctype"] == "Surat Masuk"


def test_a_rolled_back_step_sends_nothing():
    Webhook.objects.create(
        name="batal",
        webhook_doctype="Permohonan SKT",
        webhook_docevent="after_insert",
        request_url="http://127.0.0.1:9/",
    )
    with pytest.raises(RuntimeError), transaction.atomic():
        make_skt()
        assert BackgroundJob.objects.filter(task__endswith="send_webhook").count() == 1
        raise RuntimeError("langkah gagal")
    assert not BackgroundJob.objects.exists()


def test_failed_delivery_is_logged_retried_with_backoff_then_failed(
    login_as, django_capture_on_commit_callbacks, settings
):
    settings.JOBS_MAX_ATTEMPTS = 3
    with Receiver(statuses=[500, 503, 500]) as rx:
        Webhook.objects.create(
            name="rapuh", webhook_doctype="Permohonan SKT", webhook_docevent="on_trash", request_url=f"{rx.url}/hapus"
        )
        doc = make_skt()
        client = login_as("admin")
        with django_capture_on_commit_callbacks(execute=True):
            assert client.delete(f"/api/resource/Permohonan SKT/{doc.name}").status_code == 200
        job = BackgroundJob.objects.get(task__endswith="send_webhook")
        assert job.status == "retry" and job.attempts == 1 and "500" in job.last_error
        first_due = job.run_after
        for attempt in (2, 3):
            jobs.execute(job.pk, now=timezone.now() + jobs.backoff(attempt) * 2)
            job.refresh_from_db()
        assert job.run_after > first_due
    assert job.status == "failed" and job.attempts == 3
    logs = list(WebhookRequestLog.objects.order_by("attempt").values_list("attempt", "status_code"))
    assert logs == [(1, 500), (2, 503), (3, 500)]
    assert len(rx.requests) == 3 and json.loads(rx.requests[0]["body"])["name"] == doc.name
    page = client.get("/app/docflow/backgroundjob/?status=failed")
    assert page.status_code == 200 and "rapuh" in page.content.decode()


def test_configured_in_the_desk_without_code(login_as):
    client = login_as("admin")
    assert client.get("/app/docflow/webhook/add/").status_code == 200
    form = {
        "name": "desk",
        "enabled": "on",
        "webhook_doctype": "Surat Masuk",
        "webhook_docevent": "on_submit",
        "request_url": "http://127.0.0.1:9/terima",
        "request_method": "POST",
        "request_structure": "JSON",
        "timeout": "5",
        "webhook_headers-TOTAL_FORMS": "1",
        "webhook_headers-INITIAL_FORMS": "0",
        "webhook_headers-0-key": "Authorization",
        "webhook_headers-0-value": "token abc",
        "webhook_data-TOTAL_FORMS": "1",
        "webhook_data-INITIAL_FORMS": "0",
        "webhook_data-0-fieldname": "perihal",
        "webhook_data-0-key": "perihal",
    }
    refused = client.post("/app/docflow/webhook/add/", {**form, "webhook_data-0-fieldname": "bukan_field"})
    assert refused.status_code == 200 and "bukan_field tidak dikenal" in refused.content.decode()
    assert not Webhook.objects.exists()
    assert client.post("/app/docflow/webhook/add/", form).status_code == 302
    hook = Webhook.objects.get(name="desk")
    assert [(d.fieldname, d.key) for d in hook.webhook_data.all()] == [("perihal", "perihal")]
    assert hook.webhook_headers.get().value == "token abc"
    for url in ("/app/docflow/webhookrequestlog/", "/app/docflow/backgroundjob/", "/app/docflow/autorepeat/"):
        assert client.get(url).status_code == 200
    assert "Pekerjaan Latar" in client.get("/app/").content.decode()
