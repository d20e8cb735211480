"""Joint ownership: a document's additional units, each with its own reach,
in visibility, actions, the inbox and the pending reports."""

import dataclasses
import threading

import pytest
from django.db import connection, connections

from apps.bakesbangpol.perizinan.models import PermohonanSKT
from apps.docflow import registry
from apps.docflow.exceptions import OutsideUnitScope, WorkflowPermissionError
from apps.docflow.models import DocumentUnit, WorkflowLog
from apps.docflow.selectors import inbox_for_user, visible_documents
from apps.docflow.services.workflow import apply_action, document_units_set
from apps.laporan.selectors import pending_per_unit, unit_pending
from apps.organisasi.models import Unit
from tests.conftest import make_skt, user

pytestmark = pytest.mark.engine


def unit(kode):
    return Unit.objects.get(kode=kode)


def sees(username, doc):
    return visible_documents(type(doc), user(username)).filter(pk=doc.pk).exists()


def test_an_additional_unit_sees_acts_and_is_counted():
    doc = make_skt()
    assert not sees("pelayanan_iwk", doc) and not sees("kabid_iwk", doc)
    with pytest.raises(OutsideUnitScope):
        apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_iwk"))

    document_units_set(doc=doc, user=user("pelayanan_kbk"), units=[unit("BID_IWK")])
    assert set(DocumentUnit.objects.filter(document_id=doc.pk).values_list("unit__kode", flat=True)) == {"BID_IWK"}
    assert sees("pelayanan_iwk", doc) and sees("kabid_iwk", doc) and sees("staf_iwk", doc)
    assert not sees("staf_poldagri", doc)
    assert doc.name in {d.name for info, d, actions in inbox_for_user(user("pelayanan_iwk"))}

    rows = {
        (r.unit_id, r.kind, r.count)
        for r in pending_per_unit(user("kaban"))
        if r.doctype == "Permohonan SKT" and r.state == "Menunggu Verifikasi"
    }
    assert (unit("BID_IWK").pk, "joint", 1) in rows
    assert any(u == unit("BID_KBK").pk and k == "owner" for u, k, _n in rows)
    iwk_rows = [r for r in pending_per_unit(user("kabid_iwk")) if r.doctype == "Permohonan SKT"]
    # the IWK head sees it counted for IWK (jointly) and for its owner
    assert {(r.unit_id, r.kind, r.count) for r in iwk_rows} == {
        (unit("BID_IWK").pk, "joint", 1),
        (unit("BID_KBK").pk, "owner", 1),
    }
    assert doc.pk in {d.pk for info, d, roles in unit_pending(user("kabid_iwk"))}

    # its own reach: the IWK officer takes the step
    result = apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_iwk"))
    assert result.doc.workflow_state == "Survei Lokasi"
    assert WorkflowLog.objects.filter(document_id=doc.pk, kind="units").exists()


def test_removing_an_additional_unit_removes_its_reach():
    doc = make_skt()
    document_units_set(doc=doc, user=user("pelayanan_kbk"), units=[unit("BID_IWK"), unit("BID_POLDAGRI")])
    assert sees("staf_poldagri", doc)
    document_units_set(doc=doc, user=user("pelayanan_kbk"), units=[unit("BID_IWK")])
    assert not sees("staf_poldagri", doc) and sees("staf_iwk", doc)


def test_only_the_holder_of_the_step_sets_units():
    doc = make_skt()
    with pytest.raises(WorkflowPermissionError):
        document_units_set(doc=doc, user=user("staf_iwk"), units=[unit("BID_IWK")])
    assert not DocumentUnit.objects.filter(document_id=doc.pk).exists()
    # the owning unit is never an additional one
    assert document_units_set(doc=doc, user=user("pelayanan_kbk"), units=[unit("BID_KBK")]) == frozenset()


def test_a_doctype_may_be_owned_jointly_from_creation():
    info = registry.get("Permohonan SKT")
    registry.register(dataclasses.replace(info, additional_units=("BID_IWK", "BID_POLDAGRI")))
    try:
        doc = make_skt()
    finally:
        registry.register(info)
    assert set(
        DocumentUnit.objects.filter(document_id=doc.pk, doctype="Permohonan SKT").values_list("unit__kode", flat=True)
    ) == {
        "BID_IWK",
        "BID_POLDAGRI",
    }
    assert sees("staf_poldagri", doc)


def test_desk_sets_units_and_refuses_unknown_ones(login_as):
    doc = make_skt()
    url = f"/app/perizinan/permohonanskt/{doc.pk}/"
    client = login_as("pelayanan_kbk")
    assert 'id="docflow-joint"' in client.get(url + "change/").content.decode()
    client.post(url + "unit-bersama/", {"units": [unit("BID_IWK").pk]})
    assert DocumentUnit.objects.filter(document_id=doc.pk, unit=unit("BID_IWK")).exists()
    client.post(url + "unit-bersama/", {"units": [unit("BID_IWK").pk, 999999]})
    assert DocumentUnit.objects.filter(document_id=doc.pk).count() == 1
    assert client.get(url + "unit-bersama/").status_code == 405


server_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row locks need PostgreSQL or MariaDB; CI runs this there"
)


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_holders_adding_units_at_once():
    """Both writes queue on the document's row: no duplicate, no error, both units kept."""
    doc = make_skt()
    barrier = threading.Barrier(2)
    errors = []

    def add(units):
        try:
            barrier.wait(timeout=30)
            current = set(DocumentUnit.objects.filter(document_id=doc.pk).values_list("unit_id", flat=True))
            document_units_set(
                doc=PermohonanSKT.objects.get(pk=doc.pk), user=user("pelayanan_kbk"), units=current | units
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=({unit("BID_IWK").pk},)),
        threading.Thread(target=add, args=({unit("BID_IWK").pk},)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert list(DocumentUnit.objects.filter(document_id=doc.pk).values_list("unit__kode", flat=True)) == ["BID_IWK"]
