from django.contrib import admin

from schools.models import LocalAuthority, OfstedInspection, Region, School, SchoolLink, Trust


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    list_display = ["name", "uid", "kind", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "uid", "companies_house_number"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "urn", "phase", "status", "local_authority", "region"]
    list_filter = ["status", "region", "phase"]
    search_fields = ["name", "urn", "laestab", "postcode"]
    list_select_related = ["local_authority", "region"]
    raw_id_fields = ["trust", "local_authority"]


@admin.register(SchoolLink)
class SchoolLinkAdmin(admin.ModelAdmin):
    list_display = ["urn", "link_type", "linked_urn", "established_on"]
    search_fields = ["urn", "linked_urn"]


@admin.register(OfstedInspection)
class OfstedInspectionAdmin(admin.ModelAdmin):
    list_display = ["inspection_number", "school", "kind", "start_date", "overall_effectiveness"]
    list_filter = ["kind", "overall_effectiveness"]
    search_fields = ["inspection_number", "school__urn", "school__name"]
    list_select_related = ["school"]
    raw_id_fields = ["school"]
