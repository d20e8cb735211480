"""The desk's document form, shared with the API: one write path.

``DocumentAdmin.get_form`` builds, for a user and a document in its state, the
form with exactly the fields that user may write (the desk's read-only fields
left out); the API binds the same form to a JSON payload (``bind_payload``),
so both validate alike, and both save through ``document_create`` /
``document_update``. The form also runs the doctype's ``validate`` hook, so a
business rule shows next to the field it is about.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError

from ..exceptions import DocflowError
from ..services import workflow as wf


class DocumentFormMixin:
    """Mixed into the desk's ModelForm of every document type."""

    docflow_user = None

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        try:
            wf.validate_document(self.instance, self.docflow_user)
        except DocflowError as exc:
            self.add_error(None, exc.message)
        except ValidationError as exc:
            add_errors(self, exc)


def add_errors(form, exc: ValidationError) -> None:
    """A model's errors on a form: on the field when the form has it, else
    before the form, naming the field."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name in form.fields or name == NON_FIELD_ERRORS:
            form.add_error(name if name in form.fields else None, errors)
        else:
            label = form._meta.model._meta.get_field(name).verbose_name if _known(form, name) else name
            form.add_error(None, [f"{label}: {m}" for e in errors for m in e.messages])


def _known(form, name) -> bool:
    try:
        form._meta.model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def desk_admin(model):
    """The ModelAdmin the desk edits ``model`` with, or None."""
    try:
        return admin.site.get_model_admin(model)
    except admin.sites.NotRegistered:
        return None


def form_data(form) -> dict:
    """The cleaned values of the form's model fields, ready for the services."""
    meta = form._meta.model._meta
    names = {f.name for f in (*meta.concrete_fields, *meta.many_to_many)} | set(getattr(form, "docflow_custom", ()))
    return {name: value for name, value in form.cleaned_data.items() if name in names}


def bind_payload(form_class, payload: dict, instance=None):
    """Bind the desk's form to values given by name (the API's JSON), on top
    of what the form would show: the document's current values when editing,
    the fields' initial values when adding (as a user who leaves a field
    untouched). Values bypass the HTML widgets' field splitting."""

    class PayloadForm(form_class):
        def _widget_data_value(self, widget, html_name):
            if html_name not in self.data:
                return super()._widget_data_value(widget, html_name)
            value = self.data[html_name]
            if isinstance(widget, forms.MultiWidget) and not isinstance(value, (list, tuple)):
                value = widget.decompress(value)
            return value

    PayloadForm.__name__ = form_class.__name__
    unbound = form_class(instance=instance)
    base = {}
    for name, field in unbound.fields.items():
        value = unbound.get_initial_for_field(field, name)
        if isinstance(field, forms.ModelMultipleChoiceField) and value is not None:
            value = [getattr(v, "pk", v) for v in value]
        elif isinstance(field, forms.ModelChoiceField) and hasattr(value, "pk"):
            value = value.pk
        base[name] = value
    base.update(payload)
    return PayloadForm(data=base, files={}, instance=instance)
