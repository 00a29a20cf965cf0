"""A deployment form section's saved values as people read them: the rows of
its GOV.UK summary list (the section page once it is read-only, the printable
form) and the values of its export sheet. Choices show their labels; fields
a section does not ask this deployment (absent from its payload) are left out."""

from deployments.choices import FocusArea
from deployments.delivery.sections import SECTIONS
from deployments.programmes.models import Programme
from portal.text import money

BANK_LABELS = {
    "account_name": "Name on the account",
    "sort_code_masked": "Sort code",
    "account_number_masked": "Account number",
}


def choice_label(key: str, name: str, value):
    """The label of a choice field's saved value (the value itself otherwise)."""
    spec = next((f for f in SECTIONS[key].fields if f.name == name), None)
    if spec is None or spec.kind != "choice":
        return value
    return dict(spec.choices).get(value, value)


def section_summary_rows(key: str, payload: dict) -> list[dict]:
    """Read-only rows (GOV.UK summary list) of a section's saved values."""
    rows = []
    labels = {f.name: f.label for f in SECTIONS[key].fields}
    if key == "bank_details":
        labels = BANK_LABELS
    for name, label in labels.items():
        if name not in payload:
            continue
        value = payload.get(name)
        if name == "focus_areas":
            value = ", ".join(
                f"{FocusArea(a['key']).label if a['key'] in FocusArea.values else a['key']}"
                f" ({a['priority']})"
                for a in value or []
            )
        elif name == "programmes":
            names = dict(Programme.objects.values_list("slug", "name"))
            value = "; ".join(names.get(s, s) for s in value or [])
        elif isinstance(value, bool):
            value = "Yes" if value else "No"
        else:
            value = choice_label(key, name, value)
        rows.append({"key": {"text": label}, "value": {"text": value or "Not given"}})
    if key == "claim" and payload.get("amount"):
        rows.append({"key": {"text": "Amount"}, "value": {"text": money(payload["amount"])}})
    return rows
