"""Claims and payment runs over REST (the contract's "Claims and payment
runs"). Money is a string with 2 places, days a string in half days. No
serializer here ever holds a full sort code or account number."""

from decimal import Decimal

from django.urls import reverse
from rest_framework import serializers

from deployments.claims import selectors
from deployments.claims.models import Claim, PaymentRun
from portal.api.workflow import WorkflowSerializerMixin


class FlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class PayeeSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["system_leader", "trust"])
    name = serializers.CharField()
    trust_uid = serializers.CharField(allow_null=True)


class ClaimSerializer(WorkflowSerializerMixin, serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    days = serializers.SerializerMethodField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    flags = FlagSerializer(many=True, read_only=True)
    payment_run = serializers.SerializerMethodField()
    region = serializers.CharField(source="region.name", read_only=True)
    offer = serializers.CharField(source="offer.academic_year", read_only=True)
    system_leader = serializers.IntegerField(source="system_leader_id", read_only=True)
    instalment = serializers.SerializerMethodField()
    payee = PayeeSerializer(read_only=True)
    decided_by = serializers.CharField(source="decided_by.full_name", default=None)

    class Meta:
        model = Claim
        fields = [
            "id",
            "reference",
            "deployment",
            "kind",
            "days",
            "amount",
            "state",
            "flags",
            "payment_run",
            "due_on",
            "allowed_transitions",
            "responsible",
            "timeline",
            "region",
            "offer",
            "system_leader",
            "instalment",
            "payee",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "paid_at",
        ]
        read_only_fields = fields

    def get_days(self, obj) -> str | None:
        return None if obj.days is None else f"{Decimal(obj.days):.1f}"

    def get_payment_run(self, obj) -> int | None:
        return obj.payment_run_id

    def get_instalment(self, obj) -> int | None:
        return obj.instalment.number if obj.instalment_id else None


class ClaimNoteInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredNoteInput(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TotalSerializer(serializers.Serializer):
    claims = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)


class RegionTotalSerializer(TotalSerializer):
    region = serializers.CharField()


class OfferTotalSerializer(TotalSerializer):
    offer = serializers.CharField()


class PaymentRunSerializer(serializers.ModelSerializer):
    claims = serializers.SerializerMethodField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    job = serializers.IntegerField(source="job_id", read_only=True, allow_null=True)
    job_url = serializers.SerializerMethodField()
    csv_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()
    totals_by_region = serializers.SerializerMethodField()
    totals_by_offer = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.full_name", read_only=True)

    class Meta:
        model = PaymentRun
        fields = [
            "id",
            "state",
            "job",
            "job_url",
            "claims",
            "claim_count",
            "total",
            "totals_by_region",
            "totals_by_offer",
            "csv_url",
            "xlsx_url",
            "failure",
            "created_by",
            "created_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_claims(self, obj) -> list[int]:
        return list(obj.items.order_by("claim_id").values_list("claim_id", flat=True))

    def get_job_url(self, obj) -> str | None:
        return reverse("api-job-detail", args=[obj.job_id]) if obj.job_id else None

    def _file_url(self, obj, fmt) -> str | None:
        if not obj.has_files:
            return None
        url = reverse("payment-run-files", args=[obj.pk, fmt])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_csv_url(self, obj) -> str | None:
        return self._file_url(obj, "csv")

    def get_xlsx_url(self, obj) -> str | None:
        return self._file_url(obj, "xlsx")

    def _totals(self, obj):
        if not hasattr(obj, "_totals"):
            obj._totals = selectors.payment_run_totals(obj)
        return obj._totals

    def get_totals_by_region(self, obj) -> list[dict]:
        return RegionTotalSerializer(self._totals(obj)["regions"], many=True).data

    def get_totals_by_offer(self, obj) -> list[dict]:
        return OfferTotalSerializer(self._totals(obj)["offers"], many=True).data


class SpendLinksSerializer(serializers.Serializer):
    claimed = serializers.CharField()
    approved = serializers.CharField()
    paid = serializers.CharField()


class SpendRowSerializer(serializers.Serializer):
    region = serializers.CharField()
    offer = serializers.CharField()
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    links = SpendLinksSerializer()


class SpendTotalsSerializer(serializers.Serializer):
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    claimed = serializers.DecimalField(max_digits=14, decimal_places=2)
    approved = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)


class SpendSerializer(serializers.Serializer):
    rows = SpendRowSerializer(many=True)
    totals = SpendTotalsSerializer()
