"""Keep the remembered organisation fresh: a change to units, staff, roles,
delegations, team memberships or permissions drops what the current request
remembered and bumps the version that requests share (``docflow.scope.forget``); a change to a unit also bumps the unit tree's
cache version, at once and again when the transaction commits."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from apps.docflow.scope import forget

from .models import Delegasi, KeanggotaanTim, Pegawai, Peran, Unit, unit_tree_changed


def _unit_changed(sender, **kwargs):
    unit_tree_changed()
    transaction.on_commit(unit_tree_changed)
    forget()


def _organisation_changed(sender, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login (Django saves last_login alone) changes no one's rights: keep what requests share
    forget()


def connect():
    post_save.connect(_unit_changed, sender=Unit, dispatch_uid="organisasi_unit_tree_save")
    post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="organisasi_unit_tree_delete")
    for model in (Pegawai, Delegasi, KeanggotaanTim, Peran, Group, Permission, get_user_model()):
        post_save.connect(_organisation_changed, sender=model, dispatch_uid=f"organisasi_forget_{model.__name__}")
        post_delete.connect(_organisation_changed, sender=model, dispatch_uid=f"organisasi_forget_del_{model.__name__}")
    user_model = get_user_model()
    m2m = (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through)
    for through in (*m2m, Delegasi.peran.through):
        m2m_changed.connect(_organisation_changed, sender=through, dispatch_uid=f"organisasi_forget_{through.__name__}")
