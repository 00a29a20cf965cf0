"""Writes for a funded trust partnership's grant (guidance section 5): the
grant offer made when DfE approves, the partner trust's bank details, and the
evidence that makes each instalment due (each due instalment becomes a claim
paid to the partner trust, never to the system leader).

Policy figures (total, instalments, months) come from the deployment's
`SupportOffer`. Decisions this module makes where the contract is silent:
- the partner trust must be an open trust other than the supported school's
  own trust (or the supported trust itself): a school in a trust is
  supported through that trust already, and a grant to it is not a
  partnership;
- the partnership starts on or after the deployment was issued and at most
  the offer's `partnership_months` after the approval;
- a partner trust with no active contact on the portal needs
  `partner_contact_email` at approval: the portal invites that person as the
  trust's `school_contact` (set-password e-mail) so that someone receives the
  offer letter, gives the bank details and sends the report."""

import calendar
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from deployments.delivery import crypto
from deployments.delivery.models import (
    EnhancedRequest,
    GrantBankDetails,
    GrantInstalment,
    PartnershipGrant,
)
from deployments.delivery.sections import SECTIONS, _clean_value
from portal import scoping
from portal.emails import email_context
from portal.models import Role, User
from portal.notify import email_queue
from portal.text import money
from portal.workflow import WorkflowConflict, timeline_record
from schools.selectors import UNKNOWN_TRUST, trust_find

NO_PARTNER_TRUST = "Name the partner trust before approving."
TRUST_NOT_OPEN = "The partner trust must be an open trust."
OWN_TRUST = "The partner trust must be another trust than the school's own."
CONTACT_NEEDED = (
    "The partner trust has no contact on the portal: give an e-mail address to invite one."
)
CONTACT_OF_OTHER = "This person already has an account that is not a contact of the partner trust."
LAST_INSTALMENT_EARLY = (
    "The last instalment is paid at the end of the partnership: its evidence must be "
    "dated on or after {ends_on}."
)


def grant_ends_on(starts_on: dt.date, months: int) -> dt.date:
    """`months` calendar months on (31 January + 1 month is 28 or 29 February)."""
    index = starts_on.month - 1 + months
    year, month = starts_on.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(starts_on.day, calendar.monthrange(year, month)[1]))


def grant_approval_check(
    request: EnhancedRequest,
    *,
    partner_trust_uid="",
    starts_on=None,
    partner_contact_email="",
    today: dt.date,
) -> dict:
    """Check a funded partnership's approval values before the transition runs;
    answers the values `grant_create` takes. Raises ValidationError by field."""
    from schools.models import Trust

    deployment, offer = request.deployment, request.deployment.offer
    errors = {}
    trust = None
    if partner_trust_uid:
        trust = trust_find(partner_trust_uid)
        if trust is None:
            errors["partner_trust_uid"] = UNKNOWN_TRUST
    else:
        trust = request.suggested_trust
        if trust is None:
            errors["partner_trust_uid"] = NO_PARTNER_TRUST
    if trust is not None and "partner_trust_uid" not in errors:
        school = deployment.school
        own = {deployment.trust_id, school.trust_id if school else None} - {None}
        if trust.status != Trust.Status.OPEN:
            errors["partner_trust_uid"] = TRUST_NOT_OPEN
        elif trust.pk in own:
            errors["partner_trust_uid"] = OWN_TRUST
    starts_on = starts_on or today
    latest = grant_ends_on(today, offer.partnership_months)
    if not (deployment.issued_on <= starts_on <= latest):
        errors["starts_on"] = (
            f"The partnership must start between {deployment.issued_on:%-d %B %Y} (when the "
            f"deployment was issued) and {latest:%-d %B %Y}."
        )
    email = (partner_contact_email or "").strip().lower()
    if trust is not None and "partner_trust_uid" not in errors:
        existing = User.objects.filter(email=email).first() if email else None
        if existing is not None and not (
            existing.role == Role.SCHOOL_CONTACT and existing.trust_id == trust.pk
        ):
            errors["partner_contact_email"] = CONTACT_OF_OTHER
        elif not email and not scoping.contacts_of(trust).exists():
            errors["partner_contact_email"] = CONTACT_NEEDED
    if errors:
        raise ValidationError(errors)
    return {"trust": trust, "starts_on": starts_on, "contact_email": email}


