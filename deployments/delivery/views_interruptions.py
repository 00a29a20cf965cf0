"""The "Report a delay" page: the system leader says the support is held up
(the same service and permission as `POST /api/deployments/{id}/report-delay/`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from deployments.delivery import interruptions
from deployments.delivery.forms import DelayForm
from deployments.delivery.views import DeploymentMixin
from portal.views_workflow import apply_validation_error
from portal.workflow import WorkflowConflict
from portal.workflow_spec import parties_sentence

BUTTON = "Report the delay"


class ReportDelayView(DeploymentMixin, View):
    """404 when the deployment is not visible, 403 unless its system leader,
    409 outside issued to school sign-off (or while paused), then the form."""

    template_name = "portal/transition_form.html"

    def get_permission_required(self):
        return ["deployments.report_deployment_delay"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            deployment = self.get_deployment()
            if request.user.has_perm("deployments.report_deployment_delay", deployment):
                try:
                    interruptions.delay_report_check(deployment, request.user)
                except WorkflowConflict as conflict:
                    return render(
                        request,
                        "portal/transition_conflict.html",
                        {
                            "record": deployment,
                            "message": conflict.message,
                            "back": self._back(),
                        },
                        status=409,
                    )
        return super().dispatch(request, *args, **kwargs)

    def _back(self) -> str:
        return reverse("deployments:deployment-detail", args=[self.get_deployment().pk])

    def _render(self, form):
        deployment = self.get_deployment()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "record": deployment,
                "record_noun": "deployment",
                "label": "Report a delay",
                "back": self._back(),
                "facts": [
                    ("School or trust", deployment.target.name),
                    ("Stage", deployment.get_state_display()),
                    (
                        "Next step due by",
                        f"{deployment.due_on:%-d %B %Y}" if deployment.due_on else "No deadline",
                    ),
                ],
                "consequences": [
                    "The stage and its deadline do not change.",
                    parties_sentence(
                        interruptions.DELAY_TOLD, record=deployment, user=self.request.user
                    ),
                    "They read the reason and the date you expect to resume, and see the "
                    "deployment as delayed.",
                    "The delay shows until your next step or your next save of a section.",
                ],
            },
        )

    def get(self, request, *args, **kwargs):
        return self._render(DelayForm(button=BUTTON))

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        form = DelayForm(request.POST, button=BUTTON)
        if not form.is_valid():
            return self._render(form)
        try:
            interruptions.deployment_report_delay(
                deployment, user=request.user, **form.cleaned_data
            )
        except WorkflowConflict as conflict:
            messages.error(request, conflict.message)
            return redirect(self._back())
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(form)
        messages.success(request, "Delay reported: the RDP and Regions Group staff are told.")
        return redirect(self._back())
