import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from portal.health import health
from portal.models import BackgroundJob
from portal.ratelimit import within_limits
from web.selectors import home_queue_for


class HomeView(PermissionRequiredMixin, TemplateView):
    """Each role's work queue."""

    permission_required = "portal.view_home"
    raise_exception = True
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(queue=home_queue_for(self.request.user), **kwargs)


TOO_MANY_RESETS = "You have asked for too many password reset emails. Wait an hour, then try again."


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password reset, limited per e-mail address and per IP address, so nobody can
    flood an inbox or use the form to send mail in bulk."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        address = hashlib.sha256(email.encode()).hexdigest()
        ip = self.request.META.get("REMOTE_ADDR", "")
        if not within_limits(
            (f"password-reset:address:{address}", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS),
            (f"password-reset:ip:{ip}", settings.PASSWORD_RESET_LIMIT_PER_IP),
            window=60 * 60,
        ):
            form.add_error("email", TOO_MANY_RESETS)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


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


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    """404: JSON under /api/ (a REST client gets the shape the schema documents),
    the GOV.UK page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """403: JSON under /api/, the GOV.UK page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": "You do not have permission to do this."}, status=403)
    return defaults.permission_denied(request, exception)
