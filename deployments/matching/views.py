"""Support-case pages: thin views over the matching selectors and services.

The case list (filters, "My cases", the watchlist), the overdue list per
region, a case page showing only the buttons this user may press now, one
page per transition (`portal.views_workflow.TransitionView`), opening a case
from an eligibility record, changing the owner and watching."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import DetailView, FormView, ListView, TemplateView, View
from rules.contrib.views import PermissionRequiredMixin

from deployments.matching import selectors, services
from deployments.matching.filters import PAGE_FILTERS, SupportCaseFilterSet
from deployments.matching.forms import (
    VIEWS,
    AcceptRequestForm,
    ConcernAnswerForm,
    ConcernForm,
    ContextForm,
    LaContactedForm,
    NoteForm,
    OwnerForm,
    ProposeForm,
    ReasonForm,
)
from deployments.matching.models import SupportCase
from deployments.matching.ranking import rank_candidates, screen_candidates
from deployments.matching.weights import WEIGHTS
from deployments.models import EligibilityAssessment
from portal.params import id_param
from portal.text import days
from portal.views_workflow import Step, StepForm, TransitionView, apply_validation_error
from portal.workflow import (
    WorkflowConflict,
    allowed_transitions,
    labelled_timeline,
    transition_label,
)

VIEW = "deployments.view_support_case"


def case_url(case) -> str:
    return reverse("deployments:case-detail", args=[case.pk])


class _Permission(PermissionRequiredMixin):
    raise_exception = True


class _CaseObject(_Permission):
    """404 when the user cannot see the case, then the permission on it."""

    def get_case(self) -> SupportCase:
        if not hasattr(self, "_case"):
            self._case = (
                selectors.support_case_visible_to(self.request.user)
                .filter(pk=self.kwargs["pk"])
                .first()
            )
            if self._case is None:
                raise Http404("No such support case.")
        return self._case

    def get_permission_object(self):
        return self.get_case()


class CaseListView(_Permission, ListView):
    permission_required = VIEW
    template_name = "deployments/cases/case_list.html"
    context_object_name = "cases"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        self.view = self.request.GET.get("view", "all")
        if self.view not in dict(VIEWS):
            self.view = "all"
        params = self.request.GET.copy()
        if self.view == "mine":
            params["owner"] = "me"
        elif self.view == "watching":
            params["watching"] = "true"
        self.filterset = SupportCaseFilterSet(
            params, queryset=selectors.support_case_list(user), request=self.request
        )
        # The form shows what the user chose, not what the view tab added.
        self.form = SupportCaseFilterSet(self.request.GET, request=self.request).form
        qs = self.filterset.qs
        return selectors.overdue_first(qs)

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("view", None)
        return super().get_context_data(
            form=self.form,
            filter_fields=[self.form[name] for name in PAGE_FILTERS],
            view=self.view,
            views=VIEWS,
            filter_query=query.urlencode(),
            today=timezone.localdate(),
            filtered=any(self.request.GET.get(k) for k in ("state", "owner", "overdue")),
            can_see_overdue=self.request.user.has_perm("deployments.view_overdue_cases"),
            **kwargs,
        )


CASE_EXPORT_HEADER = [
    "Case",
    "School or trust",
    "URN or group UID",
    "Region",
    "Offer",
    "State",
    "Due",
    "System leader",
    "Owner",
]


class CaseExportView(_Permission, View):
    """The case list as CSV or XLSX, with the list's filters (formula-safe)."""

    permission_required = VIEW

    def get(self, request, fmt):
        from portal.spreadsheets import download

        cases = SupportCaseFilterSet(
            request.GET, queryset=selectors.support_case_list(request.user), request=request
        ).qs
        rows = (
            [
                c.pk,
                c.target.name,
                c.school.urn if c.school_id else c.trust.uid,
                c.region.name,
                c.offer.academic_year,
                c.get_state_display(),
                c.due_on or "",
                c.system_leader.user.full_name if c.system_leader else "",
                c.owner.full_name if c.owner else "",
            ]
            for c in selectors.overdue_first(cases)
        )
        return download(fmt=fmt, filename="support-cases", header=CASE_EXPORT_HEADER, rows=rows)


class OverdueListView(_Permission, TemplateView):
    """Overdue cases in the user's regions, region by region."""

    permission_required = "deployments.view_overdue_cases"
    template_name = "deployments/cases/overdue.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            groups=selectors.support_case_overdue_by_region(self.request.user, today),
            today=today,
            **kwargs,
        )


