from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deployments.models import (
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportOffer,
)


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


@admin.register(EligibilityAssessment)
class EligibilityAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["target", "offer", "criterion", "run_length", "status", "computed_at"]
    list_filter = ["offer", "criterion", "status", "region"]
    list_select_related = ["school", "trust", "offer"]
    search_fields = ["school__name", "school__urn", "trust__name", "trust__uid"]
    raw_id_fields = ["school", "trust", "rd_assessment", "exception_request"]
    readonly_fields = [f.name for f in EligibilityAssessment._meta.fields]

    def has_add_permission(self, request):
        return False  # rows come from the recompute, RD assessments and exceptions


@admin.register(RegionalDirectorAssessment)
class RegionalDirectorAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["target", "offer", "region", "assessed_by", "assessed_on"]
    list_filter = ["offer", "region"]
    list_select_related = ["school", "trust", "offer", "region", "assessed_by"]
    raw_id_fields = ["school", "trust", "assessed_by"]
    readonly_fields = ["created_at"]


@admin.register(ExceptionRequest)
class ExceptionRequestAdmin(SimpleHistoryAdmin):
    list_display = ["target", "offer", "region", "source", "status", "requested_at"]
    list_filter = ["offer", "region", "status", "source"]
    list_select_related = ["school", "trust", "offer", "region"]
    raw_id_fields = ["school", "trust", "requested_by", "decided_by"]
    readonly_fields = ["requested_at", "decided_at"]
