"""Eligibility pages: thin views (form -> service -> message -> redirect)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from deployments import selectors, services
from deployments.filters import (
    ELIGIBILITY_PAGE_FILTERS,
    NO_SUCH_ROW,
    EligibilityFilterSet,
    ExceptionRequestFilterSet,
)
from deployments.forms import (
    ExceptionDecisionForm,
    ExceptionRequestForm,
    RdAssessmentForm,
    RecomputeForm,
)
from deployments.jobs import job_page_url
from deployments.models import EligibilityAssessment, ExceptionRequest
from portal.jobs import job_list_for
from portal.spreadsheets import XlsxBook, csv_writer
from portal.views_workflow import apply_validation_error
from schools.models import School, Trust

EXPORT_COLUMNS = (
    "Name",
    "URN or group UID",
    "School or trust",
    "Region",
    "Criterion",
    "Run length",
    "Latest judgement",
    "Latest inspection",
    "Trust",
    "Support through the Trust CEO",
    "Status",
    "Support pipeline",
    "Predecessor inspections used",
    "Computed at",
)


class _Permission(PermissionRequiredMixin):
    raise_exception = True


class _FilteredAssessments:
    """Shared by the list page and its exports: the list's FilterSet over the
    page's parameters, which open on the current offer, the user's first region
    and the eligible rows."""

    def filterset(self, queryset) -> EligibilityFilterSet:
        data = self.request.GET.copy()
        if not data.get("offer"):
            offer = selectors.offer_current()
            if offer is not None:
                data["offer"] = str(offer.pk)
        if "region" not in data and self.request.user.region_ids:
            data["region"] = str(min(self.request.user.region_ids))
        if not data.get("status"):
            data["status"] = EligibilityAssessment.Status.ELIGIBLE
        return EligibilityFilterSet(data, queryset=queryset)


class EligibilityListView(_Permission, _FilteredAssessments, ListView):
    """Eligible schools and trusts for a region, with filters, sorting and exports."""

    permission_required = "deployments.view_eligibility"
    template_name = "deployments/eligibility_list.html"
    context_object_name = "assessments"
    paginate_by = 50

    def get_queryset(self):
        filterset = self.filterset(selectors.assessment_rows())
        rows = filterset.qs
        self.form = filterset.form
        for name in set(self.form.fields) - set(ELIGIBILITY_PAGE_FILTERS):
            # Read but not shown (the API's school and trust; the headers' sort).
            del self.form.fields[name]
            self.form.errors.pop(name, None)
        return rows

    def get_context_data(self, **kwargs):
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        chosen = {
            name: value
            for name, value in self.form.cleaned_data.items()
            if value is not NO_SUCH_ROW
        }
        return super().get_context_data(
            form=self.form,
            offer=chosen.get("offer"),
            region=chosen.get("region"),
            export_query=self.form.data.urlencode(),
            filtered=any(k in self.request.GET for k in ("q", "criterion", "kind", "trust_ceo")),
            default_sort=selectors.DEFAULT_SORT,
            can_recompute=user.has_perm("deployments.start_recompute"),
            can_record_rd=user.has_perm("deployments.record_rd_assessment"),
            can_request_exception=user.has_perm("deployments.request_exception"),
            pending_exceptions=selectors.exception_request_list_for(
                user, status=ExceptionRequest.Status.PENDING
            ).count(),
            **kwargs,
        )


def _export_row(a: EligibilityAssessment) -> list:
    target = a.target
    school_trust = a.school.trust if a.school_id and a.school.trust_id else None
    return [
        target.name,
        a.school.urn if a.school_id else a.trust.uid,
        "School" if a.school_id else "Trust",
        a.region.name if a.region_id else "",
        a.get_criterion_display(),
        a.run_label,
        selectors.GRADE_NAMES.get(a.latest_grade, ""),
        a.latest_inspection_date.isoformat() if a.latest_inspection_date else "",
        school_trust.name if school_trust else "",
        "Yes" if a.through_trust_ceo else "No",
        a.get_status_display(),
        a.pipeline_status,
        "Yes" if a.predecessor_used else "No",
        a.computed_at.strftime("%Y-%m-%d %H:%M"),
    ]


class EligibilityExportView(_Permission, _FilteredAssessments, TemplateView):
    """The filtered list as CSV or XLSX (all pages)."""

    permission_required = "deployments.view_eligibility"

    def get(self, request, *args, fmt, **kwargs):
        rows = self.filterset(selectors.assessments()).qs
        if fmt == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="eligible-schools.csv"'
            writer = csv_writer(response)
            writer.writerow(EXPORT_COLUMNS)
            writer.writerows(_export_row(row) for row in rows.iterator(chunk_size=2000))
            return response
        book = XlsxBook()
        sheet = book.sheet("Eligibility")
        sheet.append(EXPORT_COLUMNS)
        for row in rows.iterator(chunk_size=2000):
            sheet.append(_export_row(row))
        response = HttpResponse(
            book.to_bytes(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="eligible-schools.xlsx"'
        return response


class EligibilityDetailView(_Permission, TemplateView):
    """One school's or trust's eligibility: the explanation, evidence and history."""

    permission_required = "deployments.view_eligibility"
    template_name = "deployments/eligibility_detail.html"

    def get_context_data(self, **kwargs):
        school = trust = None
        if "urn" in self.kwargs:
            school = get_object_or_404(
                School.objects.select_related("trust", "region"), urn=self.kwargs["urn"]
            )
        else:
            trust = get_object_or_404(Trust, uid=self.kwargs["uid"])
        target = school or trust
        user = self.request.user
        offer = selectors.offer_current()
        summary = selectors.eligibility_summary(school=school, trust=trust, offer=offer)
        for assessment in summary.assessments:
            assessment.shown_evidence = selectors.evidence_for(user, assessment)
        history = selectors.assessment_history_for(school=school, trust=trust)
        open_case, can_open_case = _support_case_for(user, summary)
        return super().get_context_data(
            open_case=open_case,
            can_open_case=can_open_case,
            school=school,
            trust=trust,
            target=target,
            offer=offer,
            summary=summary,
            history=history,
            can_record_rd=user.has_perm("deployments.record_rd_assessment", target),
            can_request_exception=user.has_perm("deployments.request_exception", target),
            **kwargs,
        )


def _support_case_for(user, summary):
    """(the live case the user can see, or None; the eligible assessment to
    open a case from when the user may and none is live, or None)."""
    from deployments.matching.models import SupportCase
    from deployments.matching.selectors import support_case_visible_to

    eligible = [a for a in summary.assessments if a.status == EligibilityAssessment.Status.ELIGIBLE]
    if not eligible:
        return None, None
    first = eligible[0]
    live = (
        SupportCase.objects.filter(
            offer_id=first.offer_id, school_id=first.school_id, trust_id=first.trust_id
        )
        .exclude(state__in=SupportCase.REOPENABLE_STATES)
        .first()
    )
    if live is not None:
        visible = support_case_visible_to(user).filter(pk=live.pk).first()
        return visible, None
    return None, (first if user.has_perm("deployments.case_open", first) else None)


class RecomputeView(_Permission, FormView):
    """Regions Group staff start a full recompute and watch its progress bar."""

    permission_required = "deployments.start_recompute"
    template_name = "deployments/recompute.html"
    form_class = RecomputeForm

    def get_initial(self):
        offer = selectors.offer_current()
        return {"offer": offer.pk if offer else None}

    def get_context_data(self, **kwargs):
        jobs = [
            (job, job_page_url(job))
            for job in job_list_for(self.request.user).filter(kind=services.RECOMPUTE_JOB_KIND)[:5]
        ]
        return super().get_context_data(recent_jobs=jobs, **kwargs)

    def form_valid(self, form):
        job = services.eligibility_recompute_start(
            user=self.request.user, offer=form.cleaned_data["offer"]
        )
        return redirect(job_page_url(job))


class _TargetFormView(_Permission, FormView):
    """Shared by the RD assessment and exception request forms."""

    def get_initial(self):
        initial = super().get_initial()
        if urn := self.request.GET.get("urn"):
            initial.update(target_kind="school", urn=urn)
        elif uid := self.request.GET.get("trust"):
            initial.update(target_kind="trust", trust_uid=uid)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(offer=selectors.offer_current(), **kwargs)

    def form_valid(self, form):
        target = form.target
        if not self.request.user.has_perm(self.permission_required, target):
            raise PermissionDenied
        offer = self.offer_for(form)
        if offer is None:
            return self.form_invalid(form)
        try:
            self.save(form, offer)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message.format(target=target.name))
        return redirect(_detail_url(target))

    def offer_for(self, form):
        offer = selectors.offer_current()
        if offer is None:
            form.add_error(None, "There is no offer to record this against yet.")
        return offer


def _detail_url(target) -> str:
    if isinstance(target, School):
        return reverse("deployments:school-eligibility", args=[target.urn])
    return reverse("deployments:trust-eligibility", args=[target.uid])


class RdAssessmentCreateView(_TargetFormView):
    """Criterion C: the Regional Director records an assessment."""

    permission_required = "deployments.record_rd_assessment"
    template_name = "deployments/rd_assessment_form.html"
    form_class = RdAssessmentForm
    success_message = "Assessment recorded: {target} is now eligible under criterion C."

    def offer_for(self, form):
        """The offer of the academic year the assessment date falls in."""
        offer = selectors.offer_for_date(form.cleaned_data["assessed_on"])
        if offer is None:
            form.add_error("assessed_on", services.NO_OFFER_FOR_DATE)
        return offer

    def save(self, form, offer):
        data = form.cleaned_data
        services.rd_assessment_record(
            user=self.request.user,
            offer=offer,
            school=data["school"],
            trust=data["trust"],
            reason=data["reason"],
            assessed_on=data["assessed_on"],
        )


class ExceptionRequestCreateView(_TargetFormView):
    permission_required = "deployments.request_exception"
    template_name = "deployments/exception_request_form.html"
    form_class = ExceptionRequestForm
    success_message = (
        "Request sent: Regions Group staff will decide whether {target} "
        "can have support by exception."
    )

    def save(self, form, offer):
        data = form.cleaned_data
        services.exception_request_create(
            user=self.request.user,
            offer=offer,
            school=data["school"],
            trust=data["trust"],
            source=data["source"],
            reason=data["reason"],
        )


class ExceptionRequestListView(_Permission, ListView):
    permission_required = "deployments.view_exception_request"
    template_name = "deployments/exception_request_list.html"
    context_object_name = "exception_requests"
    paginate_by = 50

    def get_queryset(self):
        # The page opens on the requests waiting for a decision; a status that is
        # none of the choices shows every request (the FilterSet skips it).
        params = self.request.GET.copy()
        params.setdefault("status", ExceptionRequest.Status.PENDING)
        self.status = params["status"]
        return ExceptionRequestFilterSet(
            params, queryset=selectors.exception_request_list_for(self.request.user)
        ).qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            status=self.status, statuses=ExceptionRequest.Status.choices, **kwargs
        )


class ExceptionRequestDetailView(_Permission, FormView):
    """A request and, for Regions Group staff of its region, the approval step."""

    permission_required = "deployments.view_exception_request"
    template_name = "deployments/exception_request_detail.html"
    form_class = ExceptionDecisionForm

    def get_permission_object(self):
        visible = selectors.exception_request_list_for(self.request.user)
        self.exception_request = visible.filter(pk=self.kwargs["pk"]).first()
        if self.exception_request is None:
            raise Http404("No such request.")
        return self.exception_request

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("deployments.approve_exception", self.exception_request):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        exception_request = self.exception_request
        return super().get_context_data(
            exception_request=exception_request,
            can_decide=exception_request.is_pending
            and self.request.user.has_perm("deployments.approve_exception", exception_request),
            **kwargs,
        )

    def form_valid(self, form):
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.exception_request_decide(
                exception_request=self.exception_request,
                user=self.request.user,
                approve=approve,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        target = self.exception_request.target
        messages.success(
            self.request,
            f"Request approved: {target.name} is eligible by exception."
            if approve
            else f"Request declined for {target.name}.",
        )
        return redirect("deployments:exception-detail", self.exception_request.pk)
