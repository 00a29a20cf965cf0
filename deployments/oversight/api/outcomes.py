"""`GET /api/outcomes/` and `GET /api/forecast/` (shared/api-contract.md,
"Oversight"): read-only figures, the same permission as the dashboard
(`deployments.view_oversight`, checked against the region asked for; no region
is all of England). The query is read by the pages' form, so both refuse the
same values: 400 here, naming the field."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from deployments.choices import FocusArea, Phase
from deployments.leaders.models import SystemLeader
from deployments.oversight import forecast as forecasting
from deployments.oversight import outcomes
from deployments.oversight.filters_outcomes import OversightQueryForm
from deployments.oversight.rules import could_see_oversight
from portal.api.permissions import HasRulesPermission

VIEW_OVERSIGHT = "deployments.view_oversight"
DAYS = {"max_digits": 9, "decimal_places": 1}
QUERY = [
    OpenApiParameter(
        "offer",
        int,
        description="The offer's id (outcomes: all offers if absent; "
        "forecast: the current offer if absent)",
    ),
    OpenApiParameter(
        "region", str, description="A GIAS region name, e.g. North West; absent: all of England"
    ),
]


def asked_scope(request, *, offer_required: bool):
    """(the query's form, offer, region) the query asks for, after the permission check: 403 for a
    role that never sees oversight or a region the user may not see, 400 for a
    value that names nothing."""
    if not could_see_oversight(request.user):
        raise PermissionDenied()
    form = OversightQueryForm(request.query_params, offer_required=offer_required)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    region = form.cleaned_data["region"]
    if not request.user.has_perm(VIEW_OVERSIGHT, region):
        raise PermissionDenied()
    return form, form.cleaned_data["offer"], region


class OversightView(APIView):
    permission_classes = [HasRulesPermission]
    permission_required = VIEW_OVERSIGHT
    # The permission is checked against the region asked for, in `asked_scope`.
    permission_object_level = True


# ------------------------------------------------------------------ outcomes


class JudgementSerializer(serializers.Serializer):
    inspection_number = serializers.CharField()
    kind = serializers.CharField(help_text="graded or report_card")
    start_date = serializers.DateField()
    publication_date = serializers.DateField(allow_null=True, required=False)
    level = serializers.IntegerField(
        help_text="1 (Outstanding) to 4 (Inadequate), or a report card's place on that scale"
    )
    judgement = serializers.CharField()


class EligibleJudgementSerializer(JudgementSerializer):
    criterion = serializers.CharField()
    basis = serializers.ChoiceField(
        choices=["eligibility", "latest_before_support"],
        help_text="eligibility: the inspection behind criterion A or B; latest_before_support: "
        "for criterion C or by exception, the school's latest judgement before the deployment",
    )


class OutcomeSerializer(serializers.Serializer):
    deployment = serializers.IntegerField()
    school_urn = serializers.CharField()
    school_name = serializers.CharField()
    region = serializers.CharField()
    offer = serializers.CharField(help_text="The offer's academic year")
    system_leader_kind = serializers.ChoiceField(choices=SystemLeader.Kind.choices)
    state = serializers.CharField()
    issued_on = serializers.DateField()
    accepted_on = serializers.DateField(allow_null=True)
    eligible_judgement = EligibleJudgementSerializer(allow_null=True)
    next_inspection = JudgementSerializer(allow_null=True)
    outcome = serializers.ChoiceField(choices=outcomes.OUTCOMES)
    days_after_start = serializers.IntegerField(
        allow_null=True, help_text="Days from the deployment's issue to the next inspection"
    )
    days_after_support = serializers.IntegerField(
        allow_null=True,
        help_text="Days from the form's acceptance (the support delivered) to the next "
        "inspection; negative when the inspection came during the support",
    )


def _counts(name):
    return inline_serializer(
        name=name, fields={o: serializers.IntegerField() for o in outcomes.OUTCOMES}
    )


class OutcomeSummarySerializer(serializers.Serializer):
    total = _counts("OutcomeCounts")
    by_region = serializers.DictField(child=_counts("OutcomeCountsByRegion"))
    by_offer = serializers.DictField(child=_counts("OutcomeCountsByOffer"))
    by_system_leader_kind = serializers.DictField(child=_counts("OutcomeCountsByKind"))
    by_focus_area = serializers.DictField(
        child=_counts("OutcomeCountsByFocusArea"),
        help_text="Keys: " + ", ".join(FocusArea.values),
    )


class OutcomePageSerializer(serializers.Serializer):
    offer = serializers.IntegerField(allow_null=True)
    region = serializers.CharField(allow_null=True)
    summary = OutcomeSummarySerializer()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = OutcomeSerializer(many=True)


class OutcomeListView(OversightView):
    """Each accepted or closed deployment of a school: the judgement that made the
    school eligible, the first graded inspection or report card after the
    deployment started, and the outcome; with the counts of each outcome by
    region, offer, system-leader kind and focus area. Paginated as every list.
    The comparison rule: `schools.judgements.judgement_level`."""

    @extend_schema(parameters=QUERY, responses={200: OutcomePageSerializer})
    def get(self, request):
        form, offer, region = asked_scope(request, offer_required=False)
        qs = outcomes.outcome_list(offer=offer, region=region)
        summary = outcomes.outcome_summary(
            qs,
            offers=[offer] if offer else form.offers,
            regions=[region] if region else form.regions,
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return Response(
            {
                "offer": offer.pk if offer else None,
                "region": region.name if region else None,
                "summary": summary,
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": OutcomeSerializer(outcomes.outcome_rows(page), many=True).data,
            }
        )


# ------------------------------------------------------------------ forecast


class ForecastRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    phase = serializers.ChoiceField(choices=Phase.choices)
    likely_demand = serializers.IntegerField(
        help_text="Schools not eligible yet whose latest judgement is Requires improvement "
        "or Inadequate and whose next inspection falls in the offer year by the cycle"
    )
    eligible_now = serializers.IntegerField()
    leader_days_available = serializers.DecimalField(**DAYS)
    days_needed = serializers.DecimalField(**DAYS)
    gap = serializers.DecimalField(**DAYS, help_text="days_needed less leader_days_available")


class ForecastSerializer(serializers.Serializer):
    offer = serializers.IntegerField()
    region = serializers.CharField(allow_null=True)
    results = ForecastRowSerializer(many=True)


class ForecastView(OversightView):
    """Per region (the one asked for, or all of them) and phase, zeros included:
    the likely demand for support in the offer year against the available system
    leaders' days. The inspection cycle rule:
    `deployments.oversight.forecast.next_inspection_due`."""

    @extend_schema(parameters=QUERY, responses={200: ForecastSerializer})
    def get(self, request):
        _form, offer, region = asked_scope(request, offer_required=True)
        rows = forecasting.forecast(offer=offer, region=region)
        return Response(
            ForecastSerializer(
                {"offer": offer.pk, "region": region.name if region else None, "results": rows}
            ).data
        )
