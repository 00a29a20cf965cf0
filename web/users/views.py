"""Manage users (Admin) and the invitation's set-password page: thin views,
form -> service -> message -> redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from portal import services
from portal.models import User
from portal.tokens import invitation_tokens
from portal.views_workflow import apply_validation_error
from schools.models import Region
from web.users.filters import PAGE_FILTERS, UserFilterSet
from web.users.forms import InvitationPasswordForm, UserInviteForm

MANAGE = "portal.manage_users"


class _Manage(PermissionRequiredMixin):
    permission_required = MANAGE
    raise_exception = True


def _users():
    return User.objects.select_related("school", "trust").prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name"))
    )


class UserListView(_Manage, ListView):
    """Every account, searchable, 25 a page."""

    template_name = "portal/users/user_list.html"
    context_object_name = "users"
    paginate_by = 25

    def get_queryset(self):
        filterset = UserFilterSet(
            self.request.GET, queryset=_users().order_by("full_name", "email")
        )
        users = filterset.qs
        self.form = filterset.form
        for name in set(self.form.fields) - set(PAGE_FILTERS):
            del self.form.fields[name]  # the API's is_active: read, not shown
            self.form.errors.pop(name, None)
        return users

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.form,
            filtered=any(self.request.GET.get(k) for k in ("q", "role", "status")),
            **kwargs,
        )


class UserInviteView(_Manage, FormView):
    template_name = "portal/users/user_invite.html"
    form_class = UserInviteForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_invite(
                invited_by=self.request.user,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                regions=data["regions"],
                school=data["school_urn"],
                trust=data["trust_uid"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Invitation sent to {user.email}")
        return redirect("users:user-detail", pk=user.pk)


class UserDetailView(_Manage, DetailView):
    template_name = "portal/users/user_detail.html"
    context_object_name = "account"

    def get_queryset(self):
        return _users()


class UserActiveView(_Manage, View):
    """POST: deactivate (active=0) or reactivate (active=1) an account."""

    def post(self, request, pk):
        account = get_object_or_404(User, pk=pk)
        active = request.POST.get("active") == "1"
        try:
            services.user_update(account, by=request.user, is_active=active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = "reactivated" if active else "deactivated"
            messages.success(request, f"{account.full_name}’s account is {done}")
        return redirect("users:user-detail", pk=pk)


class UserResendInvitationView(_Manage, View):
    def post(self, request, pk):
        account = get_object_or_404(User, pk=pk, is_active=True)
        services.invitation_send(user=account, invited_by=request.user)
        messages.success(request, f"A new invitation was sent to {account.email}")
        return redirect("users:user-detail", pk=pk)


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(PasswordResetConfirmView):
    """The invitation link: set a password (valid 7 days; used once, since the
    new password changes what the link signs)."""

    token_generator = invitation_tokens
    form_class = InvitationPasswordForm
    template_name = "portal/users/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request, "Your password is set. Sign in with your email address and password."
        )
        return response
