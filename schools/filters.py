"""FilterSets for the register, shared by the HTML pages and the API.

The school filters expect the queryset from `selectors.school_list_queryset()`,
which carries the `latest_grade` and `latest_inspection_on` annotations."""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from schools.models import LocalAuthority, OfstedInspection, Region, School, Trust

# GIAS "PhaseOfEducation (name)" and "EstablishmentTypeGroup (name)" as published.
PHASE_CHOICES = [
    (phase, phase)
    for phase in (
        "Nursery",
        "Primary",
        "Middle deemed primary",
        "Secondary",
        "Middle deemed secondary",
        "All-through",
        "16 plus",
        "Not applicable",
    )
]
TYPE_GROUP_CHOICES = [
    (group, group)
    for group in (
        "Academies",
        "Free Schools",
        "Local authority maintained schools",
        "Special schools",
        "Independent schools",
        "Colleges",
        "Universities",
        "Online provider",
        "Other types",
    )
]
NO_GRADE = "none"
LATEST_GRADE_CHOICES = [(str(value), label) for value, label in OfstedInspection.Grade.choices] + [
    (NO_GRADE, "No overall grade")
]
OPEN_CLOSED_CHOICES = [("open", "Open"), ("closed", "Closed")]

URN_RE = re.compile(r"^\d{6}$")
LAESTAB_RE = re.compile(r"^(\d{3})\s*/?\s*(\d{4})$")
# A full UK postcode, or an outward code alone ("M1", "SW1A", "ZZ12").
POSTCODE_RE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})?$")


def normalise_postcode(value: str) -> str | None:
    """ "sw1a1aa" -> "SW1A 1AA"; an outward code alone -> "SW1A "; else None."""
    match = POSTCODE_RE.match(value.strip().upper())
    if not match:
        return None
    outward, inward = match.groups()
    return f"{outward} {inward}" if inward else f"{outward} "


def school_search_q(value: str) -> Q:
    """Name fragment, or an exact URN, LAESTAB or postcode.

    Each branch matches an index: URN and LAESTAB are B-tree exact lookups, the
    postcode a prefix lookup, the name a trigram index on UPPER(name) (PostgreSQL)."""
    text = " ".join(value.split())
    if not text:
        return Q()
    query = Q(name__icontains=text)
    if URN_RE.match(text):
        query |= Q(urn=text)
    laestab = LAESTAB_RE.match(text)
    if laestab:
        query |= Q(laestab="".join(laestab.groups()))
    postcode = normalise_postcode(text)
    if postcode:
        query |= (
            Q(postcode__startswith=postcode) if postcode.endswith(" ") else Q(postcode=postcode)
        )
    return query


# "Harbour Academy Trust (16014)": the label the autocomplete suggests and submits.
LABEL_WITH_CODE_RE = re.compile(r"^.*\((\w+)\)$")


class NameOrCodeField(forms.CharField):
    """A trust or local authority typed by name or code, or picked from the autocomplete
    as "Name (code)"; cleans to the matching rows' ids, or reports that nothing matched.

    A text input rather than a select, so the page never renders thousands of options;
    without JavaScript it is a plain text box."""

    def __init__(self, *, queryset, code_field, code_re, noun, code_name, **kwargs):
        self.queryset, self.code_field, self.code_re = queryset, code_field, code_re
        self.noun, self.code_name = noun, code_name
        super().__init__(**kwargs)

    def clean(self, value):
        text = " ".join((super().clean(value) or "").split())
        if not text:
            return None
        labelled = LABEL_WITH_CODE_RE.match(text)
        code = labelled.group(1) if labelled else (text if self.code_re.match(text) else None)
        ids = []
        if code is not None:
            ids = list(self.queryset.filter(**{self.code_field: code}).values_list("pk", flat=True))
        if not ids and not self.code_re.match(text):
            ids = self._ids_by_name(text)  # also a name that ends "(...)"
        if not ids:
            raise ValidationError(
                f"No {self.noun} is called or numbered \u2018{text}\u2019: "
                f"check the spelling, or enter its {self.code_name}",
                code="invalid_choice",
            )
        return ids

    def _ids_by_name(self, text: str) -> list[int]:
        """The exact name (names repeat: every row of that name); failing that, every
        name containing the text, so "harbour" typed without JavaScript still filters."""
        rows = list(self.queryset.filter(name__icontains=text).values_list("pk", "name"))
        exact = [pk for pk, name in rows if name.casefold() == text.casefold()]
        return exact or [pk for pk, _ in rows]


