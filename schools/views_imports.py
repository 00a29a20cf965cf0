"""Import pages: upload a published file, watch its progress, see the result and
download the per-row error report. Admin and Regions Group staff only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from schools import services
from schools.forms import ImportUploadForm
from schools.importers.formats import KIND_LABELS
from schools.importers.selectors import import_job_list

PERMISSION = "schools.import_data"


class ImportListView(PermissionRequiredMixin, ListView):
    permission_required = PERMISSION
    raise_exception = True
    template_name = "schools/imports/import_list.html"
    context_object_name = "jobs"
    paginate_by = 25

    def get_queryset(self):
        return import_job_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for job in context["jobs"]:
            job.kind_label = KIND_LABELS.get(job.params.get("kind"), "")
        return context


class ImportCreateView(PermissionRequiredMixin, FormView):
    permission_required = PERMISSION
    raise_exception = True
    form_class = ImportUploadForm
    template_name = "schools/imports/import_form.html"

    def form_valid(self, form):
        try:
            job = services.import_job_create(
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                user=self.request.user,
            )
        except ValidationError as exc:  # refused before anything is kept
            form.add_error("file", exc)
            return self.form_invalid(form)
        job.refresh_from_db()  # without a worker the import has already run
        if job.status == job.Status.SUCCEEDED:
            messages.success(self.request, "The file was uploaded and imported.")
        elif job.status != job.Status.FAILED:  # a failure shows its own error summary
            messages.success(self.request, "The file was uploaded and is being imported.")
        return redirect("schools:import-detail", pk=job.pk)


class ImportDetailView(PermissionRequiredMixin, DetailView):
    permission_required = PERMISSION
    raise_exception = True
    template_name = "schools/imports/import_detail.html"
    context_object_name = "job"

    def get_queryset(self):
        return import_job_list()


class ImportErrorsView(PermissionRequiredMixin, View):
    """The per-row error report as CSV (row, column, value, problem)."""

    permission_required = PERMISSION
    raise_exception = True

    def get(self, request, pk):
        job = get_object_or_404(import_job_list(), pk=pk)
        if not job.report_file:
            raise Http404("This import has no error report.")
        return FileResponse(
            job.report_file.open("rb"),
            as_attachment=True,
            filename=f"import-{job.pk}-problems.csv",
            content_type="text/csv",
        )
