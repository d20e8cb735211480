from tests.conftest import advance_skt, make_skt


def test_skt_reaches_issue_with_number():
    doc = advance_skt(make_skt(), "SKT Terbit")
    assert doc.number.endswith("/423.108/" + str(doc.number_date.year))
