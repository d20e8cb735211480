"""The first report: documents pending per unit and state."""

import datetime

import pytest
import time_machine

from apps.laporan.selectors import pending_per_unit
from tests.conftest import advance_skt, make_skt, user

# Reports are aggregate SQL.
pytestmark = pytest.mark.engine


def _counts(rows):
    return {(r.unit, r.state): (r.count, r.overdue) for r in rows if r.doctype == "Permohonan SKT"}


def test_pending_per_unit_and_state_with_overdue_and_visibility():
    kbk = "Bidang Ketahanan Bangsa dan Kemasyarakatan"
    with time_machine.travel(datetime.datetime(2026, 11, 2, 9, 0), tick=False):
        make_skt()
        make_skt()
        advance_skt(make_skt(), "Survei Lokasi")
        done = advance_skt(make_skt(), "SKT Terbit")
    with time_machine.travel(datetime.datetime(2026, 11, 4, 10, 0), tick=False):
        counts = _counts(pending_per_unit(user("kaban")))
        # verification has an SLA of 2 working days: Mon 2 Nov -> due Wed 4 Nov, not late yet
        assert counts[(kbk, "Menunggu Verifikasi")] == (2, 0)
        assert counts[(kbk, "Survei Lokasi")] == (1, 0)
        assert counts[(kbk, "SKT Terbit")] == (1, 0)
    with time_machine.travel(datetime.datetime(2026, 11, 5, 10, 0), tick=False):
        counts = _counts(pending_per_unit(user("kaban")))
        assert counts[(kbk, "Menunggu Verifikasi")] == (2, 2)
        assert counts[(kbk, "Survei Lokasi")] == (1, 0)  # 5 working days
        late_only = _counts(pending_per_unit(user("kaban"), overdue_only=True))
        assert set(late_only) == {(kbk, "Menunggu Verifikasi"), (kbk, "SKT Terbit")}
    assert _counts(pending_per_unit(user("kabid_kbk")))[(kbk, "Menunggu Verifikasi")][0] == 2
    assert _counts(pending_per_unit(user("kabid_iwk"))) == {}
    assert done.number


def test_pending_page_in_the_desk(login_as):
    make_skt()
    page = login_as("kabid_kbk").get("/app/laporan/tertunda/")
    assert page.status_code == 200 and "Menunggu Verifikasi" in page.content.decode()
    other = login_as("kabid_iwk").get("/app/laporan/tertunda/")
    assert "Menunggu Verifikasi" not in other.content.decode().split('id="pending"')[1]
