"""Signed-in HTML pages: self-assessments and the complaint workflow for staff and
schools. Thin: form -> service -> message -> redirect. The public pages (the
Guarantees, the complaint form) are in guarantees/views_public.py."""

import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from guarantees import forms, selectors, services
from guarantees.filters import ComplaintFilterSet
from guarantees.models import Entitlement, SelfAssessment
from portal import scoping
from portal.views_workflow import Step, TransitionView, apply_validation_error
from portal.workflow import allowed_transitions, labelled_timeline, transition_label
from schools.models import School


class _Permission(PermissionRequiredMixin):
    raise_exception = True


# --- self-assessments ------------------------------------------------------------------------


class SelfAssessmentView(_Permission, TemplateView):
    """A school's self-assessment for a year: a form for the school's contact
    while it is a draft, a read-only page for everyone else who may read it."""

    permission_required = "guarantees.view_self_assessment"
    template_name = "guarantees/self_assessment.html"

    def get_permission_object(self):
        self.school = get_object_or_404(School, urn=self.kwargs["urn"])
        self.year = int(self.kwargs.get("year") or selectors.academic_year_of())
        return self.school

    def _context(self, form=None, **kwargs):
        assessment = selectors.self_assessment_for(self.school, self.year)
        can_edit = rules.has_perm("guarantees.edit_self_assessment", self.request.user, self.school)
        editable = (
            can_edit and assessment is not None and assessment.state == SelfAssessment.State.DRAFT
        )
        if editable and form is None:
            form = forms.SelfAssessmentForm(
                rows=assessment.ratings.select_related("entitlement__ambition__guarantee"),
                initial={
                    "link_governor_name": assessment.link_governor_name,
                    "link_governor_email": assessment.link_governor_email,
                },
            )
        return {
            "school": self.school,
            "year": self.year,
            "academic_year": f"{self.year}/{(self.year + 1) % 100:02d}",
            "assessment": assessment,
            "can_edit": can_edit,
            "editable": editable,
            "form": form,
            "summary": selectors.self_assessment_summary(assessment) if assessment else [],
            "ratings": (
                assessment.ratings.select_related("entitlement__ambition__guarantee")
                if assessment
                else []
            ),
            **kwargs,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**{**kwargs, **self._context()})

    def post(self, request, *args, **kwargs):
        if not rules.has_perm("guarantees.edit_self_assessment", request.user, self.school):
            raise PermissionDenied
        if request.POST.get("action") == "start":
            services.self_assessment_start(school=self.school, year=self.year, user=request.user)
            return redirect(request.path)
        assessment = selectors.self_assessment_for(self.school, self.year)
        if assessment is None:
            raise Http404("Start the self-assessment first.")
        rows = assessment.ratings.select_related("entitlement__ambition__guarantee")
        form = forms.SelfAssessmentForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                services.self_assessment_save(
                    assessment=assessment,
                    user=request.user,
                    ratings=form.ratings(),
                    link_governor_name=form.cleaned_data["link_governor_name"],
                    link_governor_email=form.cleaned_data["link_governor_email"],
                )
                if request.POST.get("action") == "submit":
                    services.self_assessment_submit(assessment=assessment, user=request.user)
                    messages.success(request, "Self-assessment submitted.")
                else:
                    messages.success(request, "Self-assessment saved. You can come back to it.")
                return redirect(request.path)
            except ValidationError as exc:
                apply_validation_error(form, exc)
        return render(request, self.template_name, self._context(form=form), status=400)


# --- complaints for staff --------------------------------------------------------------------


def _refuse_roles_without(user, perm: str) -> None:
    """403 for a role that can never hold `perm`, before any 404 (as the API)."""
    if not user.has_perm(perm):
        raise PermissionDenied


class ComplaintListView(_Permission, ListView):
    permission_required = "guarantees.read_complaint"
    template_name = "guarantees/complaint_list.html"
    context_object_name = "complaints"
    paginate_by = 50

    def get_queryset(self):
        return ComplaintFilterSet(
            self.request.GET, queryset=selectors.complaint_list_for(self.request.user)
        ).qs


class _OneComplaint(_Permission):
    """A complaint this user may read (else 404), checked against `permission_required`."""

    def get_permission_object(self):
        _refuse_roles_without(self.request.user, self.permission_required)
        self.complaint = (
            selectors.complaint_list_for(self.request.user).filter(pk=self.kwargs["pk"]).first()
        )
        if self.complaint is None:
            raise Http404("No such complaint.")
        return self.complaint


