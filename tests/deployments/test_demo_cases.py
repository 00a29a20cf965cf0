"""seed_demo walks demo support cases through the real workflow, so each demo
login has something to do when it signs in."""

import io

import pytest
from django.core.management import call_command

from deployments.delivery.models import Deployment
from deployments.matching.models import SupportCase
from portal.models import User
from web.selectors import home_queue_for


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())


def _home_text(email: str) -> str:
    user = User.objects.get(email=email)
    return " ".join(row["text"] for section in home_queue_for(user) for row in section.rows)


def test_the_demo_has_a_case_for_the_contacts_school_and_an_issued_deployment(seeded):
    contact = User.objects.get(email="school.contact@example.org")
    own = SupportCase.objects.get(school=contact.school)
    assert own.state == SupportCase.State.SYSTEM_LEADER_CHECK
    assert own.system_leader.user.email == "system.leader@example.org"
    issued = SupportCase.objects.get(
        state=SupportCase.State.DEPLOYMENT_ISSUED, deployments__state=Deployment.State.ISSUED
    )
    deployment = Deployment.objects.get(support_case=issued)
    assert deployment.system_leader == own.system_leader
    assert [e.name for e in issued.timeline_events.all()][-1] == "issue_deployment"


def test_the_demo_system_leader_and_school_contact_find_work_on_their_home_page(seeded):
    contact = User.objects.get(email="school.contact@example.org")
    deployment = Deployment.objects.get(state=Deployment.State.ISSUED)
    leader_home = _home_text("system.leader@example.org")
    assert contact.school.name in leader_home  # the request to answer
    assert f"{deployment.school.name}: Arrange the initial meeting" in leader_home  # its step
    assert contact.school.name in _home_text("school.contact@example.org")


def test_seeding_again_adds_no_case(seeded):
    cases, deployments = SupportCase.objects.count(), Deployment.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert (SupportCase.objects.count(), Deployment.objects.count()) == (cases, deployments)


def test_the_demo_has_finished_deployments_with_every_outcome(seeded):
    from deployments.oversight.outcomes import OUTCOMES, outcome_list

    assert set(outcome_list().values_list("outcome", flat=True)) == set(OUTCOMES)


def test_finance_finds_claims_at_every_stage_on_a_fresh_demo(seeded):
    from deployments.claims.models import Claim, PaymentRun

    states = list(Claim.objects.values_list("state", flat=True))
    assert {"pending_review", "approved", "paid"} <= set(states)
    assert PaymentRun.objects.get().state == PaymentRun.State.COMPLETED
    # The finished deployments' activity logs match the days claimed.
    assert not Claim.objects.filter(flag_codes__contains=" activity_log_mismatch ").exists()
    assert Claim.objects.filter(flag_codes__contains=" bank_details_missing ").count() == 1
    home = _home_text("finance@example.gov.uk")
    pending = Claim.objects.filter(state="pending_review").select_related("deployment__school")
    assert all(claim.deployment.school.name in home for claim in pending)
    claims = Claim.objects.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Claim.objects.count() == claims


def test_the_demo_leaves_an_eligible_school_to_open_a_case_for(seeded):
    from deployments.models import EligibilityAssessment

    open_for_a_case = (
        EligibilityAssessment.objects.current()
        .eligible()
        .filter(region__name="North West", school__isnull=False)
        .exclude(school__in=SupportCase.objects.values("school"))
    )
    assert open_for_a_case.exists()
    # ...with a contact login, so the newcomer can act as that school too.
    contact = User.objects.get(email="new.school@example.org")
    assert open_for_a_case.filter(school=contact.school).exists()
    assert contact.check_password("demo-password-2023")


def test_seeding_prints_the_logins_and_first_steps_and_files_the_emails(
    db, settings, tmp_path, monkeypatch
):
    from django.core.mail import send_mail

    def cases_that_send_mail():
        send_mail("Subject line", "Dear Cara", "portal@example.gov.uk", ["c@example.org"])
        return {"support cases": 0}

    monkeypatch.setattr(
        "web.management.commands.seed_demo.seed_support_cases", cases_that_send_mail
    )
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert "Dear Cara" not in text
    assert f"E-mails the demo's own steps sent: {tmp_path / 'demo-emails'}/" in text
    assert text.rstrip().splitlines()[-6] == "Try this first:"
    (sent,) = (tmp_path / "demo-emails").iterdir()
    assert "Dear Cara" in sent.read_text()


def test_on_postgresql_the_seeded_tables_are_analysed(seeded):
    from django.db import connection

    from schools.models import School
    from schools.selectors import estimated_row_count

    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    assert estimated_row_count(School) == School.objects.count()
