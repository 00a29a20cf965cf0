"""seed_demo walks demo support cases through the real workflow, so each demo
login has something to do when it signs in."""

import io

import pytest
from django.core.management import call_command

from deployments.delivery.models import Deployment
from deployments.matching.models import SupportCase
from portal.models import User
from portal.selectors import home_queue_for


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
    issued = SupportCase.objects.get(state=SupportCase.State.DEPLOYMENT_ISSUED)
    deployment = Deployment.objects.get(support_case=issued)
    assert deployment.system_leader == own.system_leader
    assert [e.name for e in issued.timeline_events.all()][-1] == "issue_deployment"


def test_the_demo_system_leader_and_school_contact_find_work_on_their_home_page(seeded):
    contact = User.objects.get(email="school.contact@example.org")
    deployment = Deployment.objects.get()
    leader_home = _home_text("system.leader@example.org")
    assert contact.school.name in leader_home  # the request to answer
    assert f"{deployment.school.name}: Arrange the initial meeting" in leader_home  # its step
    assert contact.school.name in _home_text("school.contact@example.org")


def test_seeding_again_adds_no_case(seeded):
    call_command("seed_demo", stdout=io.StringIO())
    assert SupportCase.objects.count() == 2
