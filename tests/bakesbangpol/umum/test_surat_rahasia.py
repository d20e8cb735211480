"""Secret letters (sifat Rahasia): only those in the disposition chain see the
letter and its dispositions; an ordinary letter follows the unit rules."""

import datetime

import pytest
import time_machine

from apps.bakesbangpol.umum.models import Disposisi, SuratMasuk
from apps.bakesbangpol.umum.services import disposisi_buat
from apps.docflow.selectors import document_get_for_user, visible_documents
from tests.conftest import user

from .helpers import SENIN, instruksi, no_demo_delegation, unit, verified_surat


@pytest.fixture(autouse=True)
def senin():
    no_demo_delegation()
    with time_machine.travel(SENIN, tick=True):
        yield


def sees_letter(username, surat):
    return visible_documents(SuratMasuk, user(username)).filter(pk=surat.pk).exists()


def sees_dispositions(username, surat):
    return set(visible_documents(Disposisi, user(username)).filter(surat_masuk=surat).values_list("pk", flat=True))


def dispositioned(sifat, orang=None):
    surat = verified_surat(sifat=sifat, perihal=f"Laporan situasi ({sifat})")
    (d,) = disposisi_buat(
        surat=surat,
        dari=user("kaban"),
        tujuan=[{"unit": unit("BID_KBK"), "orang": user(orang) if orang else None}],
        instruksi=instruksi("Untuk diketahui"),
        catatan="Untuk diketahui dan dipantau.",
        batas_waktu=datetime.date(2026, 12, 4),
    )
    return surat, d


def test_secret_letter_is_hidden_from_those_outside_the_chain():
    secret, d = dispositioned("Rahasia")
    assert sees_letter("persuratan", secret)  # registered it
    assert sees_letter("kaban", secret)
    for outsider in ("kabid_iwk", "sekretaris", "staf_kbk", "staf_iwk", "kasubag_umpeg", "kabid_poldagri"):
        assert not sees_letter(outsider, secret), outsider
    from apps.docflow.exceptions import DocumentNotFound

    with pytest.raises(DocumentNotFound):
        document_get_for_user(user=user("sekretaris"), model=SuratMasuk, pk=secret.pk)


def test_dispositions_of_a_secret_letter_are_hidden_the_same_way():
    secret, d = dispositioned("Rahasia")
    assert sees_dispositions("kaban", secret) == {d.pk}
    assert sees_dispositions("kabid_kbk", secret) == {d.pk}
    for outsider in ("kabid_iwk", "sekretaris", "staf_kbk", "staf_iwk"):
        assert sees_dispositions(outsider, secret) == set(), outsider
    # passed on to a member of staff in person: now they are in the chain
    (to_staf,) = disposisi_buat(
        surat=secret,
        dari=user("kabid_kbk"),
        induk=d,
        tujuan=[{"unit": unit("BID_KBK"), "orang": user("staf_kbk")}],
        instruksi=instruksi("Tindak lanjuti"),
    )
    assert to_staf.pk in sees_dispositions("staf_kbk", secret)
    assert sees_dispositions("staf_iwk", secret) == set()
    assert sees_dispositions("sekretaris", secret) == set()


def test_ordinary_letter_follows_the_unit_rules():
    ordinary, d = dispositioned("Biasa")
    for viewer in ("persuratan", "kasubag_umpeg", "kaban", "sekretaris"):
        assert sees_letter(viewer, ordinary), viewer
    for outsider in ("kabid_iwk", "staf_iwk", "staf_poldagri"):
        assert not sees_letter(outsider, ordinary), outsider
    # its dispositions: by the receiving unit, not by secrecy
    assert sees_dispositions("sekretaris", ordinary) == {d.pk}
    assert sees_dispositions("staf_kbk", ordinary) == {d.pk}
    assert sees_dispositions("kabid_iwk", ordinary) == set()


def test_head_of_the_receiving_unit_sees_the_secret_letter():
    secret, d = dispositioned("Rahasia", orang=None)
    assert sees_letter("kabid_kbk", secret)


def test_addressed_member_of_staff_sees_the_secret_letter():
    secret, d = dispositioned("Rahasia", orang="staf_kbk")
    assert not sees_letter("staf_iwk", secret)
    assert sees_letter("staf_kbk", secret)
