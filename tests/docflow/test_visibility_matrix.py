"""Every way into a document agrees with the one selector.

Generated from the registry: for every registered doctype one document is
made through the real service (``document_create``, its required fields filled
from the model), and for every demo account the desk (list, change view,
history list and version, print preview, PDF, workflow action), the API
(resource list/get/PUT/DELETE, get_count, get_transitions), the pending
report's and the unit inbox's Excel exports and the file download answer as ``visible_documents`` says: visible -> 200 (writes: the
editing rules), invisible -> 404. A doctype registered later is covered
without new test code.

A user without the model's view permission at all gets the same refusal for
every id (403, the doctype not the document); that is allowed, never a 200.
"""

import io
import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.bakesbangpol.pembinaan.demo import demo_parpol
from apps.docflow import printing, registry, scenarios
from apps.docflow.dynamic.definitions import reference_files
from apps.docflow.exceptions import UnknownDocType
from apps.docflow.scope import backend
from apps.docflow.selectors import visible_documents
from apps.docflow.services import workflow as wf
from apps.docflow.services.files import file_create
from apps.organisasi.demo import ACCOUNTS, EXTERNAL
from tests.bakesbangpol.pembinaan.helpers import anggarkan
from tests.conftest import PDF_BYTES, user

USERNAMES = [a[0] for a in ACCOUNTS] + [e[0] for e in EXTERNAL]
# the engine's own fields, set by document_create
SKIP = {
    *("unit", "name", "number", "number_date", "workflow_state", "docstatus", "process_code", "state_seq"),
    *("created_by", "created_at", "modified_by", "modified_at", "state_entered_at", "due_at"),
}
CREATOR = "admin"
DESK_SAMPLE = 2  # visible users per doctype whose change, history and print pages render  # superuser: being the creator widens nobody else's view


# --- one document per doctype, through the service ------------------------------------------


def _text(field, label):
    if field.choices:
        return field.choices[0][0]
    if field.max_length == 16 and "nik" in field.name:
        return "3575010101010001"
    return f"Uji {label} {field.name}"[: field.max_length or 200]


# A document that another doctype's rules only accept as a link in a later
# state (a disbursement needs a budgeted application): how to get it there.
LINK_TARGET_STATE = {"Permohonan Banpol": anggarkan}


def _value(field, made):
    today = timezone.localdate()
    if isinstance(field, models.ForeignKey):  # OneToOne included
        target = field.remote_field.model
        try:
            info = registry.for_model(target)
        except UnknownDocType:
            info = None
        if info is not None:
            doc = make_document(info, made)
            prepared = ("linked", info.doctype)
            if info.doctype in LINK_TARGET_STATE and prepared not in made:
                made[info.doctype] = doc = LINK_TARGET_STATE[info.doctype](doc)
                made[prepared] = True
            return doc
        if target is get_user_model():
            return user(CREATOR)
        obj = target._default_manager.first()
        assert obj is not None, f"no {target.__name__} for {field}: load its reference data"
        return obj
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return today
    if isinstance(field, models.DecimalField):
        return Decimal("1000000")
    if isinstance(field, models.IntegerField):
        return today.year if "tahun" in field.name else 1
    if isinstance(field, models.EmailField):
        return "uji@example.org"
    if isinstance(field, (models.CharField, models.TextField)):
        return _text(field, "matriks")
    raise AssertionError(f"cannot fill {field!r}")


SCENARIOS = {spec["doctype"]: spec for spec in scenarios.scenarios()}


def make_document(info, made: dict):
    if info.doctype in made:
        return made[info.doctype]
    spec = SCENARIOS.get(info.doctype)
    if spec is not None:
        # a process shipped as data: its first demo document's values (they satisfy its
        # mandatory and conditional fields), made by the matrix's creator, not moved on
        made[info.doctype] = doc = scenarios.sample(spec, CREATOR)
        return doc
    model = info.model
    data = {}
    for field in model._meta.concrete_fields:
        # non-editable fields too: what a process's service computes before creating
        if field.name in SKIP or field.primary_key:
            continue
        if field.has_default() or field.null:
            continue
        if field.blank and field.empty_strings_allowed:
            continue  # an optional text or choice: left empty
        data[field.name] = _value(field, made)
    made[info.doctype] = doc = wf.document_create(model=model, user=user(CREATOR), data=data)
    return doc


