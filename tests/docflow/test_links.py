"""Conditions and print formats read linked documents (``link()``,
``exists()``) through the engine's visibility-blind reader, bounded in cost;
a Link's target shows the "Terkait" panel of visible documents pointing at it."""

import threading

import pytest
from django.db import connection, connections

from apps.docflow import conditions, printing
from apps.docflow.exceptions import ConditionNotMet
from apps.docflow.models import PrintFormat, Workflow
from apps.docflow.scope import cached
from apps.docflow.selectors import inbox_for_user
from apps.docflow.services.definitions import export_workflow, import_workflow, validate_spec
from apps.docflow.services.workflow import apply_action
from tests.bakesbangpol.pembinaan.helpers import proposal_ormas
from tests.conftest import advance_skt, make_skt, user

pytestmark = pytest.mark.engine

LINKED = 'link("skt").workflow_state == "SKT Terbit"'


def hibah_condition(condition):
    spec = export_workflow(Workflow.objects.get(workflow_name="Hibah Ormas"))
    for t in spec["transitions"]:
        if t["action"] == "Proposal Layak":
            t["condition"] = condition
    import_workflow(spec)


def test_link_condition_reads_the_linked_document():
    hibah_condition(LINKED)
    skt = advance_skt(make_skt(), "Menunggu Persetujuan")
    hibah = proposal_ormas(skt=skt)
    with pytest.raises(ConditionNotMet) as refused:
        apply_action(doc=hibah, action="Proposal Layak", user=user("staf_kbk"))
    assert "Status SKT harus bernilai 'SKT Terbit'" in refused.value.message
    apply_action(doc=skt, action="Setujui", user=user("kaban"))
    assert apply_action(doc=hibah, action="Proposal Layak", user=user("staf_kbk")).doc.workflow_state == (
        "Menunggu Nota Dinas"
    )


def test_link_without_a_linked_document_is_not_met():
    hibah_condition(LINKED)
    hibah = proposal_ormas()
    assert not conditions.evaluate(LINKED, hibah, user("staf_kbk"))


def test_exists_with_filters_from_the_document():
    rule = 'exists("Permohonan SKT", [["nama_ormas", "=", doc.nama_ormas], ["workflow_state", "=", "Ditolak"]])'
    doc = make_skt(nama_ormas="Ormas Berulang")
    assert not conditions.evaluate(rule, doc)
    rejected = advance_skt(make_skt(nama_ormas="Ormas Berulang"), "Menunggu Persetujuan")
    apply_action(doc=rejected, action="Tolak", user=user("kaban"), comment="Tidak memenuhi syarat.")
    assert conditions.evaluate(rule, doc)
    assert conditions.evaluate('exists("Permohonan SKT", {"nama_ormas": "Ormas Berulang"})', doc)
    assert not conditions.evaluate(f"not {rule}", doc)


def test_lookups_are_checked_when_the_workflow_is_saved():
    from apps.bakesbangpol.pembinaan.models import HibahOrmas

    assert conditions.check_condition(LINKED, HibahOrmas) is None
    assert "bukan field tautan" in conditions.check_condition('link("nama_ormas").x', HibahOrmas)
    assert "tidak dikenal" in conditions.check_condition('link("tidak_ada").x', HibahOrmas)
    assert "teks tetap" in conditions.check_condition("link(doc.nama_ormas).x", HibahOrmas)
    assert "tidak dikenal" in conditions.check_condition('exists("Bukan Doctype", {})', HibahOrmas)
    spec = export_workflow(Workflow.objects.get(workflow_name="Hibah Ormas"))
    spec["transitions"][0]["condition"] = 'link("alamat").workflow_state'
    assert any("alamat" in e for e in validate_spec(spec))


