"""The query of every oversight page and its API (dashboard, outcomes, forecast):
`offer` (an offer's id; the academic year "2023/24" is accepted too) and `region`
(a GIAS region name, or its id; absent: all of England). One form for all, so
the pages and the API read the same parameters the same way: the API answers 400
with its errors, the page shows them in a GOV.UK error summary."""

from crispy_forms_gds.helper import FormHelper
from django import forms

from deployments.models import SupportOffer
from portal.params import ascii_digits, id_param
from schools.models import Region


class _NamedChoice(forms.ChoiceField):
    """A select whose value the form's clean_<name> checks (the API may name an
    offer by its academic year, or a region in another case)."""

    def validate(self, value):
        pass


class OversightQueryForm(forms.Form):
    offer = _NamedChoice(label="Offer", required=False)
    region = _NamedChoice(label="Region", required=False)

    def __init__(self, *args, offer_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_required = offer_required
        self.offers = list(SupportOffer.objects.order_by("-starts_on"))
        self.regions = list(Region.objects.order_by("name"))
        offer_choices = [(str(o.pk), o.academic_year) for o in self.offers]
        if not offer_required:
            offer_choices.insert(0, ("", "All offers"))
        self.fields["offer"].choices = offer_choices
        self.helper = FormHelper()  # the page's error summary reads it
        self.fields["region"].choices = [
            ("", "England (all regions)"),
            *((r.name, r.name) for r in self.regions),
        ]

    def clean_offer(self) -> SupportOffer | None:
        value = (self.cleaned_data.get("offer") or "").strip()
        if not value:
            if self.offer_required:
                from deployments.selectors import offer_current

                offer = offer_current(offers=self.offers)
                if offer is None:
                    raise forms.ValidationError("There is no support offer yet.")
                return offer
            return None
        offer_id = id_param(value) if ascii_digits(value) else None
        for offer in self.offers:
            if offer.pk == offer_id or offer.academic_year == value:
                return offer
        raise forms.ValidationError("Select an offer that exists (its id).")

    def clean_region(self) -> Region | None:
        value = (self.cleaned_data.get("region") or "").strip()
        if not value:
            return None
        region_id = id_param(value) if ascii_digits(value) else None
        for region in self.regions:
            if region.pk == region_id or region.name.casefold() == value.casefold():
                return region
        raise forms.ValidationError("Select a region by its GIAS name, for example North West.")
