"""One write path for the desk and the API, proved for every registered
doctype: whatever the desk shows read-only to a user in a state, the unit,
every ``*_id`` and every engine field are refused through the API (HTTP 417,
the fields named, nothing changed). New doctypes are covered by registering
them; no new test is needed."""

import datetime
import itertools
import json
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.docflow import registry, scenarios
from apps.docflow.models import Document
from apps.docflow.scope import backend
from apps.docflow.selectors import visible_documents
from apps.docflow.services.apikeys import api_key_generate
from apps.docflow.services.workflow import ENGINE_FIELDS, load_workflow
from apps.organisasi.models import Unit

_seq = itertools.count(1)
FAKE = "__palsu__"


def _value(field, n):
    """A storable value for a required field; the row is written by the ORM
    (no validation): the API must refuse before any value is looked at."""
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.ForeignKey):
        return make_row(field.related_model)
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("1000")
    if isinstance(field, models.IntegerField):
        return 2026 if "tahun" in field.name else n
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 15)
    if isinstance(field, models.EmailField):
        return f"t{n}@contoh.id"
    if isinstance(field, (models.CharField, models.TextField)):
        return f"T{n}"[: field.max_length or 20]
    raise AssertionError(f"no test value for {field!r}")


SCENARIOS = {spec["doctype"]: spec for spec in scenarios.scenarios()}


def make_row(model):
    """A row of ``model`` with every required field filled; reference rows are reused."""
    User = get_user_model()
    if model is User:
        return User.objects.filter(is_active=True).first()
    if model is Unit:
        return Unit.objects.first()
    if not issubclass(model, Document) and model._default_manager.exists():
        return model._default_manager.first()
    if issubclass(model, Document):
        spec = SCENARIOS.get(registry.for_model(model).doctype)
        if spec is not None:  # its demo values satisfy rules no generic value can (one of two links)
            return scenarios.sample(spec, "admin")
    n = next(_seq)
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default() or getattr(field, "auto_now", False):
            continue
        if field.blank and not isinstance(field, models.ForeignKey) and not field.unique:
            continue
        values[field.name] = _value(field, n)
    if issubclass(model, Document):
        values.update(name=f"T-{model._meta.model_name}-{n}", unit=Unit.objects.first())
    return model._default_manager.create(**values)


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _client(user):
    key, secret = api_key_generate(user=user)
    return Client(HTTP_AUTHORIZATION=f"token {key.api_key}:{secret}")


def _refused_fields(response) -> set:
    assert response.status_code == 417, (response.status_code, response.content)
    body = response.json()
    assert body["exc_type"] == "ValidationError"
    match = re.match(r"Field (.+?) tidak dapat (diisi|diubah)", body["message"])
    assert match, body["message"]
    return set(match.group(1).split(", "))


def _row(doc):
    return model_to_dict(type(doc).objects.get(pk=doc.pk), fields=[f.name for f in doc._meta.concrete_fields])


def _engine_keys(model) -> set:
    """The engine's fields, the unit and every foreign key by its column name."""
    meta = model._meta
    attnames = {f.attname for f in meta.concrete_fields if f.attname != f.name}
    return (set(ENGINE_FIELDS) - {"id"}) | attnames | {"unit", "unit_id"}


def _people(info, unit_id):
    """One user per role that may change this doctype, and one who may only see it."""
    permissions = info.extra.get("permissions", {})
    roles = {role for role, perms in permissions.items() if "change" in perms}
    roles |= set(sorted(role for role, perms in permissions.items() if "change" not in perms)[:1])
    seen = {}
    for role in sorted(roles):
        for user in backend().users_for_role(role, unit_id):
            if user.has_usable_password():
                seen.setdefault(user.pk, user)
                break
    return list(seen.values())


def _home_unit(info):
    """The unit the doctype's documents belong to: its owner unit, else the
    unit of someone who may change them."""
    if info.owner_unit:
        return Unit.objects.get(kode=info.owner_unit)
    perm = f"{info.model._meta.app_label}.change_{info.model._meta.model_name}"
    for user in get_user_model().objects.filter(is_active=True, pegawai__isnull=False).select_related("pegawai"):
        if user.has_perm(perm):
            return user.pegawai.unit
    return Unit.objects.first()