def test_lookups_cannot_reach_beyond_plain_fields_and_are_bounded():
    doc = make_skt()
    # no joins, no private lookups, no unknown fields: the expression is simply not met
    assert not conditions.evaluate('exists("Permohonan SKT", {"created_by__password": "x"})', doc)
    assert not conditions.evaluate('exists("Permohonan SKT", {"nama_ormas__startswith": "P"})', doc)
    assert not conditions.evaluate('exists("Permohonan SKT", [["nama_ormas", "like", "%"]])', doc)
    assert not conditions.evaluate('exists("Permohonan SKT", {"nama_ormas": doc})', doc)
    many = " or ".join(['exists("Permohonan SKT", {"nama_ormas": "Tidak Ada"})'] * 25)
    assert conditions.check_condition(many) is None
    with cached():
        assert not conditions.evaluate(many + ' or exists("Permohonan SKT", {})', doc)  # past the budget


def test_conditions_read_documents_the_user_cannot_see():
    """Visibility-blind: the rule decides alike for everyone."""
    from apps.docflow.selectors import visible_documents

    skt = advance_skt(make_skt(), "SKT Terbit")
    hibah = proposal_ormas(skt=skt)
    outsider = user("staf_iwk")
    assert not visible_documents(type(skt), outsider).filter(pk=skt.pk).exists()
    assert conditions.evaluate(LINKED, hibah, outsider)


def test_inbox_primes_linked_rows_once_per_doctype(django_assert_max_num_queries):
    hibah_condition(LINKED)
    skt = advance_skt(make_skt(), "SKT Terbit")
    for i in range(5):
        proposal_ormas(skt=skt, nama_ormas=f"Ormas {i}")
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    inbox_for_user(user("staf_kbk"))  # loads the workflows into the process cache
    with CaptureQueriesContext(conn) as few:
        rows = inbox_for_user(user("staf_kbk"))
    assert sum(1 for info, doc, actions in rows if info.doctype == "Hibah Ormas") >= 5
    for i in range(5, 15):
        proposal_ormas(skt=skt, nama_ormas=f"Ormas {i}")
    inbox_for_user(user("staf_kbk"))
    with CaptureQueriesContext(conn) as many:
        inbox_for_user(user("staf_kbk"))
    assert len(many) == len(few)


def test_print_formats_read_linked_documents():
    skt = advance_skt(make_skt(nama_ormas="Ormas Bersertifikat"), "SKT Terbit")
    hibah = proposal_ormas(skt=skt)
    pf = PrintFormat(
        name="uji tautan",
        doc_type="Hibah Ormas",
        html='{{ link("skt").nama_ormas }}: {{ link("skt").workflow_state }}'
        ' {% if exists("Permohonan SKT", {"nama_ormas": "Ormas Bersertifikat"}) %}ada{% endif %}',
    )
    html = printing.render_html(pf, printing.build_context(hibah))
    assert "Ormas Bersertifikat: SKT Terbit ada" in html


def test_terkait_panel_lists_visible_documents_pointing_here(login_as):
    skt = advance_skt(make_skt(), "SKT Terbit")
    hibah = proposal_ormas(skt=skt)
    page = login_as("staf_kbk").get(f"/app/perizinan/permohonanskt/{skt.pk}/change/").content.decode()
    assert 'id="docflow-related"' in page and hibah.name in page
    # the Kepala Badan sees everything; a user who cannot see the grant gets no panel entry
    from apps.docflow.desk.document_admin import related_documents

    assert [g["doctype"] for g in related_documents(skt, user("kaban"))] == ["Hibah Ormas"]
    assert related_documents(skt, user("staf_iwk")) == []


server_db = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="row locks need PostgreSQL or MariaDB; CI runs this there"
)


@server_db
@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_conditions_with_lookups_evaluate_in_threads():
    """Lookups are parsed under the parse lock and read per thread."""
    hibah_condition(LINKED)
    skt = advance_skt(make_skt(), "SKT Terbit")
    hibah = proposal_ormas(skt=skt)
    results, errors = [], []
    barrier = threading.Barrier(4)

    def run():
        try:
            barrier.wait(timeout=30)
            with cached():
                results.append(conditions.evaluate(LINKED, hibah, user("staf_kbk")))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and results == [True] * 4
