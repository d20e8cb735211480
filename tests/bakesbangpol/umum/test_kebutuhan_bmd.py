"""P1.2.3: the goods recap's total is computed from its rows, and the
recapitulation waits until every bidang has answered its sub-task."""

from decimal import Decimal

import pytest

from apps.docflow import registry
from apps.docflow.exceptions import SubTasksOpen
from apps.docflow.scope import backend
from apps.docflow.services import subtasks
from apps.docflow.services.workflow import apply_action, document_create, document_update
from tests.conftest import user


def test_the_recapitulation_waits_for_every_bidang_and_totals_the_recap():
    model = registry.get("Perencanaan Kebutuhan BMD").model
    doc = document_create(
        model=model,
        user=user("pengurus_barang"),
        data={"judul": "Uji BMD", "tahun_anggaran": 2027, "instruksi": "Rekap kebutuhan.", "batas_rekap": "2027-01-10"},
    )
    doc = apply_action(doc=doc, action="Kirim Instruksi ke Bidang", user=user("pengurus_barang")).doc
    task = subtasks.subtask_create(
        doc=doc, user=user("pengurus_barang"), unit=backend().unit_by_code("BID_KBK"), instruction="Rekap KBK."
    )
    doc = document_update(
        doc=doc,
        user=user("pengurus_barang"),
        data={"rekap": [
            {"bidang": "Bidang Ketahanan Bangsa dan Kemasyarakatan", "nama_barang": "Kursi", "jumlah": 10, "harga_satuan": 650000},
            {"bidang": "Bidang Politik Dalam Negeri", "nama_barang": "Kamera", "jumlah": 1, "harga_satuan": 11000000},
        ]},
    )  # fmt: skip
    assert doc.total_kebutuhan == Decimal("17500000")
    with pytest.raises(SubTasksOpen):
        apply_action(doc=doc, action="Susun Rekapitulasi", user=user("pengurus_barang"))
    subtasks.subtask_answer(task=task, user=user("staf_kbk"), answer="Kursi 10 buah.")
    doc = apply_action(doc=doc, action="Susun Rekapitulasi", user=user("pengurus_barang")).doc
    assert doc.workflow_state == "Entri RKBMD" and "/RKBMD/" in doc.number
