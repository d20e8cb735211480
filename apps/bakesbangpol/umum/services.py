"""Writes of P1.2: dispositions (with their chain), filing into the archive,
and the team memberships an SK establishes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.docflow.exceptions import WorkflowPermissionError
from apps.docflow.scope import backend
from apps.docflow.services.workflow import apply_action, available_actions, document_create
from apps.organisasi.models import KeanggotaanTim, Pegawai

from .models import Arsip, Disposisi, SuratMasuk

ACTION_DISPOSISI = "Disposisi"
ACTION_SELESAI = "Selesai"


@transaction.atomic
def disposisi_buat(
    *,
    surat: SuratMasuk,
    dari,
    tujuan: list,
    instruksi,
    catatan: str = "",
    batas_waktu=None,
    induk: Disposisi | None = None,
) -> list[Disposisi]:
    """Disposition ``surat`` (or, with ``induk``, a disposition received) to
    one or more units, each optionally to a person.

    The first disposition is the Kepala Badan's step of the letter's workflow
    and moves it on; a further one is open to whoever may close ``induk``.
    """
    if not tujuan:
        raise ValidationError(_("Pilih paling sedikit satu tujuan disposisi."))
    instruksi = list(instruksi)
    if not instruksi:
        raise ValidationError(_("Pilih paling sedikit satu instruksi disposisi."))
    surat = SuratMasuk.objects.select_for_update().get(pk=surat.pk)
    if induk is None:
        tingkat = 1
    else:
        induk = Disposisi.objects.select_for_update().get(pk=induk.pk)
        if ACTION_SELESAI not in {a.action for a in _actions_ignoring_children(induk, dari)}:
            raise WorkflowPermissionError(_("Hanya penerima disposisi yang dapat mendisposisikan lebih lanjut."))
        tingkat = induk.tingkat + 1
    person = backend().person(dari)
    made = []
    for target in tujuan:
        unit, orang = target["unit"], target.get("orang")
        if orang is not None:
            pegawai = Pegawai.objects.filter(user=orang, aktif=True).first()
            if pegawai is None or pegawai.unit_id not in unit.subtree_ids():
                raise ValidationError(
                    _("%(orang)s bukan pegawai %(unit)s; pilih orang dari unit tujuan.")
                    % {"orang": orang, "unit": unit}
                )
        disposisi = document_create(
            model=Disposisi,
            user=dari,
            unit=unit,
            data={
                "surat_masuk": surat,
                "induk": induk,
                "dari": dari,
                "dari_jabatan": person.title,
                "kepada_unit": unit,
                "kepada": orang,
                "catatan": catatan,
                "batas_waktu": batas_waktu,
                "tingkat": tingkat,
            },
        )
        disposisi.instruksi.set(instruksi)
        made.append(disposisi)
    SuratMasuk.objects.filter(pk=surat.pk).update(disposisi_terbuka=F("disposisi_terbuka") + len(made))
    if induk is not None:
        Disposisi.objects.filter(pk=induk.pk).update(lanjutan_terbuka=F("lanjutan_terbuka") + len(made))
    else:
        # the letter's own step; it checks role, Plh. and state, and a refusal
        # rolls back the dispositions made above with it
        surat.refresh_from_db()
        result = apply_action(
            doc=surat, action=ACTION_DISPOSISI, user=dari, comment=catatan, expected_state="Menunggu Disposisi"
        )
        if result.log.delegation_label:  # a Plh. dispositions in that capacity
            Disposisi.objects.filter(pk__in=[d.pk for d in made]).update(dari_jabatan=result.log.delegation_label)
            for d in made:
                d.dari_jabatan = result.log.delegation_label
    return made


def _actions_ignoring_children(disposisi, user):
    """Whether ``user`` is the one this disposition waits for (its children
    may still be open: passing it on is allowed before closing it)."""
    saved = disposisi.lanjutan_terbuka
    disposisi.lanjutan_terbuka = 0
    try:
        return available_actions(disposisi, user)
    finally:
        disposisi.lanjutan_terbuka = saved


def disposisi_on_enter(doc, state, log):
    """Closing a disposition releases its parent and the letter."""
    if state.state == "Selesai" and log is not None:
        doc.catatan_selesai = log.comment
        SuratMasuk.objects.filter(pk=doc.surat_masuk_id, disposisi_terbuka__gt=0).update(
            disposisi_terbuka=F("disposisi_terbuka") - 1
        )
        if doc.induk_id:
            Disposisi.objects.filter(pk=doc.induk_id, lanjutan_terbuka__gt=0).update(
                lanjutan_terbuka=F("lanjutan_terbuka") - 1
            )
    if doc.batas_waktu and not state.is_final:
        # the due date the giver set wins over the state's SLA
        end = datetime.datetime.combine(doc.batas_waktu, datetime.time(23, 59, 59))
        doc.due_at = timezone.make_aware(end, timezone.get_current_timezone())


def arsip_dari_surat(
    *, doc, user, perihal: str, pengirim_penerima: str, nomor_surat: str, tanggal_surat, klasifikasi
) -> Arsip:
    """File a letter: the archive record with its retention, in the same transaction."""
    return document_create(
        model=Arsip,
        user=user,
        data={
            "sumber_doctype": doc.doctype,
            "sumber_id": doc.pk,
            "sumber_nama": doc.name,
            "nomor_surat": nomor_surat,
            "tanggal_surat": tanggal_surat,
            "perihal": perihal,
            "pengirim_penerima": pengirim_penerima,
            "klasifikasi": klasifikasi,
        },
    )


def sk_keanggotaan(sk, *, dicabut: bool = False) -> int:
    """An SK that forms a team makes (or, revoked, ends) its members' memberships."""
    if sk.tim_id is None:
        return 0
    if dicabut:
        return KeanggotaanTim.objects.filter(sumber_doctype="Surat Keputusan", sumber_id=sk.pk).update(dicabut=True)
    rows = [
        KeanggotaanTim(
            tim_id=sk.tim_id,
            anggota_id=a.pengguna_id,
            jabatan_tim=a.jabatan_tim,
            mulai=sk.tim_mulai,
            selesai=sk.tim_selesai,
            dasar=sk.number,
            sumber_doctype="Surat Keputusan",
            sumber_id=sk.pk,
        )
        for a in sk.anggota.all()
    ]
    if not rows:
        raise ValidationError(_("SK pembentukan tim harus memuat daftar anggota tim."))
    KeanggotaanTim.objects.bulk_create(rows)
    return len(rows)
