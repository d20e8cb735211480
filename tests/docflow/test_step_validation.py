"""A step and an edit validate the whole document, without looking up again
what the database already guarantees and the document still holds: an
unchanged foreign key or unique value (docflow.services.workflow._full_clean)."""

import copy

import pytest
from django.core.exceptions import ValidationError

from apps.docflow.services.workflow import _full_clean, apply_action, document_update
from apps.organisasi.models import Unit
from tests.conftest import make_skt, user


def test_unchanged_links_and_unique_values_are_not_looked_up_again(django_assert_num_queries):
    doc = make_skt()
    before = copy.copy(doc)
    with django_assert_num_queries(0):
        _full_clean(doc, before)
    # without the document as loaded, every link and the unique name are looked up
    with django_assert_num_queries(4):  # created_by, modified_by, unit; the name
        _full_clean(doc, None)


def test_a_changed_link_is_still_checked():
    doc = make_skt()
    before = copy.copy(doc)
    doc.unit_id = Unit.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    with pytest.raises(ValidationError) as caught:
        _full_clean(doc, before)
    assert "unit" in caught.value.message_dict


def test_an_unchanged_empty_mandatory_field_still_stops_the_save():
    doc = make_skt()
    doc.nama_ormas = ""  # as if the field had been made mandatory after the row was saved
    before = copy.copy(doc)
    with pytest.raises(ValidationError) as caught:
        _full_clean(doc, before)
    assert "nama_ormas" in caught.value.message_dict


def test_a_field_tied_by_a_conditional_constraint_is_still_checked():
    """Banpol: one application per party and budget year unless refused; the
    party link is part of that rule, so it is checked even when unchanged."""
    from tests.bakesbangpol.pembinaan.helpers import ajukan

    first = ajukan("PKB")
    second = ajukan("GOLKAR")
    before = copy.copy(second)
    second.parpol_id = first.parpol_id  # the second now asks for the first party's year
    with pytest.raises(ValidationError):
        _full_clean(second, before)
    twin = copy.copy(first)  # the party unchanged, the rule still checked
    twin.pk, twin.name = None, first.name + "-X"
    with pytest.raises(ValidationError):
        _full_clean(twin, copy.copy(first))


def test_edit_and_step_refuse_a_bad_change_and_save_nothing():
    doc = make_skt()
    with pytest.raises(ValidationError):
        document_update(doc=doc, user=user("pelayanan_kbk"), data={"ketua_nik": "x" * 200})
    doc.refresh_from_db()
    assert doc.ketua_nik == "3575010101010001"
    result = apply_action(doc=doc, action="Berkas Lengkap", user=user("pelayanan_kbk"))
    assert result.applied and result.doc.workflow_state == "Survei Lokasi"