def grant_create(
    request: EnhancedRequest, *, trust, starts_on: dt.date, contact_email="", user=None
) -> PartnershipGrant:
    """The grant offer and its instalments (inside the approval's transaction):
    the offer's total in its instalments, the first on the signed grant offer,
    the last at the end of the partnership. Invites the trust's contact when
    asked and e-mails the offer letter to the trust's contacts."""
    offer = request.deployment.offer
    months = offer.partnership_months
    grant = PartnershipGrant.objects.create(
        enhanced_request=request,
        partner_trust=trust,
        starts_on=starts_on,
        ends_on=grant_ends_on(starts_on, months),
        months=months,
        total=offer.partnership_grant,
    )
    count = offer.partnership_instalments
    for number in range(1, count + 1):
        if number == 1:
            condition = "On receipt of a signed grant offer confirming a signed SLA is in place."
            needs = [GrantInstalment.Evidence.SIGNED_GRANT_OFFER]
        elif number == count:
            condition = (
                "At the end of the partnership, on the trust's report of the activities "
                "and the school's confirmation they went ahead as described."
            )
            needs = [
                GrantInstalment.Evidence.PARTNERSHIP_REPORT,
                GrantInstalment.Evidence.SCHOOL_CONFIRMATION,
            ]
        else:
            condition = "On the trust's interim report of the activities."
            needs = [GrantInstalment.Evidence.PARTNERSHIP_REPORT]
        # Each the offer's instalment amount; the last takes what rounding left.
        amount = (
            offer.instalment_amount
            if number < count
            else grant.total - offer.instalment_amount * (count - 1)
        )
        GrantInstalment.objects.create(
            grant=grant,
            number=number,
            amount=amount,
            condition=condition,
            needs=[str(n) for n in needs],
        )
    if contact_email and not User.objects.filter(email=contact_email).exists():
        from portal.services import user_invite

        user_invite(
            invited_by=user,
            email=contact_email,
            full_name=f"{trust.name} contact",
            role=Role.SCHOOL_CONTACT,
            trust=trust,
        )
    timeline_record(
        request,
        name="grant_offered",
        by=user,
        note=f"{money(grant.total)} to {trust.name}, {starts_on:%-d %B %Y} to "
        f"{grant.ends_on:%-d %B %Y}",
    )
    email_queue(
        to=scoping.contact_emails(trust),
        template="partnership_grant_offered",
        context=grant_email_context(grant),
    )
    return grant


def grant_email_context(grant: PartnershipGrant, **extra) -> dict:
    deployment = grant.enhanced_request.deployment
    return email_context(
        trust_name=grant.partner_trust.name,
        target_name=str(deployment.target.name),
        total=money(grant.total),
        months=grant.months,
        starts_on=grant.starts_on,
        ends_on=grant.ends_on,
        instalments=[
            {"number": i.number, "amount": money(i.amount), "condition": i.condition}
            for i in grant.instalments.order_by("number")
        ],
        letter_url=grant.offer_letter_path,
        grant_url=reverse("deployments:grant-detail", args=[grant.pk]),
        **extra,
    )


def _is_last(instalment: GrantInstalment) -> bool:
    return not instalment.grant.instalments.filter(number__gt=instalment.number).exists()


