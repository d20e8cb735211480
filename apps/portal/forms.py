from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from apps.docflow import registry
from apps.docflow.services.files import sniff

ACCEPT = "application/pdf,image/jpeg,image/png"


class BerkasField(forms.FileField):
    """PDF, JPEG or PNG, judged by the content; within the size limit."""

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if not uploaded:
            return uploaded
        limit = settings.DOCFLOW_MAX_UPLOAD_BYTES
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("Berkas %(name)s terlalu besar; batasnya %(limit)s MB.")
                % {"name": uploaded.name, "limit": f"{limit / (1024 * 1024):.1f}".replace(".", ",")}
            )
        uploaded.seek(0)
        head = uploaded.read(16)
        uploaded.seek(0)
        if sniff(head) is None:
            raise forms.ValidationError(
                _("Berkas %(name)s bukan PDF, JPEG atau PNG (diperiksa dari isinya, bukan dari namanya).")
                % {"name": uploaded.name}
            )
        return uploaded


class HoneypotMixin(forms.Form):
    website = forms.CharField(
        required=False, label=_("Jangan diisi"), widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"})
    )

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Permohonan tidak dapat diproses."))
        return ""


def application_form(spec):
    """A ModelForm with the service's fields and its attachments."""
    model = registry.get(spec.doctype).model
    date_fields = {f.name for f in model._meta.fields if f.get_internal_type() == "DateField"}
    text_fields = {f.name for f in model._meta.fields if f.get_internal_type() == "TextField"}
    widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in spec.fields if name in date_fields}
    widgets.update({name: forms.Textarea(attrs={"rows": 3}) for name in spec.fields if name in text_fields})
    meta = type("Meta", (), {"model": model, "fields": list(spec.fields), "widgets": widgets})
    attrs = {"Meta": meta}
    for berkas in spec.attachments:
        attrs[f"berkas_{berkas.key}"] = BerkasField(
            label=berkas.label, required=berkas.required, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
        )
    attrs["email_pemohon"] = forms.EmailField(label=_("Surel untuk pemberitahuan (disarankan)"), required=False)
    form_class = type(f"{model.__name__}PortalForm", (HoneypotMixin, forms.ModelForm), attrs)
    # a Link field offers only the rows the service allows, e.g. parties with a seat: extra["limit_choices"]
    for name, lookup in spec.extra.get("limit_choices", {}).items():
        field = form_class.base_fields[name]
        field.queryset = field.queryset.filter(**lookup)
    return form_class


class LacakForm(forms.Form):
    kode = forms.CharField(label=_("Kode pelacakan"), max_length=20)


class PerbaikanForm(HoneypotMixin):
    catatan = forms.CharField(label=_("Keterangan perbaikan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    berkas_1 = BerkasField(label=_("Berkas perbaikan"), widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))
    berkas_2 = BerkasField(
        label=_("Berkas tambahan"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )
    berkas_3 = BerkasField(
        label=_("Berkas tambahan"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class VerifikasiBerkasForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas PDF yang ingin diperiksa"), widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"})
    )