class ComplaintDetailView(_OneComplaint, TemplateView):
    permission_required = "guarantees.read_complaint"
    template_name = "guarantees/complaint_detail.html"

    def get_context_data(self, **kwargs):
        complaint = self.complaint
        names = allowed_transitions(complaint, self.request.user)
        return super().get_context_data(
            complaint=complaint,
            transitions=[(name, transition_label(complaint, name)) for name in names],
            events=labelled_timeline(complaint, complaint.timeline_events.all()),
            can_erase=self.request.user.has_perm("guarantees.erase_complainant_data", complaint)
            and not complaint.is_erased,
            **kwargs,
        )


class ComplaintTransitionView(TransitionView):
    permission_required = "guarantees.read_complaint"
    record_noun = "complaint"
    steps = {
        "acknowledge": Step(
            services.complaint_acknowledge, forms.NoteStep, "Complaint acknowledged."
        ),
        "school_resolves": Step(
            services.complaint_school_resolves, forms.ResolveStep, "Resolution recorded."
        ),
        "refer_to_governing_body": Step(
            services.complaint_refer_to_governing_body,
            forms.GoverningBodyReferralStep,
            "Referred to the governing body.",
        ),
        "governing_body_decides": Step(
            services.complaint_governing_body_decides,
            forms.ResolveStep,
            "The governing body's decision is recorded.",
        ),
        "refer_to_ombudsman": Step(
            services.complaint_refer_to_ombudsman,
            forms.OmbudsmanReferralStep,
            "Referral to the Ombudsman recorded.",
        ),
        "ombudsman_recommends": Step(
            services.complaint_ombudsman_recommends,
            forms.RecommendationStep,
            "The Ombudsman's recommendation is recorded.",
        ),
        "secretary_of_state_directs": Step(
            services.complaint_secretary_of_state_directs,
            forms.DirectionStep,
            "The Secretary of State's direction is recorded.",
        ),
        "school_complies": Step(
            services.complaint_school_complies,
            forms.NoteStep,
            "Complaint closed: the school complied.",
        ),
        "close": Step(services.complaint_close, forms.NoteStep, "Complaint closed."),
        "withdraw": Step(services.complaint_withdraw, forms.ReasonStep, "Complaint withdrawn."),
        "mark_vexatious": Step(
            services.complaint_mark_vexatious, forms.ReasonStep, "Complaint marked vexatious."
        ),
    }

    def get_permission_object(self):
        return self.record

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            _refuse_roles_without(request.user, self.permission_required)
        return super().dispatch(request, *args, **kwargs)

    def visible_records(self, user):
        return selectors.complaint_list_for(user)

    def record_url(self, record) -> str:
        return reverse("guarantees:complaint-detail", args=[record.pk])


class PaperComplaintView(_Permission, FormView):
    permission_required = "guarantees.record_paper_complaint"
    template_name = "guarantees/complaint_paper.html"
    form_class = forms.PaperComplaintForm

    def schools(self):
        user = self.request.user
        queryset = School.objects.filter(status__in=School.OPEN_STATUSES)
        if user.school_id or user.trust_id:
            return queryset.filter(scoping.schools_acted_for_q(user))
        return queryset.filter(scoping.in_users_regions_q(user))

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "schools": self.schools(),
            "entitlements": selectors.entitlement_queryset(),
        }

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        school = data.pop("school")
        data["entitlements"] = list(Entitlement.objects.filter(pk__in=data["entitlements"]))
        try:
            complaint = services.complaint_record_paper(
                user=self.request.user, school=school, **data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Complaint {complaint.reference} recorded.")
        return redirect("guarantees:complaint-detail", complaint.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ComplaintEraseView(_OneComplaint, FormView):
    permission_required = "guarantees.erase_complainant_data"
    template_name = "guarantees/complaint_erase.html"
    form_class = forms.EraseForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(complaint=self.complaint, **kwargs)

    def form_valid(self, form):
        services.complaint_erase_personal_data(
            self.complaint, user=self.request.user, note=form.cleaned_data["note"]
        )
        messages.success(self.request, "The complainant's details have been erased.")
        return redirect("guarantees:complaint-detail", self.complaint.pk)
