"""A trust picked by name: the register's accessible autocomplete
(static/portal/autocomplete.js, fed by schools:trust-suggestions) on a text input.
The suggestion picked submits "Name (UID)"; without JavaScript the leader types the
name or the group UID. Cleans to the trust's UID, the value the services take."""

from django import forms
from django.urls import reverse_lazy

from deployments.delivery.grants import UNKNOWN_TRUST, trust_find
from schools.filters import LABEL_WITH_CODE_RE


def trust_label(trust) -> str:
    """The autocomplete's label for a trust, which the field accepts back."""
    return f"{trust.name} ({trust.uid})" if trust is not None else ""


class TrustField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-module": "portal-autocomplete",
                "data-source": reverse_lazy("schools:trust-suggestions"),
                "autocomplete": "off",
                "spellcheck": "false",
            }
        )

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return ""
        labelled = LABEL_WITH_CODE_RE.match(text)
        trust = trust_find(labelled.group(1)) if labelled else None
        trust = trust or trust_find(text)
        if trust is None:
            raise forms.ValidationError(
                f"{UNKNOWN_TRUST} Pick the trust from the list, or enter its group UID.",
                code="invalid_choice",
            )
        return trust.uid
