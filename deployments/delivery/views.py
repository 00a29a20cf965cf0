"""Deployment pages: thin (form -> service -> message -> redirect), with the
same `rules` permissions as the API. The task list is the deployment's page;
each section has its own page with "Save and continue"."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from deployments.delivery import enhanced, export, selectors, services
from deployments.delivery.api.serializers import section_payload
from deployments.delivery.enhanced_forms import EnhancedRequestForm
from deployments.delivery.forms import (
    ActivityForm,
    ApproveForm,
    DeclineForm,
    EndCallForm,
    InitialMeetingForm,
    LeaderWithdrawForm,
    ReasonForm,
    ReturnForm,
    SectionForm,
    WithdrawForm,
)
from deployments.delivery.grant_forms import GrantApproveForm
from deployments.delivery.models import SECTION_KEYS, Deployment
from deployments.delivery.section_context import prefill_rows
from deployments.delivery.sections import (
    BEFORE_SIGN_OFF,
    CANNOT_START_YET,
    COMPLETED,
    FORM_ORDER,
    SECTIONS,
    STATUS_LABELS,
    section_data,
    section_statuses,
)
from deployments.delivery.summary import section_summary_rows as _summary_rows
from deployments.oversight.mine import next_step
from deployments.programmes.models import Programme
from portal.views_workflow import NoteForm, Step, TransitionView, apply_validation_error
from portal.workflow import (
    WorkflowConflict,
    allowed_transitions,
    blocked_transitions,
    labelled_timeline,
    transition_label,
)

VIEW = "deployments.read_deployment"


def task_list_items(deployment: Deployment, user) -> list[dict]:
    """The GOV.UK task list component's items, one per section, in form order."""
    items = []
    statuses = section_statuses(deployment)
    for key in FORM_ORDER:
        section, status = SECTIONS[key], statuses[key]
        if status == COMPLETED:
            state = {"text": STATUS_LABELS[status]}
        elif status == CANNOT_START_YET:
            state = {
                "text": STATUS_LABELS[status],
                "classes": "govuk-task-list__status--cannot-start-yet",
            }
        else:
            colour = "govuk-tag--blue" if status == "not_started" else "govuk-tag--light-blue"
            state = {"tag": {"text": STATUS_LABELS[status], "classes": colour}}
        item = {"title": {"text": f"{section.number}. {section.title}"}, "status": state}
        if status != CANNOT_START_YET:
            item["href"] = reverse("deployments:deployment-section", args=[deployment.pk, key])
        items.append(item)
    return items


class DeploymentMixin(PermissionRequiredMixin):
    permission_required = VIEW
    raise_exception = True

    def get_deployment(self) -> Deployment:
        if not hasattr(self, "_deployment"):
            self._deployment = get_object_or_404(
                selectors.deployment_list_for(self.request.user), pk=self.kwargs["pk"]
            )
        return self._deployment

    def get_permission_object(self):
        return self.get_deployment()


class DeploymentDetailView(DeploymentMixin, TemplateView):
    """The deployment's page: its task list, buttons for the steps this user
    may take now, the enhanced strand and the timeline."""

    template_name = "deployments/delivery/deployment_detail.html"

    def get_context_data(self, **kwargs):
        deployment = self.get_deployment()
        user = self.request.user
        steps = [
            {
                "name": name,
                "label": transition_label(deployment, name),
                "href": reverse(
                    "deployments:deployment-transition",
                    args=[deployment.pk, name.replace("_", "-")],
                ),
            }
            for name in allowed_transitions(deployment, user)
        ]
        claim = section_payload(deployment, "claim", user=user)
        return super().get_context_data(
            deployment=deployment,
            items=task_list_items(deployment, user),
            steps=steps,
            claim=claim,
            days_logged=selectors.days_logged(deployment),
            next_step=next_step(deployment, user),
            blocked=blocked_transitions(deployment, user),
            may_pause=user.has_perm("deployments.pause_deployment", deployment)
            and deployment.is_open,
            may_request=user.has_perm("deployments.request_enhanced_support", deployment)
            and deployment.is_open
            and not deployment.is_paused,
            may_log=user.has_perm("deployments.lead_deployment", deployment),
            may_report_delay=user.has_perm("deployments.report_deployment_delay", deployment)
            and deployment.state in Deployment.DELAY_STATES
            and not deployment.is_paused,
            delayed=deployment.delay_reported_on is not None
            and deployment.state in Deployment.DELAY_STATES,
            delay_sentence=selectors.delay_sentence(deployment)
            if deployment.delay_reported_on
            else "",
            may_write_case_study=user.has_perm("deployments.write_case_study", deployment)
            and deployment.state in (Deployment.State.ACCEPTED, Deployment.State.CLOSED),
            enhanced=deployment.enhanced_requests.select_related("grant").all(),
            events=labelled_timeline(deployment, deployment.timeline_events.all()),
            **kwargs,
        )


