"""Case-study pages: the library (filtered as its API), one study, and the
form a deployment's RDP, Regions Group staff or system leader writes it in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import DetailView, ListView
from rules.contrib.views import PermissionRequiredMixin

from deployments.delivery import selectors, services
from deployments.delivery.filters import CaseStudyFilterSet
from deployments.delivery.forms import CaseStudyForm
from deployments.delivery.views import DeploymentMixin
from portal.views_workflow import apply_validation_error


class CaseStudyListView(PermissionRequiredMixin, ListView):
    permission_required = "deployments.view_case_study"
    raise_exception = True
    template_name = "deployments/delivery/case_study_list.html"
    context_object_name = "studies"

    def get_queryset(self):
        return CaseStudyFilterSet(self.request.GET, queryset=selectors.case_study_list()).qs

    def get_context_data(self, **kwargs):
        from deployments.choices import FocusArea
        from schools.models import Region

        return super().get_context_data(
            focus_areas=FocusArea.choices,
            regions=Region.objects.all(),
            params=self.request.GET,
            **kwargs,
        )


class CaseStudyDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "deployments.view_case_study"
    raise_exception = True
    template_name = "deployments/delivery/case_study_detail.html"
    context_object_name = "study"

    def get_queryset(self):
        return selectors.case_study_list()


class CaseStudyEditView(DeploymentMixin, View):
    template_name = "deployments/delivery/case_study_form.html"

    def get_permission_required(self):
        return ["deployments.write_case_study"]

    def _render(self, form):
        return render(
            self.request, self.template_name, {"deployment": self.get_deployment(), "form": form}
        )

    def get(self, request, *args, **kwargs):
        study = getattr(self.get_deployment(), "case_study", None)
        initial = (
            {
                f: getattr(study, f)
                for f in ("title", "context", "support_carried_out", "impact", "next_steps")
            }
            if study
            else {}
        )
        return self._render(CaseStudyForm(initial=initial))

    def post(self, request, *args, **kwargs):
        deployment = self.get_deployment()
        form = CaseStudyForm(request.POST)
        if not form.is_valid():
            return self._render(form)
        try:
            study = services.case_study_save(deployment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(form)
        messages.success(request, "Case study saved.")
        return redirect("deployments:case-study-detail", study.pk)
