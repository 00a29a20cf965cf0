"""Public pages, open without signing in: the Guarantees in full and the complaint
form a parent or pupil fills in (its check page, confirmation link and status lookup).
The signed-in pages are in guarantees/views.py."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from guarantees import forms, selectors, services
from guarantees.models import Complaint
from portal.views_workflow import apply_validation_error
from schools.models import School

# --- the Guarantees --------------------------------------------------------------------------


class GuaranteesView(TemplateView):
    """Both Guarantees in full, from the data loaded from Annex F (public)."""

    template_name = "guarantees/guarantees.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            guarantees=selectors.guarantees_with_entitlements(), **kwargs
        )


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
