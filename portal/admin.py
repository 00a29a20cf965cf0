"""Users and jobs in the Django admin. A user is created and changed through
portal.services (user_create, user_update), so the admin keeps the role rules;
permissions come from the role, not from Django groups: a group grants nothing
(portal/backends.py), so the admin does not offer them."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from portal.models import BackgroundJob, User
from portal.services import user_create, user_scope_validate, user_update

SCOPE_FIELDS = ("full_name", "role", "regions", "school", "trust", "is_staff")
# The services name the school and trust as the API does.
SERVICE_FIELD_TO_FORM = {"school_urn": "school", "trust_uid": "trust"}


class _UserScopeForm(forms.ModelForm):
    """Shows the role rules' errors beside the fields they concern."""

    def clean(self):
        data = super().clean()
        try:
            user_scope_validate(
                role=data.get("role"),
                regions=data.get("regions") or (),
                school=data.get("school"),
                trust=data.get("trust"),
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                self.add_error(SERVICE_FIELD_TO_FORM.get(field, field), errors)
        return data


class UserCreateForm(_UserScopeForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "regions", "school", "trust", "is_staff")


class UserChangeForm(_UserScopeForm, DjangoUserChangeForm):
    class Meta:
        model = User
        fields = ("full_name", "role", "regions", "school", "trust", "is_active", "is_staff")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreateForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active"]
    list_filter = ["role", "is_active", "regions"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["regions"]
    raw_id_fields = ["school", "trust"]
    readonly_fields = ["email", "last_login", "date_joined"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role")}),
        ("Scope", {"fields": ("regions", "school", "trust")}),
        ("Access", {"fields": ("is_active", "is_staff")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("email", "full_name", "role")}),
        ("Scope", {"fields": ("regions", "school", "trust")}),
        ("Access", {"fields": ("is_staff",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        scope = {name: data.get(name) for name in SCOPE_FIELDS}
        scope["regions"] = scope["regions"] or ()
        if change:
            user_update(obj, by=request.user, is_active=data["is_active"], **scope)
        else:
            created = user_create(email=data["email"], **scope)
            obj.pk = created.pk  # the admin's message and redirect name this user
            obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Nothing: the service has set the regions."""


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ["label", "kind", "status", "progress", "total", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["created_by"]
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]

    def has_add_permission(self, request):
        return False  # jobs are queued by the pages that start them


admin.site.unregister(Group)
