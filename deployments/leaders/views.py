"""The system-leader register's pages: thin views, form -> service -> message
-> redirect. Visibility comes from the selector (a leader a user cannot see is
a 404), the action from the `rules` permission (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from deployments.choices import FocusArea, Phase
from deployments.leaders import selectors, services
from deployments.leaders.filters import SystemLeaderFilterSet
from deployments.leaders.forms import SystemLeaderForm
from portal.models import Role
from portal.views_workflow import apply_validation_error

VIEW = "deployments.view_system_leader"
ADD = "deployments.add_system_leader"
CHANGE = "deployments.change_system_leader"


class _Permission(PermissionRequiredMixin):
    raise_exception = True


class _OneLeader(_Permission):
    """A leader this user can see (else 404), checked against `permission_required`."""

    def get_permission_object(self):
        if not hasattr(self, "leader"):
            leader = (
                selectors.system_leader_list_for(self.request.user)
                .filter(pk=self.kwargs["pk"])
                .first()
            )
            if leader is None:
                raise Http404("No such system leader")
            self.leader = leader
        return self.leader


class LeaderListView(_Permission, ListView):
    """The register: the leaders who work in the user's regions (Admin: all)."""

    permission_required = VIEW
    template_name = "deployments/leaders/leader_list.html"
    context_object_name = "leaders"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = SystemLeaderFilterSet(
            self.request.GET,
            queryset=selectors.system_leader_list_for(self.request.user, conflicts=False),
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.filterset.form,
            filtered=any(self.request.GET.get(k) for k in ("q", "region", "kind", "available")),
            can_add=self.request.user.has_perm(ADD),
            **kwargs,
        )


def _profile_context(leader) -> dict:
    focus = dict(FocusArea.choices)
    phases = dict(Phase.choices)
    return {
        "leader": leader,
        "focus_labels": [focus[k] for k in leader.focus_areas if k in focus],
        "phase_labels": [phases[k] for k in leader.phases if k in phases],
    }


class LeaderDetailView(_OneLeader, TemplateView):
    permission_required = VIEW
    template_name = "deployments/leaders/leader_detail.html"

    def get_context_data(self, **kwargs):
        leader = self.get_permission_object()
        user = self.request.user
        return super().get_context_data(
            **_profile_context(leader),
            can_change=user.has_perm(CHANGE, leader) and user.role != Role.SYSTEM_LEADER,
            is_own=leader.user_id == user.pk,
            **kwargs,
        )


class LeaderEditView(_OneLeader, FormView):
    """Admin and Regions Group staff change any field of a profile."""

    permission_required = CHANGE
    template_name = "deployments/leaders/leader_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role == Role.SYSTEM_LEADER:
            return redirect("deployments:my-profile")
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        leader = self.get_permission_object()
        if self.request.method == "POST":
            return SystemLeaderForm(self.request.POST)
        return SystemLeaderForm(initial=SystemLeaderForm.initial_for(leader))

    def form_valid(self, form):
        try:
            services.system_leader_update(
                self.leader, user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.leader.user.full_name}’s profile is saved")
        return redirect("deployments:leader-detail", pk=self.leader.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(leader=self.leader, **kwargs)


class LeaderCreateView(_Permission, FormView):
    permission_required = ADD
    template_name = "deployments/leaders/leader_form.html"

    def get_form(self, form_class=None):
        if self.request.method == "POST":
            return SystemLeaderForm(self.request.POST, create=True)
        return SystemLeaderForm(
            create=True, initial={"available": "yes", "max_concurrent_deployments": 1}
        )

    def form_valid(self, form):
        try:
            leader = services.system_leader_create(user=self.request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error("regions", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"{leader.user.full_name} is on the register")
        return redirect("deployments:leader-detail", pk=leader.pk)


class MyProfileView(_Permission, FormView):
    """A system leader's own profile: availability, capacity, focus areas and
    conflicts. The rest is shown, and changed by Regions Group staff."""

    permission_required = "deployments.edit_own_system_leader_profile"
    template_name = "deployments/leaders/my_profile.html"

    def has_permission(self):
        # Only a system leader has a profile of their own, whatever else the user may do.
        return super().has_permission() and self.request.user.role == Role.SYSTEM_LEADER

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.leader = (
            selectors.system_leader_of(request.user) if request.user.is_authenticated else None
        )

    def get_form(self, form_class=None):
        if self.leader is None:
            return None
        if self.request.method == "POST":
            return SystemLeaderForm(self.request.POST, self_edit=True)
        return SystemLeaderForm(self_edit=True, initial=SystemLeaderForm.initial_for(self.leader))

    def post(self, request, *args, **kwargs):
        if self.leader is None:
            raise Http404("Your profile has not been set up yet")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.system_leader_update(
                self.leader, user=self.request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Your profile is saved")
        return redirect("deployments:my-profile")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.leader is not None:
            context.update(_profile_context(self.leader))
        return context
