"""Registration of the P8 document types with the engine."""

import datetime

from django.utils import timezone

from apps.docflow import registry

from .models import PermohonanIzinPenelitian, PermohonanSKT

SKT_VALID_YEARS = 5  # Permendagri 57/2017: SKT berlaku 5 (lima) tahun


def _skt_on_enter(doc, state, log):
    if doc.number and doc.masa_berlaku_sampai is None:
        issued = doc.number_date or timezone.localdate()
        try:
            doc.masa_berlaku_sampai = issued.replace(year=issued.year + SKT_VALID_YEARS) - datetime.timedelta(days=1)
        except ValueError:  # 29 February
            doc.masa_berlaku_sampai = issued.replace(year=issued.year + SKT_VALID_YEARS, day=28)


def register():
    registry.register(
        registry.DocType(
            doctype="Permohonan SKT",
            model=PermohonanSKT,
            process_code="P8.1",
            group="Perizinan (P8)",
            autoname="PSKT-{YYYY}-{seq:05}",
            title_field="nama_ormas",
            holder_field="nama_ormas",
            valid_until_field="masa_berlaku_sampai",
            owner_unit="BID_KBK",
            list_fields=("name", "nama_ormas", "workflow_state", "number", "unit", "modified_at"),
            on_enter_state=_skt_on_enter,
            extra={
                "permissions": {
                    "Petugas Pelayanan": ["view", "add", "change"],
                    "Staf Bidang": ["view", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )

    registry.register(
        registry.DocType(
            doctype="Permohonan Izin Penelitian",
            model=PermohonanIzinPenelitian,
            process_code="P8.2",
            group="Perizinan (P8)",
            autoname="PIP-{YYYY}-{seq:05}",
            title_field="nama_peneliti",
            holder_field="nama_peneliti",
            valid_until_field="tanggal_selesai",
            owner_unit="BID_IWK",
            list_fields=("name", "nama_peneliti", "instansi", "workflow_state", "number", "modified_at"),
            extra={
                "permissions": {
                    "Staf Bidang": ["view", "add", "change"],
                    "Petugas Pelayanan": ["view", "add", "change"],
                    "Kepala Bidang": ["view"],
                    "Kepala Badan": ["view"],
                    "Sekretaris": ["view"],
                }
            },
        )
    )