class CaseDetailView(_CaseObject, DetailView):
    permission_required = VIEW
    template_name = "deployments/cases/case_detail.html"
    context_object_name = "case"

    def get_object(self, queryset=None):
        return self.get_case()

    def get_context_data(self, **kwargs):
        case, user = self.object, self.request.user
        events = labelled_timeline(case)
        deployment = getattr(case, "deployment", None)
        today = timezone.localdate()
        can_candidates = user.has_perm("deployments.view_case_candidates", case)
        screening = None
        if can_candidates and case.state == SupportCase.State.IDENTIFIED:
            screening = screen_candidates(case)
            for candidate in screening.candidates[:10]:
                candidate.track_record = selectors.track_record(candidate)
        return super().get_context_data(
            events=events,
            steps=selectors.case_steps(case, events, today),
            next_step=selectors.next_step(case, user),
            overdue=case.is_overdue(today),
            transitions=[
                {
                    "name": name,
                    "label": transition_label(case, name),
                    "href": reverse(
                        "deployments:case-transition", args=[case.pk, name.replace("_", "-")]
                    ),
                    "warning": name
                    in (
                        "withdraw",
                        "director_rejects",
                        "school_declines",
                        "system_leader_declines",
                        "school_raises_concern",
                    ),
                }
                for name in allowed_transitions(case, user)
            ],
            candidates=screening.candidates[:10] if screening else None,
            left_out=screening.left_out if screening else [],
            weights=WEIGHTS,
            **_trust_open_cases(
                case.trust or (case.school.trust if case.school_id else None),
                selectors.trust_open_cases(case) if can_candidates else [],
                user,
            ),
            can_propose="propose" in allowed_transitions(case, user),
            can_reassign=user.has_perm("deployments.case_reassign_owner", case),
            can_record_la=case.is_open and user.has_perm("deployments.case_la_contacted", case),
            can_watch=user.has_perm("deployments.case_watch", case),
            watching=case.watchers.filter(pk=user.pk).exists(),
            show_internal=can_candidates,
            show_leader=case.leader_shown_to(user),
            declined=list(case.declined_by.select_related("user")) if can_candidates else [],
            deployment=deployment,
            deployment_href=services.deployment_url(deployment) if deployment else "",
            earlier_deployments=[
                {"deployment": d, "readable": user.has_perm("deployments.read_deployment", d)}
                for d in case.deployments.all()
                if deployment is None or d.pk != deployment.pk
            ],
            **kwargs,
        )


class CaseTransitionView(TransitionView):
    """Every step of a support case: /cases/<pk>/<transition-name>/."""

    permission_required = VIEW
    record_noun = "support case"
    steps = {
        "propose": Step(services.support_case_propose, ProposeForm, "System leader proposed."),
        "rdp_contacts_school": Step(
            services.support_case_rdp_contacts_school, NoteForm, "Recorded: school contacted."
        ),
        "school_confirms": Step(
            services.support_case_school_confirms, ContextForm, "Thank you: you confirmed."
        ),
        "school_declines": Step(services.support_case_school_declines, ReasonForm, "Declined."),
        "system_leader_accepts": Step(
            services.support_case_system_leader_accepts,
            AcceptRequestForm,
            "You accepted the request.",
            facts=selectors.leader_request_facts,
            consequences=lambda case: [
                f"{case.target.name} is asked to accept you as its system leader.",
                "Once it accepts, the Regional Director approves the match and the RDP "
                "issues the deployment.",
            ],
        ),
        "system_leader_declines": Step(
            services.support_case_system_leader_declines, ReasonForm, "You declined the request."
        ),
        "school_accepts_match": Step(
            services.support_case_school_accepts_match, NoteForm, "Match accepted."
        ),
        "school_raises_concern": Step(
            services.support_case_school_raises_concern, ConcernForm, "Concern sent."
        ),
        "concern_answered": Step(
            services.support_case_concern_answered, ConcernAnswerForm, "Concern answered."
        ),
        "director_approves": Step(
            services.support_case_director_approves,
            NoteForm,
            "Match approved.",
            facts=selectors.case_decision_facts,
            consequences=lambda case: [
                "The match is approved, and the RDP issues the deployment next.",
            ],
        ),
        "director_rejects": Step(
            services.support_case_director_rejects, ReasonForm, "Match rejected."
        ),
        "issue_deployment": Step(
            services.support_case_issue_deployment,
            NoteForm,
            "Deployment issued.",
            facts=selectors.case_decision_facts,
            consequences=lambda case: [
                f"A deployment of {days(selectors.case_core_days(case))} core days is created for "
                f"{case.target.name}, and its deployment form opens (the e-mail links to it).",
            ],
        ),
        "withdraw": Step(services.support_case_withdraw, ReasonForm, "Case withdrawn."),
    }

    def visible_records(self, user):
        return selectors.support_case_visible_to(user)

    def record_url(self, record) -> str:
        return case_url(record)

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "case": self.record}
        if self.transition == "propose":
            kwargs["candidates"] = rank_candidates(self.record)
        return kwargs

    def get_initial(self):
        initial = super().get_initial()
        leader_id = id_param(self.request.GET.get("system_leader"))
        if self.transition == "propose" and leader_id:
            initial["system_leader"] = leader_id
        return initial

    def form_valid(self, form):
        response = super().form_valid(form)
        # A system leader who declines no longer sees the case: send them home.
        if (
            response.status_code == 302
            and not self.visible_records(self.request.user).filter(pk=self.record.pk).exists()
        ):
            return redirect("home")
        return response


