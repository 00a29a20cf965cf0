"""HTML pages: the Guarantees, self-assessments, the public complaint form and
the complaint workflow. Thin: form -> service -> message -> redirect."""

import time

import rules
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from guarantees import forms, selectors, services
from guarantees.models import Complaint, Entitlement, SelfAssessment
from portal.views_workflow import Step, TransitionView, apply_validation_error
from portal.workflow import allowed_transitions, transition_label
from schools.models import School


class _Permission(PermissionRequiredMixin):
    raise_exception = True


# --- the Guarantees --------------------------------------------------------------------------


class GuaranteesView(TemplateView):
    """Both Guarantees in full, from the data loaded from Annex F (public)."""

    template_name = "guarantees/guarantees.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            guarantees=selectors.guarantees_with_entitlements(), **kwargs
        )


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


# --- the public complaint form ---------------------------------------------------------------

SESSION_KEY = "guarantees_complaint"
SENT_KEY = "guarantees_complaint_sent"


def _min_fill_seconds() -> int:
    return getattr(settings, "GUARANTEES_COMPLAINT_MIN_FILL_SECONDS", 5)


def client_ip(request) -> str:
    """The sender's address for the rate limit. Behind N trusted proxies
    (GUARANTEES_TRUSTED_PROXIES), the Nth address from the right of
    X-Forwarded-For: the one our own proxy saw, which the sender cannot forge."""
    proxies = getattr(settings, "GUARANTEES_TRUSTED_PROXIES", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class ComplaintStartView(TemplateView):
    template_name = "guarantees/complaint_start.html"


@method_decorator(never_cache, name="dispatch")
class _Wizard(View):
    """Shared by the question pages and the check-your-answers page. They show
    a visitor's answers (their e-mail, what happened) without a sign-in, which
    `no_store_when_signed_in` does not cover: no browser or proxy keeps them."""

    def answers(self) -> dict:
        return self.request.session.setdefault(SESSION_KEY, {})

    def save(self, answers: dict) -> None:
        self.request.session[SESSION_KEY] = answers
        self.request.session.modified = True

    def school(self, answers):
        return School.objects.filter(pk=answers.get("school_id")).first()

    def entitlements(self, answers):
        return list(selectors.entitlement_queryset().filter(pk__in=answers.get("entitlements", [])))

    def steps(self, answers) -> list[str]:
        steps = ["school"]
        if answers.get("matches"):
            steps.append("school-choice")
        steps += ["guarantee", "entitlements"]
        if any(e.one_to_one_tuition for e in self.entitlements(answers)):
            steps.append("tuition")
        steps += ["what-happened", "about-you", "contact"]
        return steps

    def next_url(self, step: str, answers) -> str:
        if self.request.GET.get("change") and step not in ("school",):
            return reverse("guarantees:complaint-check")
        steps = self.steps(answers)
        index = steps.index(step) if step in steps else len(steps) - 1
        if index + 1 < len(steps):
            return reverse("guarantees:complaint-question", args=[steps[index + 1]])
        return reverse("guarantees:complaint-check")


class ComplaintQuestionView(_Wizard):
    template_name = "guarantees/complaint_question.html"
    forms = {
        "school": forms.SchoolQuestion,
        "school-choice": forms.SchoolChoiceQuestion,
        "guarantee": forms.AmbitionQuestion,
        "entitlements": forms.EntitlementsQuestion,
        "tuition": forms.TuitionQuestion,
        "what-happened": forms.DescriptionQuestion,
        "about-you": forms.RelationshipQuestion,
        "contact": forms.ContactQuestion,
    }

    def dispatch(self, request, *args, step, **kwargs):
        if step not in self.forms:
            raise Http404("No such question.")
        self.step = step
        answers = self.answers()
        answers.setdefault("started_at", time.time())
        self.save(answers)
        if step != "school" and not answers.get("school_id") and step != "school-choice":
            return redirect("guarantees:complaint-question", "school")
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self, answers) -> dict:
        if self.step == "school-choice":
            return {"schools": School.objects.filter(pk__in=answers.get("matches", []))}
        school = self.school(answers)
        applicable = selectors.entitlements_for_school(school) if school else []
        if self.step == "guarantee":
            ambitions = {e.ambition_id: e.ambition for e in applicable}
            return {"ambitions": list(ambitions.values())}
        if self.step == "entitlements":
            chosen = answers.get("ambition")
            return {"entitlements": [e for e in applicable if e.ambition_id == chosen]}
        return {}

    def initial(self, answers) -> dict:
        keys = {
            "school": ("school_text", "school"),
            "school-choice": ("school_id", "school"),
            "guarantee": ("ambition", "ambition"),
            "entitlements": ("entitlements", "entitlements"),
            "tuition": ("concerns_la_tuition", "concerns_la_tuition"),
            "what-happened": ("description", "description"),
            "about-you": ("relationship", "relationship"),
        }
        if self.step == "contact":
            return {"name": answers.get("name", ""), "email": answers.get("email", "")}
        source, field = keys[self.step]
        return {field: answers.get(source)} if answers.get(source) is not None else {}

    def render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"form": form, "step": self.step, "back": self.back_url()},
            status=status,
        )

    def back_url(self) -> str:
        steps = self.steps(self.answers())
        if self.step in steps and steps.index(self.step) > 0:
            return reverse(
                "guarantees:complaint-question", args=[steps[steps.index(self.step) - 1]]
            )
        return reverse("guarantees:complaint-start")

    def get(self, request, *args, **kwargs):
        answers = self.answers()
        form = self.forms[self.step](initial=self.initial(answers), **self.form_kwargs(answers))
        return self.render(form)

    def post(self, request, *args, **kwargs):
        answers = self.answers()
        form = self.forms[self.step](request.POST, **self.form_kwargs(answers))
        if form.is_bot:
            form.is_valid()
            form.add_error(None, forms.HONEYPOT_MESSAGE)
            return self.render(form, status=400)
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        if self.step == "school":
            answers["school_text"] = data["school"]
            if len(form.matches) == 1:
                answers["school_id"] = form.matches[0].pk
                answers["matches"] = []
            else:
                answers["school_id"] = None
                answers["matches"] = [s.pk for s in form.matches]
            answers["entitlements"] = []
            answers["ambition"] = None
        elif self.step == "school-choice":
            answers["school_id"] = data["school"]
        elif self.step == "guarantee":
            if answers.get("ambition") != data["ambition"]:
                answers["entitlements"] = []
            answers["ambition"] = data["ambition"]
        elif self.step == "entitlements":
            answers["entitlements"] = data["entitlements"]
        elif self.step == "tuition":
            answers["concerns_la_tuition"] = data["concerns_la_tuition"]
        elif self.step == "what-happened":
            answers["description"] = data["description"]
        elif self.step == "about-you":
            answers["relationship"] = data["relationship"]
        elif self.step == "contact":
            answers["name"], answers["email"] = data["name"], data["email"]
        self.save(answers)
        if self.step == "school" and answers["matches"]:
            return redirect("guarantees:complaint-question", "school-choice")
        return redirect(self.next_url(self.step, answers))