@extend_schema_field(OpenApiTypes.STR)
class NameOrCodeFilter(django_filters.Filter):
    """Filters on the rows a NameOrCodeField matched (`<field_name>__in`)."""

    field_class = NameOrCodeField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class SchoolOrderingFilter(django_filters.OrderingFilter):
    """Sorts with empty values last and the URN as a tie-breaker, so pages are stable."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value if param]
        return qs.order_by(*ordering, "urn")


AUTOCOMPLETE_SOURCES = {
    "trust": "schools:trust-suggestions",
    "local_authority": "schools:la-suggestions",
}


class SchoolFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search by name, URN, postcode or LAESTAB",
        max_length=100,
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(), to_field_name="code", empty_label="All regions"
    )
    local_authority = NameOrCodeFilter(
        queryset=LocalAuthority.objects.all(),
        code_field="code",
        code_re=re.compile(r"^\d{3}$"),
        noun="local authority",
        code_name="3-digit code",
        label="Local authority",
        help_text="Name or 3-digit code, for example 202.",
        max_length=140,
    )
    phase = django_filters.ChoiceFilter(choices=PHASE_CHOICES, empty_label="All phases")
    type = django_filters.ChoiceFilter(
        field_name="type_group",
        choices=TYPE_GROUP_CHOICES,
        label="Type",
        empty_label="All types",
    )
    trust = NameOrCodeFilter(
        queryset=Trust.objects.all(),
        code_field="uid",
        code_re=re.compile(r"^\d+$"),
        noun="trust",
        code_name="Group UID",
        label="Trust",
        help_text="Name or Group UID, for example 16014.",
        max_length=280,
    )
    latest_grade = django_filters.ChoiceFilter(
        method="filter_latest_grade",
        choices=LATEST_GRADE_CHOICES,
        label="Latest overall effectiveness",
        empty_label="Any",
    )
    status = django_filters.ChoiceFilter(
        method="filter_status",
        choices=OPEN_CLOSED_CHOICES,
        label="Open or closed",
        empty_label="Open and closed",
    )
    sort = SchoolOrderingFilter(
        fields=(
            ("name", "name"),
            ("urn", "urn"),
            ("local_authority__name", "local_authority"),
            ("phase", "phase"),
            ("number_of_pupils", "pupils"),
            ("latest_grade", "latest_grade"),
            ("latest_inspection_on", "inspected"),
        ),
        label="Sort by",
    )

    class Meta:
        model = School
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The autocomplete (static/portal/autocomplete.js) asks these for suggestions.
        for name, url_name in AUTOCOMPLETE_SOURCES.items():
            self.form.fields[name].widget.attrs.update(
                {
                    "data-module": "portal-autocomplete",
                    "data-source": reverse(url_name),
                    "autocomplete": "off",
                    "spellcheck": "false",
                }
            )

    def filter_search(self, queryset, name, value):
        return queryset.filter(school_search_q(value))

    def filter_latest_grade(self, queryset, name, value):
        if value == NO_GRADE:
            return queryset.filter(latest_grade__isnull=True)
        return queryset.filter(latest_grade=int(value))

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.filter(status__in=School.OPEN_STATUSES)
        return queryset.filter(status=School.Status.CLOSED)


class TrustFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search by name, Group UID, group ID or Companies House number",
        max_length=100,
    )
    kind = django_filters.ChoiceFilter(
        choices=Trust.Kind.choices, label="Type", empty_label="All types"
    )
    status = django_filters.ChoiceFilter(choices=Trust.Status.choices, empty_label="Any status")
    sort = django_filters.OrderingFilter(
        fields=(("name", "name"), ("uid", "uid"), ("school_count", "schools")),
        label="Sort by",
    )

    class Meta:
        model = Trust
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        text = " ".join(value.split())
        if not text:
            return queryset
        return queryset.filter(
            Q(name__icontains=text)
            | Q(uid=text)
            | Q(group_id__iexact=text)
            | Q(companies_house_number=text)
        )


class LocalAuthorityFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(queryset=Region.objects.all(), to_field_name="code")

    class Meta:
        model = LocalAuthority
        fields: list[str] = []


class InspectionFilterSet(django_filters.FilterSet):
    school = django_filters.CharFilter(field_name="school__urn", label="School URN")
    region = django_filters.ModelChoiceFilter(
        field_name="school__region", queryset=Region.objects.all(), to_field_name="code"
    )
    kind = django_filters.ChoiceFilter(choices=OfstedInspection.Kind.choices)
    overall_effectiveness = django_filters.TypedChoiceFilter(
        choices=OfstedInspection.Grade.choices, coerce=int
    )
    start_date = django_filters.DateFromToRangeFilter()

    class Meta:
        model = OfstedInspection
        fields: list[str] = []