class CaseOpenView(_Permission, FormView):
    """Confirm and open a support case for one eligibility record."""

    permission_required = "deployments.case_open"
    template_name = "deployments/cases/case_open.html"
    form_class = StepForm

    def get_permission_object(self):
        pk = self.request.GET.get("eligibility") or self.request.POST.get("eligibility")
        if id_param(pk) is None:
            raise Http404("No such eligibility record.")
        self.assessment = get_object_or_404(
            EligibilityAssessment.objects.select_related("school", "trust", "region", "offer"),
            pk=pk,
        )
        return self.assessment

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "button": "Open a support case"}

    def get_context_data(self, **kwargs):
        assessment = self.assessment
        trust = assessment.trust or (assessment.school.trust if assessment.school else None)
        cases = selectors.trust_open_cases_for(trust.pk if trust else None)
        return super().get_context_data(
            assessment=assessment,
            **_trust_open_cases(trust, cases, self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            case = services.support_case_open(user=self.request.user, eligibility=self.assessment)
        except WorkflowConflict as conflict:
            form.add_error(None, conflict.message)
            return self.form_invalid(form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Support case opened. You own it.")
        return redirect(case_url(case))


def _trust_open_cases(trust, cases, user) -> dict:
    """A trust's open cases for a GOV.UK warning (`_trust_open_cases.html`):
    each linked when the user may see it."""
    rows = [
        {"case": case, "href": case_url(case) if user.has_perm(VIEW, case) else ""}
        for case in cases
    ]
    return {"trust_open_cases": rows, "trust_name": trust.name if trust else ""}


class CaseOwnerView(_CaseObject, FormView):
    permission_required = "deployments.case_reassign_owner"
    template_name = "portal/transition_form.html"
    form_class = OwnerForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "case": self.get_case(), "button": "Change owner"}

    def get_initial(self):
        return {"owner": self.get_case().owner_id}

    def get_context_data(self, **kwargs):
        case = self.get_case()
        return super().get_context_data(
            record=case,
            label="Change the case owner",
            back=case_url(case),
            record_noun="support case",
            **kwargs,
        )

    def form_valid(self, form):
        case = self.get_case()
        try:
            services.support_case_reassign_owner(
                case, user=self.request.user, owner=form.cleaned_data["owner"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{form.cleaned_data['owner'].full_name} now owns this case."
        )
        return redirect(case_url(case))


class CaseLaContactedView(_CaseObject, FormView):
    """Record that the LA or diocese was asked to confirm participation (not a
    step: the case keeps its state). A closed case answers 409, as the API does."""

    permission_required = "deployments.case_la_contacted"
    template_name = "portal/transition_form.html"
    form_class = LaContactedForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            try:
                services.support_case_la_contacted_check(self.get_case(), user=request.user)
            except WorkflowConflict as conflict:
                return self._conflict(conflict)
        return super().dispatch(request, *args, **kwargs)

    def _conflict(self, conflict: WorkflowConflict):
        case = self.get_case()
        context = {"record": case, "message": conflict.message, "back": case_url(case)}
        return render(self.request, "portal/transition_conflict.html", context, status=409)

    def get_context_data(self, **kwargs):
        case = self.get_case()
        return super().get_context_data(
            record=case,
            label="Record that the LA or diocese was contacted",
            back=case_url(case),
            record_noun="support case",
            **kwargs,
        )

    def form_valid(self, form):
        case = self.get_case()
        try:
            services.support_case_la_contacted(case, user=self.request.user, **form.cleaned_data)
        except WorkflowConflict as conflict:
            return self._conflict(conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Recorded: the LA or diocese was contacted.")
        return redirect(case_url(case))


class CaseWatchView(_CaseObject, View):
    """POST: add to or remove from the user's watchlist."""

    permission_required = "deployments.case_watch"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        case = self.get_case()
        if request.POST.get("watch") == "0":
            services.support_case_unwatch(case, user=request.user)
            messages.success(request, "Removed from your watchlist.")
        else:
            services.support_case_watch(case, user=request.user)
            messages.success(request, "Added to your watchlist.")
        return redirect(case_url(case))
