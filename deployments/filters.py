"""The eligibility list's and the exception-request list's filters, each shared by
its page and its API list: EligibilityFilterSet by /eligibility/ (and its CSV and
XLSX exports) and /api/eligibility/, over `selectors.assessments()`;
ExceptionRequestFilterSet by /eligibility/exceptions/ and /api/exception-requests/,
over `selectors.exception_request_list_for(user)`."""

import django_filters
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deployments import selectors
from deployments.models import Criterion, EligibilityAssessment, ExceptionRequest, SupportOffer
from deployments.oversight.stages import FUNNEL_STAGES, latest_per_target_q, reached_q
from portal.filters import YesNoFilter
from portal.forms import ListedModelChoiceField
from portal.params import id_param
from schools.models import Region

Status = EligibilityAssessment.Status
ALL = "all"
NO_SUCH_ROW = object()

# The filters the eligibility page's form shows (the API takes them all; the page
# reads `sort` from its column headers).
ELIGIBILITY_PAGE_FILTERS = ("offer", "region", "q", "criterion", "status", "kind", "trust_ceo")


class IdChoiceField(ListedModelChoiceField):
    """A row picked by id from a short list (offers, regions). What is not an id is
    invalid; an id that is no row's finds nothing, as the API always answered."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if id_param(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        try:
            return super().to_python(value)
        except ValidationError:
            return NO_SUCH_ROW

    def validate(self, value):
        pass  # to_python has refused what is not an id

    def prepare_value(self, value):
        return None if value is NO_SUCH_ROW else super().prepare_value(value)


@extend_schema_field(OpenApiTypes.INT)
class IdChoiceFilter(django_filters.Filter):
    field_class = IdChoiceField

    def filter(self, qs, value):
        if value is None:
            return qs
        if value is NO_SUCH_ROW:
            return qs.none()
        return qs.filter(**{f"{self.field_name}_id": value.pk})


class EligibilityFilterSet(django_filters.FilterSet):
    offer = IdChoiceFilter(
        field_name="offer", queryset=SupportOffer.objects.all(), empty_label=None, label="Offer"
    )
    region = IdChoiceFilter(
        field_name="region",
        queryset=Region.objects.all(),
        empty_label="All regions",
        label="Region",
    )
    q = django_filters.CharFilter(
        method="filter_search",
        label="Name, URN or trust",
        max_length=100,
    )
    criterion = django_filters.ChoiceFilter(
        choices=Criterion.choices, empty_label="Any criterion", label="Criterion"
    )
    status = django_filters.ChoiceFilter(
        choices=[
            (Status.ELIGIBLE, "Eligible"),
            (Status.NO_LONGER_ELIGIBLE, "No longer eligible"),
            (ALL, "Eligible or no longer eligible"),
        ],
        empty_label=None,
        method="filter_status",
        label="Status",
    )
    kind = django_filters.ChoiceFilter(
        choices=[("school", "Schools"), ("trust", "Trusts")],
        empty_label="Schools and trusts",
        method="filter_kind",
        label="Schools or trusts",
    )
    trust_ceo = YesNoFilter(
        field_name="through_trust_ceo",
        choices=[("", "Any"), ("yes", "Through the Trust CEO"), ("no", "Directly")],
        label="Support route",
    )
    school = django_filters.CharFilter(
        field_name="school__urn",
        validators=[RegexValidator(r"^[0-9]{6}$", "Enter a URN: six digits.")],
        help_text="A school's URN",
    )
    trust = django_filters.CharFilter(
        field_name="trust__uid", max_length=10, help_text="A trust's group UID"
    )
    reached = django_filters.ChoiceFilter(
        choices=[(s, s) for s in FUNNEL_STAGES],
        method="filter_reached",
        help_text="One row per school or trust that ever reached this stage of the offer's"
        " funnel (the dashboard's figure)",
    )
    run_length = django_filters.NumberFilter(field_name="run_length", min_value=0)
    sort = django_filters.CharFilter(
        method="filter_sort",
        help_text=f'{", ".join(selectors.SORTS)}, "-" first for descending; default'
        f' "{selectors.DEFAULT_SORT}"',
    )

    class Meta:
        model = EligibilityAssessment
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "")

    def filter_search(self, queryset, name, value):
        q = value.strip()
        if not q:
            return queryset
        return queryset.filter(
            Q(school__name__icontains=q)
            | Q(school__urn=q)
            | Q(trust__name__icontains=q)
            | Q(trust__uid=q)
            | Q(school__trust__name__icontains=q)
        )

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL else queryset.filter(status=value)

    def filter_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_reached(self, queryset, name, value):
        return queryset.filter(latest_per_target_q()).filter(reached_q(value))

    def filter_sort(self, queryset, name, value):
        return selectors.sort_assessments(queryset, value)


class ExceptionRequestFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ExceptionRequest.Status.choices)

    class Meta:
        model = ExceptionRequest
        fields: list[str] = []
