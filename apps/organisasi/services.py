"""Loading the organisation's reference data: units and positions from the
organisation chart, the roles, and which role may do what in the desk.
Idempotent: running it again changes nothing that is already right."""

import re
from pathlib import Path

import yaml
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from apps.docflow import registry

from .models import Jabatan, Peran, Unit
from .roles import ROLES

DATA = Path(__file__).resolve().parent / "data" / "organisation.yaml"
ADMIN_ROLE = "Administrator Sistem"
ADMIN_MODELS = {
    "docflow": [
        "workflow",
        "workflowstate",
        "workflowtransition",
        "namingseries",
        "printformat",
        "letterhead",
        "holiday",
        "doctypedef",
        "docfielddef",
        "docpermdef",
        "customfield",
        "propertysetter",
    ],
    "organisasi": ["unit", "jabatan", "peran", "pegawai", "delegasi", "keanggotaantim"],
    "umum": ["klasifikasiarsip", "instruksidisposisi"],
    "pembinaan": ["parpol", "tarifbanpol"],
    "auth": ["user", "group"],
}
ADMIN_VIEW_ONLY = {
    "docflow": ["workflowlog", "namingcounter", "issueddocument", "file", "apikey"],
    "axes": ["accesslog", "accessfailurelog", "accessattempt"],  # the login audit log
}


def _unit_name_from_title(title: str) -> str:
    """'KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN' -> 'Sub Bagian Umum dan Kepegawaian'."""
    name = re.sub(r"^(KEPALA |KELOMPOK JABATAN FUNGSIONAL DAN )", "", title.strip(), flags=re.I)
    return " ".join(w.lower() if w.lower() == "dan" else w.capitalize() for w in name.split())


@transaction.atomic
def organisasi_load_reference() -> dict:
    data = yaml.safe_load(DATA.read_text())
    positions = {p["id"]: p for p in data["positions"]}
    kinds = {
        "pimpinan": Unit.Jenis.PIMPINAN,
        "sekretariat": Unit.Jenis.SEKRETARIAT,
        "bidang": Unit.Jenis.BIDANG,
        "kelompok jabatan fungsional": Unit.Jenis.KJF,
    }
    short = {
        "PIMPINAN": "Pimpinan",
        "SEKRETARIAT": "Sekretariat",
        "BID_IWK": "Bidang IWK",
        "BID_KBK": "Bidang KBK",
        "BID_POLDAGRI": "Bidang Poldagri",
        "KJF": "KJF",
    }
    units = {}
    for order, row in enumerate(data["units"]):
        unit, _ = Unit.objects.update_or_create(
            kode=row["id"],
            defaults={
                "nama": row["name"],
                "singkatan": short.get(row["id"], ""),
                "jenis": kinds[row["kind"]],
                "urutan": order * 10,
            },
        )
        units[row["id"]] = unit
    root = units["PIMPINAN"]
    for code, unit in units.items():
        if code != "PIMPINAN" and unit.induk_id != root.pk:
            unit.induk = root
            unit.save(update_fields=["induk"])
    for row in data["units"]:
        for sub_order, sub in enumerate(row.get("sub_units", []), start=1):
            title = positions[sub]["title"]
            unit, _ = Unit.objects.update_or_create(
                kode=sub,
                defaults={
                    "nama": _unit_name_from_title(title),
                    "jenis": Unit.Jenis.SUBBAGIAN,
                    "induk": units[row["id"]],
                    "urutan": units[row["id"]].urutan + sub_order,
                },
            )
            units[sub] = unit
    jabatan = {}
    for row in data["positions"]:
        own_unit = units.get(row["id"])
        unit_code = row["id"] if own_unit and own_unit.jenis == Unit.Jenis.SUBBAGIAN else row["unit"]
        jabatan[row["id"]], _ = Jabatan.objects.update_or_create(
            kode=row["id"],
            defaults={
                # the chart's typo 'KEASATUAN' is not repeated on letters
                "nama": row["title"].replace("KEASATUAN", "KESATUAN"),
                "kode_jabatan": row.get("code") or "",
                "jabatan_fungsional": (row.get("functional_position") or "").strip("()"),
                "unit": units[unit_code],
            },
        )
    for row in data["positions"]:
        parent = jabatan.get(row.get("parent")) if row.get("parent") else None
        if jabatan[row["id"]].atasan_id != (parent.pk if parent else None):
            jabatan[row["id"]].atasan = parent
            jabatan[row["id"]].save(update_fields=["atasan"])
    roles_load()
    permissions_load()
    return {"units": len(units), "jabatan": len(jabatan), "roles": len(ROLES)}


def roles_load():
    for name, lingkup, eksternal, keterangan in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        Peran.objects.update_or_create(
            group=group, defaults={"lingkup": lingkup, "eksternal": eksternal, "keterangan": str(keterangan)}
        )


def _perms(app_label: str, model: str, actions) -> list[Permission]:
    ct = ContentType.objects.get(app_label=app_label, model=model)
    return list(Permission.objects.filter(content_type=ct, codename__in=[f"{a}_{model}" for a in actions]))


def permissions_load():
    """Desk permissions per role: configuration for the administrator, each
    document type's own table (registry) for the staff roles."""
    admin = Group.objects.get(name=ADMIN_ROLE)
    for app_label, models in ADMIN_MODELS.items():
        for model in models:
            admin.permissions.add(*_perms(app_label, model, ["view", "add", "change", "delete"]))
    for app_label, models in ADMIN_VIEW_ONLY.items():
        for model in models:
            admin.permissions.add(*_perms(app_label, model, ["view"]))
    admin.permissions.add(*_perms("docflow", "issueddocument", ["change"]))
    for model in ("indikator", "targetiku", "realisasiiku"):
        admin.permissions.add(*_perms("laporan", model, ["view", "add", "change"]))
    admin.permissions.add(*_perms("laporan", "eskalasi", ["view"]))
    for role in ("Staf Bidang", "Kepala Bidang", "Tim Verifikasi", "TAPD", "Bendahara"):
        Group.objects.get(name=role).permissions.add(
            *_perms("pembinaan", "parpol", ["view"]), *_perms("pembinaan", "tarifbanpol", ["view"])
        )
    perencana = Group.objects.get(name="Perencana")
    perencana.permissions.add(*_perms("laporan", "realisasiiku", ["view", "add", "change"]))
    perencana.permissions.add(*_perms("laporan", "indikator", ["view"]), *_perms("laporan", "targetiku", ["view"]))
    for role in ("Kepala Badan", "Sekretaris"):
        Group.objects.get(name=role).permissions.add(
            *_perms("laporan", "realisasiiku", ["view"]), *_perms("laporan", "indikator", ["view"])
        )
    # P3.1: the Bendahara keeps the DPA budget lines (desk, Excel import); the other finance roles read them
    Group.objects.get(name="Bendahara").permissions.add(
        *_perms("keuangan", "anggarandpa", ["view", "add", "change", "delete"])
    )
    for role in ("PPTK", "Verifikator", "Pengguna Anggaran", "Pengelola Keuangan"):
        Group.objects.get(name=role).permissions.add(*_perms("keuangan", "anggarandpa", ["view"]))
    for info in registry.all_doctypes():
        meta = info.model._meta
        for role, actions in info.extra.get("permissions", {}).items():
            group = Group.objects.filter(name=role).first()
            if group:
                group.permissions.add(*_perms(meta.app_label, meta.model_name, actions))
        admin.permissions.add(*_perms(meta.app_label, meta.model_name, ["view"]))
