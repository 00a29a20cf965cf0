"""The hand-offs the newcomer's walk (test_newcomer_walk_browser.py) found
missing, checked without a browser: finance's home leads to the payment run,
the school's home says when its support finished and was paid, the deployment
page says what is next and what a missing button needs, and a claim's history
reads in words."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from deployments.claims.models import Claim
from deployments.claims.services import claim_approve, claim_create_for_deployment
from tests.deployments.claim_fixtures import accepted_deployment, finance
from tests.deployments.factories import DeploymentFactory
from web.selectors import home_queue_for


def _section(user, title):
    (section,) = [s for s in home_queue_for(user) if s.title == title]
    return section


def test_finance_home_leads_from_approved_claims_to_the_payment_run(db):
    cast = accepted_deployment(days="2.5")
    user = finance()
    assert _section(user, "Approved claims to pay").rows == []

    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    claim_approve(claim, user=user)

    (row,) = _section(user, "Approved claims to pay").rows
    assert row["text"] == f"1 approved claim, £{claim.amount:,.2f}: start a payment run"
    assert row["href"] == reverse("deployments:payment-run-confirm")


def test_the_schools_home_says_its_support_finished_and_was_paid(db):
    cast = accepted_deployment(state="closed")
    deployment = cast.deployment
    deployment.closed_on = dt.date(2024, 7, 15)
    deployment.save(update_fields=["closed_on"])
    claim = claim_create_for_deployment(deployment_id=deployment.pk)
    school = deployment.support_case.school

    (row,) = _section(cast.contact, "Your support").rows
    assert row["text"] == f"{school.name}: Support finished: deployment closed on 15 July 2024"
    assert row["href"] == reverse("deployments:deployment-detail", args=[deployment.pk])

    Claim.objects.filter(pk=claim.pk).update(state=Claim.State.PAID, paid_at=timezone.now())
    (row,) = _section(cast.contact, "Your support").rows
    assert row["text"].endswith("closed on 15 July 2024, the system leader's claim paid")


def test_the_deployment_page_says_what_is_next_and_what_a_missing_button_needs(client_for):
    deployment = DeploymentFactory(state="engaged")
    page = client_for(deployment.system_leader.user).get(
        reverse("deployments:deployment-detail", args=[deployment.pk])
    )
    text = page.content.decode()
    assert "<strong>Next:</strong> Make the first visit and complete the scoping." in text
    assert (
        "Not available yet: Scoping done: start delivery. "
        "Complete the “Scope and diagnostics” section first."
    ) in text


def test_a_claims_history_reads_in_words(client_for):
    cast = accepted_deployment(days="2.5")
    user = finance()
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    claim_approve(claim, user=user, note="Checked.")

    text = client_for(user).get(reverse("deployments:claim-detail", args=[claim.pk]))
    text = text.content.decode()
    assert "<strong>Claim made</strong>" in text and "<strong>Claim approved</strong>" in text
    assert "<strong>created</strong>" not in text and "<strong>Approve the claim" not in text
