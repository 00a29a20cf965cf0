"""Offers are reference data Admin edits here (through the offer services); the
records a service writes (eligibility, RD assessments, exception requests, support
cases, deployments, claims and payment runs) are read-only, so the admin cannot make
or move one without its checks, its timeline and its hand-off e-mails. Bank details
are not in the admin at all: they are shown masked on the deployment's own page, and
in full only in the payment files finance downloads."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deployments import services
from deployments.models import (
    Claim,
    Deployment,
    EligibilityAssessment,
    ExceptionRequest,
    PaymentRun,
    RegionalDirectorAssessment,
    SupportCase,
    SupportOffer,
    SystemLeader,
)
from portal.admin_site import ReadOnlyAdminMixin


@admin.register(SupportOffer)
class SupportOfferAdmin(SimpleHistoryAdmin):
    """The policy numbers of each year's offer: edit next year's offer here, not in code."""

    list_display = ["academic_year", "starts_on", "ends_on", "core_days", "day_rate", "rule_set"]
    fieldsets = [
        (None, {"fields": ["academic_year", "starts_on", "ends_on", "rule_set"]}),
        ("Core offer", {"fields": ["core_days", "day_rate"]}),
        (
            "Enhanced strand",
            {
                "fields": [
                    "max_extension_days",
                    "extension_window_weeks",
                    "partnership_grant",
                    "partnership_instalments",
                    "partnership_months",
                ]
            },
        ),
        ("Service levels (working days per step)", {"fields": ["sla_working_days"]}),
    ]

    def has_delete_permission(self, request, obj=None):
        return False  # eligibility and requests refer to it

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.support_offer_update(offer=obj, **values)
        else:
            created = services.support_offer_create(**form.cleaned_data)
            obj.pk = created.pk
            obj._state.adding = False


@admin.register(EligibilityAssessment)
class EligibilityAssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "offer", "criterion", "run_length", "status", "computed_at"]
    list_filter = ["offer", "criterion", "status", "region"]
    list_select_related = ["school", "trust", "offer"]
    search_fields = ["school__name", "school__urn", "trust__name", "trust__uid"]


@admin.register(RegionalDirectorAssessment)
class RegionalDirectorAssessmentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "offer", "region", "assessed_by", "assessed_on"]
    list_filter = ["offer", "region"]
    list_select_related = ["school", "trust", "offer", "region", "assessed_by"]


@admin.register(ExceptionRequest)
class ExceptionRequestAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "offer", "region", "source", "status", "requested_at"]
    list_filter = ["offer", "region", "status", "source"]
    list_select_related = ["school", "trust", "offer", "region"]


@admin.register(SystemLeader)
class SystemLeaderAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["user", "kind", "trust", "school", "available", "max_concurrent_deployments"]
    list_filter = ["kind", "available", "regions"]
    list_select_related = ["user", "trust", "school"]
    search_fields = ["user__full_name", "user__email", "trust__name", "school__name"]


@admin.register(SupportCase)
class SupportCaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "region", "state", "system_leader", "owner", "due_on", "opened_at"]
    list_filter = ["state", "region", "offer"]
    list_select_related = ["school", "trust", "region", "system_leader__user", "owner"]
    search_fields = ["school__name", "school__urn", "trust__name", "trust__uid"]


@admin.register(Deployment)
class DeploymentAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["target", "region", "state", "system_leader", "issued_on", "due_on"]
    list_filter = ["state", "region", "offer"]
    list_select_related = ["school", "trust", "region", "system_leader__user"]
    search_fields = ["school__name", "school__urn", "trust__name", "trust__uid"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["reference", "kind", "region", "amount", "state", "created_at", "paid_at"]
    list_filter = ["state", "kind", "region", "offer"]
    list_select_related = ["region"]
    search_fields = ["deployment__school__name", "deployment__school__urn"]


@admin.register(PaymentRun)
class PaymentRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The run's figures; its payment files (full bank details) are finance's only."""

    list_display = ["__str__", "state", "claim_count", "total", "created_by", "completed_at"]
    list_filter = ["state"]
    exclude = ["csv_encrypted", "xlsx_encrypted"]