@pytest.fixture
def documents():
    demo_parpol()  # parties are reference data that Banpol documents point at
    return {}


# --- the matrix ------------------------------------------------------------------------------


def urls(doc, hid):
    meta = doc._meta
    base = f"admin:{meta.app_label}_{meta.model_name}"
    return {
        "changelist": reverse(f"{base}_changelist"),
        "change": reverse(f"{base}_change", args=[doc.pk]),
        "history": reverse(f"{base}_history", args=[doc.pk]),
        "version": reverse(f"{base}_simple_history", args=[doc.pk, hid]),
        "print": reverse(f"{base}_cetak", args=[doc.pk]),
        "pdf": reverse(f"{base}_pdf", args=[doc.pk]),
        "action": reverse(f"{base}_tindakan", args=[doc.pk]),
    }


def export_rows(response, doctype, column):
    """The rows of an Excel export whose ``column`` (0-based) names ``doctype``."""
    assert response.status_code == 200, response.status_code
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [row for row in sheet.iter_rows(values_only=True) if len(row) > column and row[column] == doctype]


def refused(status, has_perm, where):
    """Invisible: 404; a user without any right on the model may get the
    doctype-wide 403 instead. Never a 200."""
    allowed = (404,) if has_perm else (403, 404)
    assert status in allowed, where


def rolled_back(call):
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


def _doctypes() -> list[str]:
    """Code-defined doctypes and those the apps ship as reference definitions
    (built from the database once it exists, so read from their files here)."""
    shipped = [json.loads(p.read_text()) for p in reference_files()]
    return sorted(
        {info.doctype for info in registry.all_doctypes()} | {s["name"] for s in shipped if not s.get("istable")}
    )


