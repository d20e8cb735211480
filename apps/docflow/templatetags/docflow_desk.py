"""Template helpers of the desk: readable history entries."""

from django import template
from django.core.exceptions import FieldDoesNotExist

from ..scope import backend

register = template.Library()


@register.filter
def field_label(name, record):
    """The verbose name of field ``name`` of the history ``record``'s model."""
    model = getattr(record, "instance_type", None)
    try:
        return model._meta.get_field(name).verbose_name if model else name
    except FieldDoesNotExist:
        return name


@register.filter
def person_name(user):
    if user is None:
        return ""
    return backend().person(user).name or user.get_username()


@register.filter
def shown(value):
    """A stored value as people read it: nothing as a dash, booleans in Indonesian."""
    if value is None or value == "":
        return "—"
    if value is True:
        return "Ya"
    if value is False:
        return "Tidak"
    return value
