from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.health import health
from portal.models import BackgroundJob
from portal.selectors import home_queue_for


class HomeView(TemplateView):
    """Each role's work queue."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(queue=home_queue_for(self.request.user), **kwargs)


@login_not_required
@never_cache
def health_view(request):
    report = health()
    return JsonResponse(report, status=200 if report["ok"] else 503)


class JobDetailView(PermissionRequiredMixin, DetailView):
    """A job's progress page: polls the progress endpoint until it finishes."""

    model = BackgroundJob
    permission_required = "portal.view_job"
    template_name = "portal/job_detail.html"
    context_object_name = "job"
    raise_exception = True


class JobProgressView(PermissionRequiredMixin, DetailView):
    model = BackgroundJob
    permission_required = "portal.view_job"
    raise_exception = True

    def render_to_response(self, context):
        return JsonResponse(job_progress_payload(self.object))

    def get_object(self, queryset=None):
        return get_object_or_404(BackgroundJob, pk=self.kwargs["pk"])


def job_progress_payload(job: BackgroundJob) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "status_display": job.get_status_display(),
        "progress": job.progress,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "finished": job.is_finished,
        "result_url": job.result.get("result_url", ""),
    }
