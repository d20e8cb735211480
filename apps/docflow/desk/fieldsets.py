"""The document form's fieldsets, each field built once per page.

django-unfold draws a row of fields by iterating the row (``Fieldline``)
twice: once for the row's CSS classes (``fieldset_row_classes``) and once to
draw it, and every iteration builds each field anew (for a read-only field:
its label, help text and value looked up again). A document form shows forty
fields or more, so the rows here keep what they built. Same markup, same
fields; ``DocumentAdmin.render_change_form`` swaps these classes in.

A read-only field also gets the ``errors`` an editable one has (none): the
row template asks for them, and a name an object lacks costs the template
engine a ``dir()`` of it.
"""

from django.contrib.admin.helpers import AdminReadonlyField
from unfold.forms import AdminForm, Fieldline, Fieldset


def _no_errors():
    return ""


class OnceFieldline(Fieldline):
    def __iter__(self):
        if not hasattr(self, "_built"):
            self._built = list(super().__iter__())
            for field in self._built:
                if isinstance(field, AdminReadonlyField):
                    field.errors = _no_errors
        return iter(self._built)


class OnceFieldset(Fieldset):
    def __iter__(self):
        for field in self.fields:
            yield OnceFieldline(self.form, field, self.readonly_fields, model_admin=self.model_admin)


class OnceAdminForm(AdminForm):
    def __iter__(self):
        for name, options in self.fieldsets:
            yield OnceFieldset(
                self.form, name, readonly_fields=self.readonly_fields, model_admin=self.model_admin, **options
            )
