"""Pages of a funded partnership's grant: the grant (instalments, evidence,
bank details, the offer letter), the offer letter as a PDF, the partner
trust's bank details and the evidence form. Thin: form -> service -> message
-> redirect, with the API's `rules` permissions. 404 for a grant the user
cannot see, 403 for an action they may never take on it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters
from rules.contrib.views import PermissionRequiredMixin

from deployments.delivery import grants, selectors
from deployments.delivery.api.grant_views import offer_letter_response
from deployments.delivery.grant_forms import GrantBankDetailsForm, GrantEvidenceForm
from deployments.delivery.grant_letter import grant_terms
from deployments.delivery.models import GrantInstalment
from portal.views_workflow import apply_validation_error
from portal.workflow import WorkflowConflict


class GrantMixin(PermissionRequiredMixin):
    permission_required = "deployments.read_enhanced_request"
    raise_exception = True

    def get_grant(self):
        if not hasattr(self, "_grant"):
            self._grant = get_object_or_404(
                selectors.grant_list_for(self.request.user), pk=self.kwargs["pk"]
            )
        return self._grant

    def get_permission_object(self):
        return self.get_grant()


def evidence_choices(grant, user) -> list[str]:
    """The evidence this user may record: all of it for Regions Group staff of
    the region, the partnership report for the partner trust's contact."""
    request = grant.enhanced_request
    if user.has_perm("deployments.record_grant_evidence", request):
        return list(GrantInstalment.Evidence.values)
    if user.has_perm("deployments.send_partnership_report", request):
        return [GrantInstalment.Evidence.PARTNERSHIP_REPORT]
    return []


class GrantDetailView(GrantMixin, View):
    template_name = "deployments/delivery/grant_detail.html"

    def get(self, request, *args, **kwargs):
        grant = self.get_grant()
        user = request.user
        return render(
            request,
            self.template_name,
            {
                "grant": grant,
                "deployment": grant.deployment,
                "instalments": grant.instalments.all(),
                "bank": grant.account if grant.account and grant.account.fingerprint else None,
                "terms": grant_terms(grant),
                "may_read_request": user.has_perm(
                    "deployments.read_enhanced_request", grant.enhanced_request
                ),
                "may_read_letter": user.has_perm("deployments.read_grant_offer_letter", grant),
                "may_change_bank": user.has_perm("deployments.change_grant_bank_details", grant),
                "may_record_evidence": bool(evidence_choices(grant, user)),
            },
        )


class GrantOfferLetterView(GrantMixin, View):
    permission_required = "deployments.read_grant_offer_letter"

    def get(self, request, *args, **kwargs):
        return offer_letter_response(self.get_grant())


@method_decorator(sensitive_post_parameters("sort_code", "account_number"), name="dispatch")
class GrantBankDetailsView(GrantMixin, View):
    permission_required = "deployments.change_grant_bank_details"
    template_name = "deployments/delivery/grant_bank_details.html"

    def _render(self, form, status=200):
        grant = self.get_grant()
        bank = grant.account if grant.account and grant.account.fingerprint else None
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"grant": grant, "form": form, "bank": bank},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        bank = self.get_grant().account
        return self._render(
            GrantBankDetailsForm(initial={"account_name": bank.account_name if bank else ""})
        )

    def post(self, request, *args, **kwargs):
        form = GrantBankDetailsForm(request.POST)
        if form.is_valid():
            try:
                grants.grant_bank_details_save(
                    self.get_grant(), user=request.user, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, "Bank details saved.")
                return redirect("deployments:grant-detail", self.get_grant().pk)
        return self._render(form, status=400)


class GrantEvidenceView(GrantMixin, View):
    """Regions Group staff record any evidence; the partner trust's contact
    sends the partnership report. The last instalment's evidence dated before
    the end of the partnership is refused (409) with the reason on the form."""

    permission_required = "deployments.send_partnership_report"
    template_name = "deployments/delivery/grant_evidence.html"

    def get_permission_object(self):
        return self.get_grant().enhanced_request

    def _form(self, data=None):
        grant = self.get_grant()
        return GrantEvidenceForm(
            data, grant=grant, evidence_choices=evidence_choices(grant, self.request.user)
        )

    def _render(self, form, status=200):
        return render(
            self.request,
            self.template_name,
            {"grant": self.get_grant(), "form": form},
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        grant = self.get_grant()
        instalment = grant.instalments.get(number=form.cleaned_data["instalment"])
        try:
            grants.grant_evidence_record(
                instalment,
                user=request.user,
                evidence=form.cleaned_data["evidence"],
                received_on=form.cleaned_data["received_on"],
            )
        except WorkflowConflict as conflict:
            form.add_error("received_on", conflict.message)
            return self._render(form, status=409)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(form, status=400)
        messages.success(request, "Evidence recorded.")
        return redirect("deployments:grant-detail", grant.pk)
