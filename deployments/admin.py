"""Offers are reference data Admin edits here (through the offer services); the
eligibility records a service writes (assessments, RD assessments, exception
requests) are read-only, so the admin cannot make one without its checks and
its linked rows."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from deployments import services
from deployments.models import (
    EligibilityAssessment,
    ExceptionRequest,
    RegionalDirectorAssessment,
    SupportOffer,
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