@pytest.mark.parametrize("doctype", _doctypes())
def test_every_way_in_agrees_with_the_selector(doctype, documents, client):
    info = registry.get(doctype)
    doc = make_document(info, documents)
    meta = doc._meta
    hid = doc.history.order_by("history_date").first().history_id
    attached = file_create(
        uploaded=SimpleUploadedFile("lampiran.pdf", PDF_BYTES, content_type="application/pdf"),
        user=user(CREATOR),
        doctype=doctype,
        name=doc.name,
    )
    desk = urls(doc, hid)
    has_format = printing.default_format(doctype) is not None
    pdf_checked = False
    api_doc = json.dumps({"doctype": doctype, "name": doc.name})
    name_filter = json.dumps([["name", "=", doc.name]])
    seen_by = []
    is_open = not wf.cached_workflow(doctype).states[doc.workflow_state].is_final

    for username in USERNAMES:
        account = user(username)
        client.force_login(account)
        visible = visible_documents(info.model, account).filter(pk=doc.pk).exists()
        perm = account.has_perm(f"{meta.app_label}.view_{meta.model_name}")
        where = (doctype, username, visible)

        # API ------------------------------------------------------------------------------
        get = client.get(f"/api/resource/{doctype}/{doc.name}")
        listing = client.get(f"/api/resource/{doctype}", {"filters": name_filter})
        count = client.get("/api/method/frappe.client.get_count", {"doctype": doctype, "filters": name_filter})
        transitions = client.get("/api/method/frappe.model.workflow.get_transitions", {"doc": api_doc})
        put = rolled_back(
            lambda: client.put(f"/api/resource/{doctype}/{doc.name}", "{}", content_type="application/json")
        )
        delete = rolled_back(lambda: client.delete(f"/api/resource/{doctype}/{doc.name}"))
        download = client.get(f"/files/{attached.pk}/")
        # reports and their Excel exports ----------------------------------------------------
        pending = export_rows(
            client.get("/app/laporan/tertunda/", {"proses": info.process_code, "format": "xlsx"}), doctype, 2
        )
        counted = sum(row[4] for row in pending)
        # a data-defined doctype's reports are for the roles with its DocPerm "report" right
        reported = visible and is_open and info.allows(account, "report")
        if reported:  # once per owning unit the account sees (joint ownership: up to one row per unit)
            assert 1 <= counted <= 1 + len(wf.additional_units(doc)), (*where, "pending report", pending)
        else:
            assert counted == 0, (*where, "pending report", pending)
        unit_inbox = export_rows(client.get("/app/laporan/unit-saya/", {"format": "xlsx"}), doctype, 0)
        if not visible:
            assert doc.name not in {row[1] for row in unit_inbox}, (*where, "unit inbox")
        # desk -----------------------------------------------------------------------------
        changelist = client.get(desk["changelist"]) if perm else None
        listed = bool(changelist) and doc.pk in {o.pk for o in changelist.context["cl"].result_list}

        if visible and perm:
            seen_by.append(username)
            assert get.status_code == 200, (*where, "get", get.content)
            assert [row["name"] for row in listing.json()["data"]] == [doc.name], where
            assert count.json()["message"] == 1, where
            assert transitions.status_code == 200, where
            can_edit = wf.can_edit(doc, account)
            if can_edit and account.has_perm(f"{meta.app_label}.change_{meta.model_name}"):
                assert put.status_code == 200, (*where, "put", put.content)
            else:
                assert put.status_code == 403, (*where, "put", put.content)
            assert delete.status_code != 404, where
            assert download.status_code == 200, where
            assert listed, (*where, "changelist")
            if len(seen_by) <= DESK_SAMPLE or account.is_superuser:
                # the full desk pages render for a sample of those who see it (they are slow)
                for page in ("change", "history", "version"):
                    response = client.get(desk[page])
                    assert response.status_code == 200, (*where, page)
                response = client.get(desk["print"])
                assert response.status_code == (200 if has_format else 404), (*where, "print")
                assert client.post(desk["version"], {}).status_code == 405, where  # never reverted
            if has_format and not pdf_checked:
                response = client.get(desk["pdf"])
                assert response.status_code in (200, 302), (*where, "pdf")
                pdf_checked = True
        elif visible:
            # the selector lets the user see it, but the user holds no right on the model
            for response, what in ((get, "get"), (count, "count"), (put, "put"), (delete, "delete")):
                assert response.status_code == 403, (*where, what)
            assert not listed, where
        else:
            for response, what in (
                (get, "get"),
                (transitions, "transitions"),
                (put, "put"),
                (delete, "delete"),
            ):
                refused(response.status_code, perm, (*where, what))
            if listing.status_code == 200:
                assert listing.json()["data"] == [], where
            else:
                refused(listing.status_code, perm, (*where, "list"))
            if count.status_code == 200:
                assert count.json()["message"] == 0, where
            else:
                refused(count.status_code, perm, (*where, "count"))
            assert download.status_code == 404, (*where, "download")
            assert not listed, (*where, "changelist")
            for page in ("change", "history", "version", "print", "pdf"):
                refused(client.get(desk[page]).status_code, perm, (*where, page))
            refused(client.post(desk["version"], {}).status_code, perm, (*where, "revert"))
            refused(client.post(desk["action"], {"action": "x"}).status_code, perm, (*where, "action"))
        client.logout()

    # the matrix means something: somebody besides the superuser sees each document
    assert [u for u in seen_by if u != "admin"], (doctype, "nobody sees it")
    assert doc.workflow_state == type(doc).objects.get(pk=doc.pk).workflow_state


def test_the_matrix_covers_every_registered_doctype_and_account(documents):
    for info in registry.all_doctypes():
        make_document(info, documents)
    assert {key for key in documents if isinstance(key, str)} == set(registry.names())
    assert all(backend().grants(user(u)) or user(u).is_superuser for u in USERNAMES)