@method_decorator(sensitive_post_parameters("sort_code", "account_number"), name="dispatch")
class SectionView(DeploymentMixin, View):
    """One section: GET shows it (a form for whoever may write it now, or
    its values); POST saves the valid values, shows errors for wrong ones."""

    template_name = "deployments/delivery/section.html"

    def dispatch(self, request, *args, **kwargs):
        if kwargs["key"] not in SECTION_KEYS:
            raise Http404("No such section.")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, form, status=200):
        deployment = self.get_deployment()
        key = self.kwargs["key"]
        payload = section_payload(deployment, key, user=self.request.user)
        index = FORM_ORDER.index(key)
        return render(
            self.request,
            self.template_name,
            {
                "deployment": deployment,
                "section": SECTIONS[key],
                "payload": payload,
                "form": form if payload["editable"] else None,
                "next_key": FORM_ORDER[index + 1] if index + 1 < len(FORM_ORDER) else None,
                "rows": _summary_rows(key, payload),
                "prefill_rows": prefill_rows(payload.get("prefilled") or {}),
                **(self._reported(deployment) if key == "school_confirmation" else {}),
            },
            status=status,
        )

    def _reported(self, deployment) -> dict:
        """What the school signs for: the leader's sections 2-6 without the
        bank details, and the activity log (the print view's parts)."""
        return {
            "reported": form_parts(deployment, REPORTED_TO_SCHOOL),
            "activities": deployment.activities.all(),
            "signing": deployment.state == Deployment.State.SCHOOL_SIGN_OFF,
            "before_sign_off": deployment.state in BEFORE_SIGN_OFF,
        }

    def _form(self, data=None):
        key = self.kwargs["key"]
        saved = section_data(self.get_deployment(), key)
        return SectionForm(data, key=key, saved=saved, deployment=self.get_deployment())

    def get(self, request, *args, **kwargs):
        return self.render_page(self._form())

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        key = self.kwargs["key"]
        form = self._form(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        if key == "school_confirmation" and deployment.state == Deployment.State.SCHOOL_SIGN_OFF:
            return self._sign(form)
        try:
            services.deployment_section_save(
                deployment, key, user=request.user, data=form.section_values(), keep_valid=True
            )
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("deployments:deployment-detail", deployment.pk)
        except ValidationError as exc:
            self._deployment = Deployment.objects.get(pk=deployment.pk)
            _apply_section_errors(form, exc)
            return self.render_page(form)
        messages.success(request, f"“{SECTIONS[key].title}” saved.")
        return redirect("deployments:deployment-detail", deployment.pk)

    def _sign(self, form):
        """ "Confirm and sign": section 8 and `school_signs_off` in one service
        call; on an error nothing is saved and the page shows why."""
        deployment = self.get_deployment()
        try:
            services.deployment_school_confirm_and_sign(
                deployment, user=self.request.user, data=form.section_values()
            )
        except WorkflowConflict as conflict:
            messages.error(self.request, conflict.message)
            return redirect("deployments:deployment-detail", deployment.pk)
        except ValidationError as exc:
            self._deployment = Deployment.objects.get(pk=deployment.pk)
            if hasattr(exc, "error_dict"):
                _apply_section_errors(form, exc)
            else:
                form.add_error(None, exc.messages)
            return self.render_page(form)
        messages.success(self.request, "Thank you: the form is signed off.")
        return redirect("deployments:deployment-detail", deployment.pk)


def form_parts(deployment: Deployment, keys=FORM_ORDER) -> list[dict]:
    """Sections of the form as GOV.UK summary rows (print view, sign-off page)."""
    return [
        {
            "section": SECTIONS[key],
            "payload": (payload := section_payload(deployment, key)),
            "rows": _summary_rows(key, payload),
        }
        for key in keys
    ]


# The leader's sections the school reads before signing (not the bank details).
REPORTED_TO_SCHOOL = ("scope", "mid_review", "closure", "claim")


def _apply_section_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        target = field if field in form.fields else None
        if field == "focus_areas":
            target = next(iter(n for n in form.fields if n.startswith("focus_")), None)
        for error in errors:
            form.add_error(target, error)


class DeploymentTransitionView(TransitionView):
    permission_required = VIEW
    record_noun = "deployment"
    steps = {
        "initial_meeting_arranged": Step(
            services.deployment_initial_meeting_arranged,
            InitialMeetingForm,
            "Initial meeting recorded.",
        ),
        "scoping_done": Step(services.deployment_scoping_done, NoteForm, "Delivery has started."),
        "send_for_sign_off": Step(
            services.deployment_send_for_sign_off, NoteForm, "Sent to the school to sign off."
        ),
        "school_signs_off": Step(
            services.deployment_school_signs_off, NoteForm, "Thank you: the form is signed off."
        ),
        "submit": Step(services.deployment_submit, NoteForm, "Submitted to the RDP."),
        "rdp_returns": Step(
            services.deployment_rdp_returns, ReturnForm, "Returned to the system leader."
        ),
        "rdp_accepts": Step(services.deployment_rdp_accepts, NoteForm, "Deployment form accepted."),
        "end_call_held": Step(
            services.deployment_end_call_held, EndCallForm, "Call recorded: deployment closed."
        ),
        "withdraw": Step(
            services.deployment_withdraw,
            WithdrawForm,
            "Deployment withdrawn: the case is back with Regions Group staff to match again.",
            facts=selectors.withdrawal_facts,
            consequences=selectors.withdrawal_consequences,
        ),
        "system_leader_withdraws": Step(
            services.deployment_system_leader_withdraws,
            LeaderWithdrawForm,
            "You have withdrawn from this deployment.",
            facts=selectors.withdrawal_facts,
            consequences=selectors.withdrawal_consequences,
        ),
    }

    def visible_records(self, user):
        return selectors.deployment_list_for(user)

    def record_url(self, record):
        return reverse("deployments:deployment-detail", args=[record.pk])

    def get_permission_object(self):
        return self.record


class PauseView(DeploymentMixin, View):
    """Pause (with a reason) or resume; Regions Group staff or the RDP."""

    template_name = "deployments/delivery/pause.html"

    def get_permission_required(self):
        return ["deployments.pause_deployment"]

    def _render(self, form, status=200):
        deployment = self.get_deployment()
        return render(
            self.request,
            self.template_name,
            {"deployment": deployment, "form": form, "resuming": deployment.is_paused},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        button = "Resume the deployment" if deployment.is_paused else "Pause the deployment"
        return self._render(ReasonForm(button=button) if not deployment.is_paused else None)

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        try:
            if deployment.is_paused:
                services.deployment_resume(deployment, user=request.user)
                messages.success(request, "The deployment has resumed.")
            else:
                form = ReasonForm(request.POST, button="Pause the deployment")
                if not form.is_valid():
                    return self._render(form)
                services.deployment_pause(deployment, user=request.user, **form.cleaned_data)
                messages.success(request, "The deployment is paused.")
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
        return redirect("deployments:deployment-detail", deployment.pk)


class ActivityLogView(DeploymentMixin, View):
    template_name = "deployments/delivery/activity_log.html"

    def _render(self, form, status=200):
        deployment = self.get_deployment()
        claim = section_payload(deployment, "claim", user=self.request.user)
        return render(
            self.request,
            self.template_name,
            {
                "deployment": deployment,
                "activities": deployment.activities.all(),
                "form": form
                if self.request.user.has_perm("deployments.lead_deployment", deployment)
                and deployment.state in services.ACTIVITY_STATES
                and not deployment.is_paused
                else None,
                "days_logged": selectors.days_logged(deployment),
                "claim": claim,
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self._render(ActivityForm())

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        if not request.user.has_perm("deployments.lead_deployment", deployment):
            raise PermissionDenied("Only the deployment's system leader logs activities.")
        form = ActivityForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            services.activity_create(deployment, user=request.user, **form.cleaned_data)
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
            return redirect("deployments:deployment-activities", deployment.pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(form)
        messages.success(request, "Activity added to the log.")
        return redirect("deployments:deployment-activities", deployment.pk)


class PrintView(DeploymentMixin, TemplateView):
    """The whole form on one printable page (bank details masked)."""

    template_name = "deployments/delivery/print.html"

    def get_context_data(self, **kwargs):
        deployment = self.get_deployment()
        return super().get_context_data(
            deployment=deployment,
            sections=form_parts(deployment),
            activities=deployment.activities.all(),
            **kwargs,
        )


class ExportView(DeploymentMixin, View):
    def get(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        content = export.deployment_workbook(deployment)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="deployment-{deployment.pk}.xlsx"'
        return response


class EnhancedRequestCreateView(DeploymentMixin, View):
    template_name = "deployments/delivery/enhanced_request_form.html"

    def get_permission_required(self):
        return ["deployments.request_enhanced_support"]

    def _render(self, form):
        return render(
            self.request, self.template_name, {"deployment": self.get_deployment(), "form": form}
        )

    def get(self, request, *args, **kwargs):
        return self._render(EnhancedRequestForm())

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        form = EnhancedRequestForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            enhanced.enhanced_request_create(deployment, user=request.user, **form.service_values())
        except WorkflowConflict as conflict:  # the same rule as the API's 409, on the form
            form.add_error(None, conflict.message)
            return self._render(form)
        except ValidationError as exc:
            form.apply_service_errors(exc)
            return self._render(form)
        messages.success(request, "Request sent.")
        return redirect("deployments:deployment-detail", deployment.pk)


class EnhancedRequestDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "deployments.read_enhanced_request"
    raise_exception = True
    template_name = "deployments/delivery/enhanced_request_detail.html"
    context_object_name = "enhanced"

    def get_queryset(self):
        return selectors.enhanced_request_list_for(self.request.user)

    def get_context_data(self, **kwargs):
        record = self.object
        steps = [
            {
                "label": transition_label(record, name),
                "href": reverse(
                    "deployments:enhanced-request-transition",
                    args=[record.pk, name.replace("_", "-")],
                ),
            }
            for name in allowed_transitions(record, self.request.user)
        ]
        grant = getattr(record, "grant", None) if hasattr(record, "grant") else None
        return super().get_context_data(
            steps=steps,
            grant=grant,
            may_read_deployment=self.request.user.has_perm(VIEW, record.deployment),
            events=labelled_timeline(record, record.timeline_events.all()),
            **kwargs,
        )


class EnhancedRequestTransitionView(TransitionView):
    permission_required = "deployments.read_enhanced_request"
    record_noun = "request"
    steps = {
        "rdp_forwards": Step(enhanced.enhanced_request_rdp_forwards, NoteForm, "Sent to DfE."),
        "dfe_approves": Step(
            enhanced.enhanced_request_dfe_approves,
            ApproveForm,
            "Approved.",
            facts=selectors.enhanced_request_facts,
            consequences=partial(selectors.enhanced_request_decision_consequences, approved=True),
        ),
        "dfe_declines": Step(
            enhanced.enhanced_request_dfe_declines,
            DeclineForm,
            "Declined.",
            facts=selectors.enhanced_request_facts,
            consequences=partial(selectors.enhanced_request_decision_consequences, approved=False),
        ),
    }

    def visible_records(self, user):
        return selectors.enhanced_request_list_for(user)

    def get_form_class(self):
        """A funded partnership's approval names the partner trust and the start."""
        if self.transition == "dfe_approves" and self.record.kind == "funded_partnership":
            return GrantApproveForm
        return super().get_form_class()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.get_form_class() is GrantApproveForm:
            kwargs["suggested_trust"] = self.record.suggested_trust
        return kwargs

    def record_url(self, record):
        return reverse("deployments:enhanced-request-detail", args=[record.pk])

    def get_permission_object(self):
        return self.record


class ProgrammeListView(PermissionRequiredMixin, ListView):
    permission_required = "deployments.read_programmes"
    raise_exception = True
    template_name = "deployments/delivery/programme_list.html"
    context_object_name = "programmes"

    def get_queryset(self):
        return Programme.objects.filter(active=True)

    def get_context_data(self, **kwargs):
        groups = {}
        for programme in self.object_list:
            groups.setdefault(programme.get_category_display(), []).append(programme)
        return super().get_context_data(groups=groups, **kwargs)