DOCTYPES = [info.doctype for info in registry.all_doctypes()]


def test_every_doctype_is_walked():
    assert len(DOCTYPES) >= 10  # the registry is populated at import: the walk below is not empty


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_desk_read_only_fields_are_refused_by_api_put(doctype):
    info = registry.get(doctype)
    model = info.model
    model_admin = admin.site.get_model_admin(model)
    loaded = load_workflow(doctype)
    doc = make_row(model)
    model.objects.filter(pk=doc.pk).update(unit=_home_unit(info))
    engine = _engine_keys(model)
    concrete = {f.name for f in model._meta.concrete_fields} - {"id"}
    checked = 0
    clients = {}
    for state in loaded.states.values():
        model.objects.filter(pk=doc.pk).update(workflow_state=state.state, docstatus=state.doc_status)
        doc.refresh_from_db()
        for user in _people(info, doc.unit_id):
            if not visible_documents(model, user).filter(pk=doc.pk).exists():
                continue
            request = _request(user)
            read_only = set(model_admin.get_readonly_fields(request, doc)) & concrete
            may_change = model_admin.has_change_permission(request, doc)
            writable = set(model_admin.get_form(request, doc, change=True).base_fields) if may_change else set()
            assert not (read_only & writable), (doctype, state.state, user.username)
            assert not (engine & writable), (doctype, state.state, user.username)
            # workflow_state on PUT is the state the client saw: another one is a conflict (409), below
            refuse = ((concrete - writable) | engine | read_only) - {"workflow_state"}
            if user.pk not in clients:
                clients[user.pk] = _client(user)
            client = clients[user.pk]
            before = _row(doc)
            response = client.put(
                f"/api/resource/{doctype}/{doc.name}",
                json.dumps({key: FAKE for key in sorted(refuse)}),
                content_type="application/json",
            )
            if may_change:
                assert _refused_fields(response) == refuse, (doctype, state.state, user.username)
            else:  # the desk does not let this user change the document at all (role, state)
                assert response.status_code == 403, (doctype, state.state, user.username, response.content)
            assert _row(doc) == before
            response = client.put(
                f"/api/resource/{doctype}/{doc.name}",
                json.dumps({"workflow_state": FAKE}),
                content_type="application/json",
            )
            expected = (409,) if may_change else (403, 409)  # refused either way; 409 once the user may write
            assert response.status_code in expected, (doctype, state.state, user.username, response.content)
            assert _row(doc) == before
            checked += 1
    assert checked, f"no user could be walked through {doctype}"


@pytest.mark.parametrize("doctype", DOCTYPES)
def test_unit_ids_and_engine_fields_are_refused_by_api_post(doctype):
    info = registry.get(doctype)
    model = info.model
    model_admin = admin.site.get_model_admin(model)
    unit = _home_unit(info)
    adders = [u for u in _people(info, unit.pk) if u.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")]
    other_unit = Unit.objects.exclude(pk=unit.pk).first()
    before = model.objects.count()
    for user in adders:
        request = _request(user)
        refuse = _engine_keys(model)
        if model_admin.has_add_permission(request):
            writable = set(model_admin.get_form(request, None, change=False).base_fields)
            assert not (refuse & writable), doctype
            concrete = {f.name for f in model._meta.concrete_fields} - {"id"}
            refuse |= set(model_admin.get_readonly_fields(request, None)) & concrete
        payload = {key: FAKE for key in refuse}
        payload.update(unit=other_unit.pk, unit_id=other_unit.pk)
        response = _client(user).post(f"/api/resource/{doctype}", json.dumps(payload), content_type="application/json")
        if model_admin.has_add_permission(request):
            assert _refused_fields(response) == refuse, (doctype, user.username)
        else:  # the desk makes these documents from another one (dispositions, archive records)
            assert response.status_code == 403, (doctype, user.username, response.content)
    assert model.objects.count() == before
