"""Money and days are written one way on every page (portal.text)."""

from decimal import Decimal

import pytest

from portal.text import counted, days, money


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("10000"), "£10,000.00"),
        (Decimal("10000.00"), "£10,000.00"),
        (Decimal("600"), "£600.00"),
        (Decimal("1234567.5"), "£1,234,567.50"),
        (Decimal("-5.5"), "-£5.50"),
        (0, "£0.00"),
        (None, ""),
    ],
)
def test_money_has_pounds_thousands_separators_and_pence(value, shown):
    assert money(value) == shown


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("10.0"), "10"),
        (Decimal("2.5"), "2.5"),
        (Decimal("0.50"), "0.5"),
        (15, "15"),
        (Decimal("1000"), "1,000"),
        (None, ""),
    ],
)
def test_days_have_no_spurious_decimal_point(value, shown):
    assert days(value) == shown


def test_counted_keeps_its_noun_in_number():
    assert counted(1, "school", "schools") == "1 school"
    assert counted(1234, "school", "schools") == "1,234 schools"


def test_optional_entry_fields_say_so_once_and_checkboxes_do_not():
    from django import forms

    from portal.forms import label_optional_fields

    class Entry(forms.Form):
        name = forms.CharField(label="Name")
        note = forms.CharField(label="Note", required=False)
        summary = forms.CharField(label="Summary (optional)", required=False)
        agreed = forms.BooleanField(label="I agree", required=False)

    form = Entry()
    label_optional_fields(form)
    labels = {name: field.label for name, field in form.fields.items()}
    assert labels == {
        "name": "Name",
        "note": "Note (optional)",
        "summary": "Summary (optional)",
        "agreed": "I agree",
    }
