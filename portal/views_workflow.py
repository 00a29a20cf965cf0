"""One HTML page per workflow transition, shared by every workflow.

A subclass of `TransitionView` names the record kind's view permission
(`permission_required`), the records this user can see (`visible_records`),
where a record's page is (`record_url`) and its steps
(`steps = {"transition_name": Step(service, form_class, success)}`).
GET shows the step's form (or a confirmation); POST checks, in the contract's
order, 404 (not visible), 403 (never allowed to this user: the GOV.UK 403 page),
409 (the state does not allow it now: a page saying so, status 409) and the
form's errors (GOV.UK error summary), then calls
`service(record, user=user, **form.cleaned_data)`, flashes `success` and
redirects to the record's page."""

from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Layout
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.generic import FormView
from rules.contrib.views import PermissionRequiredMixin

from portal.forms import label_optional_fields
from portal.workflow import (
    WorkflowConflict,
    transition_check,
    transition_emailed,
    transition_label,
)


class StepForm(forms.Form):
    """Base for transition forms: GOV.UK layout with the step's button."""

    def __init__(self, *args, button: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        label_optional_fields(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*self.fields.keys(), Button("submit", button))


class NoteForm(StepForm):
    """A step that takes only an optional note for the record's timeline."""

    note = forms.CharField(label="Note", required=False)


@dataclass(frozen=True)
class Step:
    """A transition's page: the service it calls, its form, the flash message, and
    what the person must see before deciding: `facts(record)` gives (label, text)
    rows and `consequences(record)` the sentences of what will happen. A step with
    consequences is a check-your-answers page: the view adds who is e-mailed, from
    the workflow's table (`portal.workflow.transition_emailed`), never in its own words."""

    service: object
    form_class: type[forms.Form] = StepForm
    success: str = "Done."
    facts: Callable | None = None
    consequences: Callable | None = None


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class TransitionView(PermissionRequiredMixin, FormView):
    raise_exception = True
    template_name = "portal/transition_form.html"
    conflict_template_name = "portal/transition_conflict.html"
    steps: dict[str, Step] = {}
    record_noun = "record"

    def visible_records(self, user):
        raise NotImplementedError

    def record_url(self, record) -> str:
        raise NotImplementedError

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.transition = kwargs["transition"].replace("-", "_")
        self.record = None

    def dispatch(self, request, *args, **kwargs):
        if self.transition not in self.steps:
            raise Http404("No such step.")
        if request.user.is_authenticated:
            self.record = self.visible_records(request.user).filter(pk=kwargs["pk"]).first()
            if self.record is None:
                raise Http404(f"No such {self.record_noun}.")
            try:
                transition_check(self.record, self.transition, request.user)
            except WorkflowConflict as conflict:
                return self.conflict(conflict)
        return super().dispatch(request, *args, **kwargs)

    def conflict(self, conflict: WorkflowConflict):
        return render(
            self.request,
            self.conflict_template_name,
            {
                "record": self.record,
                "message": conflict.message,
                "back": self.record_url(self.record),
            },
            status=409,
        )

    @property
    def step(self) -> Step:
        return self.steps[self.transition]

    def get_form_class(self):
        return self.step.form_class

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "button": self.label}

    @property
    def label(self) -> str:
        return transition_label(self.record, self.transition)

    def get_context_data(self, **kwargs):
        step = self.step
        return super().get_context_data(
            record=self.record,
            label=self.label,
            back=self.record_url(self.record),
            record_noun=self.record_noun,
            facts=step.facts(self.record) if step.facts else [],
            consequences=self.consequences(),
            **kwargs,
        )

    def consequences(self) -> list[str]:
        if self.step.consequences is None:
            return []
        emailed = transition_emailed(self.record, self.transition, user=self.request.user)
        return [*self.step.consequences(self.record), emailed]

    def form_valid(self, form):
        try:
            self.step.service(self.record, user=self.request.user, **form.cleaned_data)
        except WorkflowConflict as conflict:
            return self.conflict(conflict)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.step.success)
        return redirect(self.record_url(self.record))
