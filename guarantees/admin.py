"""Admin: reference data (the Guarantees, stage deadlines, LA tuition contacts)
and read-only records. A complaint's personal fields are never shown here:
only the school's contacts and the region's staff see them, in the portal."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from guarantees.models import (
    Ambition,
    Complaint,
    ComplaintStageSla,
    Entitlement,
    Guarantee,
    LocalAuthorityTuitionContact,
    SelfAssessment,
)


class AmbitionInline(admin.TabularInline):
    model = Ambition
    extra = 0
    fields = ["letter", "title"]


@admin.register(Guarantee)
class GuaranteeAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "position"]
    inlines = [AmbitionInline]


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    """Loaded from Annex F by a migration; phases, ages and focus areas may be tuned."""

    list_display = ["reference", "kind", "short_text", "phases", "from_date", "focus_area"]
    list_filter = ["ambition__guarantee", "ambition__letter", "kind", "one_to_one_tuition"]
    list_select_related = ["ambition__guarantee"]
    readonly_fields = ["ambition", "kind", "text", "position"]
    search_fields = ["text"]

    @admin.display(description="Text")
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(ComplaintStageSla)
class ComplaintStageSlaAdmin(admin.ModelAdmin):
    """Working days per complaint stage: change them here, not in code."""

    list_display = ["state", "working_days", "description"]
    list_editable = ["working_days"]


@admin.register(LocalAuthorityTuitionContact)
class LocalAuthorityTuitionContactAdmin(admin.ModelAdmin):
    list_display = ["local_authority", "email"]
    raw_id_fields = ["local_authority"]
    search_fields = ["local_authority__name"]


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["school", "year", "state", "link_governor_name", "submitted_at"]
    list_filter = ["year", "state"]
    list_select_related = ["school"]
    raw_id_fields = ["school", "created_by", "submitted_by"]
    readonly_fields = ["created_at", "submitted_at", "submitted_by", "state"]


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Read only, without the complainant's details; steps are taken in the portal."""

    list_display = ["reference", "school", "state", "outcome", "due_on", "channel"]
    list_filter = ["state", "outcome", "channel", "region"]
    list_select_related = ["school"]
    search_fields = ["reference", "school__name", "school__urn"]
    exclude = Complaint.PERSONAL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Complaint._meta.fields if f.name not in Complaint.PERSONAL_FIELDS]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
