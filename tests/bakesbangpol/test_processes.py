"""Every process defined as data, tested from its scenario file
(``<app>/demo/<name>.json``, the same documents ``make run`` loads):

- before every action: a wrong role and a wrong unit are refused, a missing
  reason or attachment is refused, a stale state is refused, and none of
  them changes anything; then the allowed role's action lands in the
  expected state;
- every transition of the workflow is exercised by some scenario step;
- every print format of the doctype is read back from its PDF (number,
  names, dates, child rows, amounts in words, as the scenario expects);
- every role of the workflow has a demo document waiting for it.

A new process is covered by adding its scenario file; these tests fail
until it exercises every transition and print format.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from apps.docflow import registry, scenarios
from apps.docflow.exceptions import (
    AttachmentRequired,
    CommentRequired,
    OutsideUnitScope,
    RoleNotAllowed,
    StateConflict,
    WorkflowPermissionError,
)
from apps.docflow.models import PrintFormat, WorkflowLog
from apps.docflow.scope import backend
from apps.docflow.services.workflow import additional_units, apply_action, load_workflow
from tests.conftest import pdf_text

SPECS = scenarios.scenarios()


def _text(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def _snapshot(doc):
    doc.refresh_from_db()
    logs = WorkflowLog.objects.filter(doctype=registry.for_model(doc).doctype, document_id=doc.pk).count()
    return (doc.workflow_state, doc.state_seq, doc.number, logs)


def _refused(doc, action, user, error, **kwargs):
    before = _snapshot(doc)
    with pytest.raises(error) as raised:
        apply_action(doc=doc, action=action, user=user, **kwargs)
    assert _snapshot(doc) == before, f"{action} by {user.username} changed the document although refused"
    assert str(raised.value).strip(), "a refusal must say why"
    return raised.value


class Checker:
    def __init__(self, spec):
        self.spec = spec
        self.doctype = spec["doctype"]
        self.loaded = load_workflow(self.doctype)
        self.covered: set[tuple[str, str]] = set()
        self.printed: set[str] = set()
        self.accounts = list(get_user_model().objects.filter(is_active=True).order_by("username"))

    def _grants(self, user):
        return backend().grants(user)

    def __call__(self, doc, step, user):
        if "_issued" in step:
            return self.check_issued(doc, step)
        if "_pdf" in step:
            text = _text(step["_pdf"])
            for expected in scenarios.resolve(step.get("expect", [])):
                assert str(expected) in text, f"{step['print']}: {expected!r} not in the PDF: {text[:600]}"
            self.printed.add(step["print"])
            return None
        action = step["action"]
        state = doc.workflow_state
        transitions = [t for t in self.loaded.transitions_from(state) if t.action == action]
        assert transitions, f"{self.doctype}: no action {action} from {state}"
        self.covered.add((state, action))
        roles = {t.allowed.name for t in transitions}
        units = {doc.unit_id} | set(additional_units(doc))
        # a wrong role: somebody holding none of the roles (nor a delegation of one)
        wrong = next(u for u in self.accounts if not u.is_superuser and not {g.role for g in self._grants(u)} & roles)
        _refused(doc, action, wrong, (RoleNotAllowed, WorkflowPermissionError), comment="x")
        # a wrong unit: the role held, but only over other units
        for other in self.accounts:
            held = [g for g in self._grants(other) if g.role in roles]
            if held and all(g.units is not None and not (g.units & units) for g in held):
                _refused(doc, action, other, OutsideUnitScope, comment="x")
                break
        # the user saw another state (somebody acted meanwhile)
        stale = next(s for s in self.loaded.states if s != state)
        _refused(doc, action, user, StateConflict, comment="x", expected_state=stale)
        transition = transitions[0]
        if transition.require_comment:
            _refused(doc, action, user, CommentRequired)
        if transition.require_attachment:
            _refused(doc, action, user, AttachmentRequired, comment="x")
        return None

    def check_issued(self, doc, step):
        issued = step["_issued"]
        assert issued is not None, f"{self.doctype}: {step['action']} issued no letter"
        text = _text(issued.file.read())
        if issued.number:
            assert issued.number in text, f"{issued.title}: number {issued.number} not in the PDF"
        for expected in scenarios.resolve(step["issued"]):
            assert str(expected) in text, f"{issued.title}: {expected!r} not in the PDF: {text[:600]}"
        self.printed.add(issued.title)


def _this_morning() -> datetime.datetime:
    """10:00 of today in the agency's time zone: a scenario run that crossed
    midnight dated its data on one day and its letters on the next."""
    return datetime.datetime.combine(timezone.localdate(), datetime.time(10), tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.mark.parametrize("spec", SPECS, ids=[s["doctype"] for s in SPECS])
def test_process_scenario(spec):
    with time_machine.travel(_this_morning(), tick=True):
        _run_scenario(spec)


def _run_scenario(spec):
    check = Checker(spec)
    finals = scenarios.replay_all(spec, check=check)  # documents needed first are replayed unchecked

    missing = {(t.state, t.action) for t in check.loaded.transitions} - check.covered
    assert not missing, f"{check.doctype}: transitions no scenario step exercises: {sorted(missing)}"

    formats = set(PrintFormat.objects.filter(doc_type=check.doctype).values_list("name", flat=True))
    assert not formats - check.printed, f"{check.doctype}: print formats never read back: {formats - check.printed}"

    states = {d.workflow_state for d in finals}
    assert len(states) >= 2, f"{check.doctype}: demo documents all in {states}"
    waiting = {t.allowed.name for d in finals for t in check.loaded.transitions_from(d.workflow_state)}
    idle = {t.allowed.name for t in check.loaded.transitions} - waiting
    assert not idle, f"{check.doctype}: roles with no demo document waiting: {idle}"


def test_every_data_defined_process_has_a_scenario():
    data_defined = {name for name in registry.names(load=True) if registry.get(name).data_defined}
    with_scenario = {s["doctype"] for s in SPECS}
    assert data_defined <= with_scenario, f"no scenario (demo documents, tests): {data_defined - with_scenario}"