class ComplaintCheckView(_Wizard):
    template_name = "guarantees/complaint_check.html"

    def missing_step(self, answers) -> str | None:
        needed = {
            "school": answers.get("school_id"),
            "guarantee": answers.get("ambition"),
            "entitlements": answers.get("entitlements"),
            "what-happened": answers.get("description"),
            "about-you": answers.get("relationship"),
            "contact": answers.get("email"),
        }
        if "tuition" in self.steps(answers):
            needed["tuition"] = answers.get("concerns_la_tuition")
        for step in self.steps(answers):
            if step in needed and not needed[step]:
                return step
        return None

    def render(self, answers, form, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "answers": answers,
                "school": self.school(answers),
                "entitlements": self.entitlements(answers),
                "asks_tuition": "tuition" in self.steps(answers),
                "tuition_display": {"yes": "Yes", "no": "No", "unknown": "I do not know"}.get(
                    answers.get("concerns_la_tuition"), ""
                ),
                "relationship_display": dict(Complaint.Relationship.choices).get(
                    answers.get("relationship"), ""
                ),
            },
            status=status,
        )

    def get(self, request):
        answers = self.answers()
        missing = self.missing_step(answers)
        if missing:
            return redirect("guarantees:complaint-question", missing)
        return self.render(answers, forms.CheckAnswersForm())

    def post(self, request):
        answers = self.answers()
        missing = self.missing_step(answers)
        if missing:
            return redirect("guarantees:complaint-question", missing)
        form = forms.CheckAnswersForm(request.POST)
        form.is_valid()
        too_fast = time.time() - float(answers.get("started_at") or 0) < _min_fill_seconds()
        if form.is_bot or too_fast:
            form.add_error(None, forms.HONEYPOT_MESSAGE)
            return self.render(answers, form, status=400)
        try:
            complaint = services.complaint_submit_public(
                school=self.school(answers),
                entitlements=self.entitlements(answers),
                description=answers["description"],
                relationship=answers["relationship"],
                email=answers["email"],
                name=answers.get("name", ""),
                concerns_la_tuition=answers.get("concerns_la_tuition") == "yes",
                ip=client_ip(request),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            limited = (
                any(getattr(e, "code", "") == "rate_limited" for e in exc.error_list)
                if not hasattr(exc, "error_dict")
                else False
            )
            return self.render(answers, form, status=429 if limited else 400)
        request.session.pop(SESSION_KEY, None)
        request.session[SENT_KEY] = {
            "reference": complaint.reference,
            "email": complaint.complainant_email,
        }
        return redirect("guarantees:complaint-sent")


class ComplaintSentView(TemplateView):
    template_name = "guarantees/complaint_sent.html"

    def get(self, request, *args, **kwargs):
        sent = request.session.get(SENT_KEY)
        if not sent:
            return redirect("guarantees:complaint-start")
        return self.render_to_response(self.get_context_data(sent=sent))


class ComplaintConfirmView(View):
    """The link in the e-mail: the complaint reaches the school. GET shows a
    button (mail scanners follow links); POST confirms."""

    template_name = "guarantees/complaint_confirm.html"

    def get(self, request, token):
        return render(request, self.template_name, {"token": token})

    def post(self, request, token):
        try:
            complaint = services.complaint_confirm_email(token=token)
        except ValidationError as exc:
            return render(
                request, self.template_name, {"token": token, "error": exc.messages[0]}, status=400
            )
        return render(request, self.template_name, {"complaint": complaint, "confirmed": True})


class ComplaintStatusView(FormView):
    """The complainant sees where their complaint is, by reference and e-mail."""

    template_name = "guarantees/complaint_status.html"
    form_class = forms.ComplaintStatusForm

    def form_valid(self, form):
        ip = client_ip(self.request)
        if services.complaint_status_lookup_limited(ip=ip):
            form.add_error(None, "Too many attempts. Try again in an hour.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        complaint = selectors.complaint_public_status(
            reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
        )
        if complaint is None or form.is_bot:
            services.complaint_status_lookup_count(ip=ip)
            form.add_error(
                None, "No complaint matches that reference and e-mail address. Check both."
            )
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.render_to_response(self.get_context_data(form=form, complaint=complaint))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
        queryset = selectors.complaint_list_for(self.request.user)
        state = self.request.GET.get("state")
        if state:
            queryset = queryset.filter(state=state)
        return queryset


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
            events=_labelled(complaint),
            can_erase=self.request.user.has_perm("guarantees.erase_complainant_data", complaint)
            and not complaint.is_erased,
            **kwargs,
        )


EVENT_LABELS = {
    "submitted": "Complaint sent from the public form",
    "recorded_on_paper": "Complaint received on paper recorded",
    "local_authority_recorded": "Local authority recorded (one-to-one tuition)",
    "personal_data_erased": "Complainant's details erased on request",
}


def _labelled(complaint):
    """Timeline events with their button text (or a sentence) as the label."""
    events = list(complaint.timeline_events.all())
    for event in events:
        try:
            event.label = EVENT_LABELS.get(event.name) or transition_label(complaint, event.name)
        except ValueError:
            event.label = event.name.replace("_", " ").capitalize()
    return events


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
            return queryset.filter(selectors._contact_schools_q(user, ""))
        return queryset.filter(region_id__in=user.region_ids)

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