def grant_evidence_record(instalment, *, user, evidence, received_on):
    """Record that a piece of evidence arrived; the instalment's condition is
    met when everything it needs is in, and its claim is made. Regions Group
    staff of the region record any evidence; the partner trust's contact sends
    the partnership report. The last instalment is paid at the end of the
    partnership: its evidence dated before `ends_on` is a conflict (409)."""
    grant = instalment.grant
    request = grant.enhanced_request
    perm = (
        "deployments.send_partnership_report"
        if evidence == GrantInstalment.Evidence.PARTNERSHIP_REPORT
        else "deployments.record_grant_evidence"
    )
    if not user.has_perm(perm, request):
        raise PermissionDenied("You cannot record this grant evidence.")
    if evidence not in instalment.needs:
        raise ValidationError({"evidence": "This instalment does not need that evidence."})
    if received_on is None:
        raise ValidationError({"received_on": "Enter the date it was received."})
    today = timezone.localdate()
    if received_on > today or received_on < grant.starts_on:
        raise ValidationError(
            {"received_on": "The date must be between the grant's start and today."}
        )
    if _is_last(instalment) and received_on < grant.ends_on:
        raise WorkflowConflict(
            LAST_INSTALMENT_EARLY.format(ends_on=f"{grant.ends_on:%-d %B %Y}"),
            state=request.state,
        )
    with transaction.atomic():
        locked = GrantInstalment.objects.select_for_update().get(pk=instalment.pk)
        locked.received = {**locked.received, evidence: received_on.isoformat()}
        now_met = locked.condition_met_on is None and all(
            n in locked.received for n in locked.needs
        )
        if now_met:
            locked.condition_met_on = max(
                dt.date.fromisoformat(locked.received[n]) for n in locked.needs
            )
        locked.save()
        if now_met:
            from deployments.claims.services import claim_queue_for_instalment

            claim_queue_for_instalment(locked)
        timeline_record(
            request,
            name="grant_evidence",
            by=user,
            note=f"Instalment {locked.number}: {GrantInstalment.Evidence(evidence).label}",
        )
    return locked


BANK_FIELDS = {spec.name: spec for spec in SECTIONS["bank_details"].fields}


@sensitive_variables("data", "values", "sort_code", "account_number")
def grant_bank_details_save(grant: PartnershipGrant, *, user, data: dict) -> GrantBankDetails:
    """The partner trust's account (all three fields, validated as the
    deployment form's section 5, stored encrypted). The grant's claims still
    waiting for review are checked again."""
    if not user.has_perm("deployments.change_grant_bank_details", grant):
        raise PermissionDenied("Only the partner trust's contact or Regions Group staff may.")
    errors, values = {}, {}
    for name, spec in BANK_FIELDS.items():
        value = data.get(name)
        if value in (None, ""):
            errors[name] = f"Enter the {spec.label.lower()}."
            continue
        try:
            values[name] = _clean_value(spec, value, grant.deployment)
        except ValidationError as exc:
            errors[name] = exc.messages[0]
    name_limit = GrantBankDetails._meta.get_field("account_name").max_length
    if len(values.get("account_name", "")) > name_limit:
        errors["account_name"] = (
            f"The name on the account must be {name_limit} characters or fewer."
        )
    if errors:
        raise ValidationError(errors)
    sort_code, account_number = values["sort_code"], values["account_number"]
    with transaction.atomic():
        bank, _ = GrantBankDetails.objects.select_for_update().get_or_create(grant=grant)
        bank.account_name = values["account_name"]
        bank.sort_code_encrypted = crypto.encrypt(sort_code)
        bank.sort_code_last2 = sort_code[-2:]
        bank.account_number_encrypted = crypto.encrypt(account_number)
        bank.account_number_last4 = account_number[-4:]
        bank.fingerprint = crypto.fingerprint(sort_code, account_number)
        bank.changed_at = timezone.now()
        bank.changed_by = user
        bank.save()
        timeline_record(
            grant.enhanced_request,
            name="grant_bank_details_saved",
            by=user,
            note=f"Bank details of {grant.partner_trust.name} saved.",
        )
        from deployments.claims.services import claims_check_again

        claims_check_again(instalment__grant=grant)
    return bank
