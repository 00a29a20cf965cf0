"""The Trust CEO route, end to end: a school in a multi-academy trust whose ONLY
contact is its trust's office (a `school_contact` with the trust's `trust_uid`,
no school of their own). That contact acts for the school on its support case
and its deployment: reads both (page and API), takes every step the tables give
the school's contact, writes `school_confirmation` and receives the school's
e-mails, through to a signed-off deployment and its day claim. The steps of the
trust's office run once through the API and once through the HTML pages."""

import datetime as dt

import pytest
from django.core import mail

from deployments.claims.models import Claim
from deployments.models import Deployment, SupportCase
from tests.deployments.delivery_fixtures import SECTION_VALUES
from tests.portal.factories import TrustContactFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

TODAY = dt.date.today()
S = SupportCase.State


@pytest.fixture
def office(world):
    """The trust's office is the school's only contact."""
    world.users.pop("contact").delete()
    return TrustContactFactory(
        trust=world.trust, email="ceo-office@harbour.example.org", full_name="Trust CEO Office"
    )


class Route:
    """Takes each actor's steps: the trust's office through `via`, the rest by API."""

    def __init__(self, world, office, via, api_client_for, client_for, capture):
        self.world, self.office, self.via, self.capture = world, office, via, capture
        self.api = {u: api_client_for(u) for u in world.users.values()}
        self.api[office] = api_client_for(office)
        self.page = client_for(office)

    def _api_post(self, user, path, body):
        with self.capture(execute=True):
            response = self.api[user].post(path, body, format="json")
        assert response.status_code == 200, (path, response.content)
        return response.json()

    def case_step(self, user, case_id, name, body=None):
        return self._api_post(
            user, f"/api/support-cases/{case_id}/{name.replace('_', '-')}/", body or {}
        )

    def deployment_step(self, user, pk, name, body=None):
        return self._api_post(user, f"/api/deployments/{pk}/{name.replace('_', '-')}/", body or {})

    def office_step(self, kind, pk, name, body=None):
        """The trust's office takes a step: API, or the step's HTML page."""
        if self.via == "api":
            step = self.case_step if kind == "case" else self.deployment_step
            return step(self.office, pk, name, body)
        prefix = "cases" if kind == "case" else "deployments"
        page = f"/{prefix}/{pk}/{name.replace('_', '-')}/"
        assert page in self.page.get(f"/{prefix}/{pk}/").content.decode()  # its button
        assert self.page.get(page).status_code == 200
        with self.capture(execute=True):
            response = self.page.post(page, body or {})
        assert response.status_code == 302, response.content.decode()[:2000]
        return self.office_reads(kind, pk)

    def office_reads(self, kind, pk) -> dict:
        """The office reads the record on its page and in the API (and its list)."""
        prefix = "cases" if kind == "case" else "deployments"
        api_prefix = "support-cases" if kind == "case" else "deployments"
        assert self.page.get(f"/{prefix}/{pk}/").status_code == 200
        listed = self.api[self.office].get(f"/api/{api_prefix}/").json()["results"]
        assert pk in [row["id"] for row in listed]
        response = self.api[self.office].get(f"/api/{api_prefix}/{pk}/")
        assert response.status_code == 200
        return response.json()

    def office_writes_confirmation(self, pk):
        values = {**SECTION_VALUES["school_confirmation"], "name": "Pat Chief", "role": "CEO"}
        if self.via == "api":
            response = self.api[self.office].put(
                f"/api/deployments/{pk}/sections/school_confirmation/", values, format="json"
            )
            assert response.status_code == 200 and response.json()["status"] == "completed"
        else:
            response = self.page.post(
                f"/deployments/{pk}/sections/school_confirmation/",
                {**values, "work_as_described": "true"},
            )
            assert response.status_code == 302

    def mailed_office(self) -> list[str]:
        return [m.subject for m in mail.outbox if self.office.email in m.to]


def _leader_fills(route, d, keys, extra=None):
    api = route.api[route.world.system_leader]
    for key in keys:
        values = {**SECTION_VALUES[key], **((extra or {}).get(key, {}))}
        response = api.put(f"/api/deployments/{d}/sections/{key}/", values, format="json")
        assert response.status_code == 200, (key, response.json())
        assert response.json()["status"] == "completed", (key, response.json())


def _declaration(route, d) -> bool:
    """The leader's declaration, when it may be made now (its place in the order
    of signing is another branch's change): whether it was made."""
    api = route.api[route.world.system_leader]
    values = SECTION_VALUES["declaration"]
    response = api.put(f"/api/deployments/{d}/sections/declaration/", values, format="json")
    return response.status_code == 200 and response.json()["status"] == "completed"


ACCEPT = {"confirms_capacity": True, "confirms_no_conflict": True}
ACTIVITY = {"days": "9.5", "description": "Trust review", "delivered_by": ""}
MAT_SCOPE = {
    "scope": {
        "through_trust_ceo_confirmed": True,
        "support_level": "trust",
        "mat_assurance_self_assessment_done": True,
    }
}


@pytest.mark.parametrize("via", ["api", "html"])
def test_the_trusts_office_acts_for_the_school_from_case_to_claim(
    world, office, via, api_client_for, client_for, django_capture_on_commit_callbacks
):
    route = Route(
        world, office, via, api_client_for, client_for, django_capture_on_commit_callbacks
    )
    staff, rdp, director = world.regions_staff_in, world.rdp_in, world.director_in
    leader = world.system_leader

    # Regions Group open the case and propose; the office sees nothing yet.
    created = route.api[staff].post(
        "/api/support-cases/", {"eligibility": world.eligibility.pk}, format="json"
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    route.case_step(staff, case_id, "propose", {"system_leader": world.leader.pk})
    assert route.api[office].get(f"/api/support-cases/{case_id}/").status_code == 404

    # The RDP contacts the school: the office is e-mailed and may confirm or decline.
    mail.outbox.clear()
    route.case_step(rdp, case_id, "rdp_contacts_school", {"note": "Called the CEO"})
    assert route.mailed_office()
    body = route.office_reads("case", case_id)
    assert body["state"] == S.SCHOOL_ENGAGEMENT
    assert set(body["allowed_transitions"]) == {"school_confirms", "school_declines"}
    route.office_step("case", case_id, "school_confirms", {"context": "Through the Trust CEO"})

    # The leader accepts; the office is asked to accept the match and raises a concern.
    mail.outbox.clear()
    route.case_step(
        leader,
        case_id,
        "system_leader_accepts",
        {"confirms_capacity": True, "confirms_no_conflict": True},
    )
    assert route.mailed_office()
    body = route.office_reads("case", case_id)
    assert set(body["allowed_transitions"]) == {"school_accepts_match", "school_raises_concern"}
    assert (
        route.office_step("case", case_id, "school_raises_concern", {"concern": "Too far away"})[
            "state"
        ]
        == S.CONCERN
    )

    # The concern sends the case back; the same leader is proposed again (the
    # school's confirmation stands) and the office accepts this time.
    route.case_step(
        staff, case_id, "concern_answered", {"rationale": "Re-proposing", "keep_match": False}
    )
    body = route.case_step(staff, case_id, "propose", {"system_leader": world.leader.pk})
    assert body["state"] == S.SYSTEM_LEADER_CHECK
    route.case_step(
        leader,
        case_id,
        "system_leader_accepts",
        {"confirms_capacity": True, "confirms_no_conflict": True},
    )
    assert route.office_step("case", case_id, "school_accepts_match", {"note": ""})["state"] == (
        S.DIRECTOR_APPROVAL
    )
    route.case_step(director, case_id, "director_approves")
    mail.outbox.clear()
    d = route.case_step(rdp, case_id, "issue_deployment")["deployment"]
    assert route.mailed_office()  # the deployment-issued e-mail

    # The office reads the deployment; the leader delivers and sends it to sign off.
    assert route.office_reads("deployment", d)["state"] == Deployment.State.ISSUED
    route.deployment_step(leader, d, "initial_meeting_arranged", {"meeting_on": TODAY.isoformat()})
    _leader_fills(route, d, ["details", "scope", "bank_details"], MAT_SCOPE)
    route.deployment_step(leader, d, "scoping_done")
    activity = route.api[leader].post(
        f"/api/deployments/{d}/activities/",
        {
            "date": TODAY.isoformat(),
            "days": "9.5",
            "description": "Trust review",
            "delivered_by": "",
        },
        format="json",
    )
    assert activity.status_code == 201
    _leader_fills(route, d, ["mid_review", "closure", "claim"])
    declared_first = _declaration(route, d)
    mail.outbox.clear()
    route.deployment_step(leader, d, "send_for_sign_off")
    assert route.mailed_office()  # asked to sign off

    # The office confirms the work and signs off.
    body = route.office_reads("deployment", d)
    assert body["state"] == Deployment.State.SCHOOL_SIGN_OFF
    assert body["allowed_transitions"] == []  # not until the confirmation is complete
    route.office_writes_confirmation(d)
    if route.via == "api":  # the section, then the transition
        assert route.office_reads("deployment", d)["allowed_transitions"] == ["school_signs_off"]
        body = route.office_step("deployment", d, "school_signs_off", {"note": ""})
    else:  # the page's "Confirm and sign" saved the section and signed in one action
        body = route.office_reads("deployment", d)
    assert body["state"] == Deployment.State.SIGNED

    # The leader submits, the RDP accepts: the day claim follows.
    if not declared_first:
        assert _declaration(route, d)
    route.deployment_step(leader, d, "submit")
    route.deployment_step(rdp, d, "rdp_accepts")
    claim = Claim.objects.get(deployment_id=d)
    assert str(claim.days) == "9.5" and str(claim.amount) == "5700.00"
    names = [e["name"] for e in route.office_reads("deployment", d)["timeline"]]
    assert "school_signs_off" in names and "rdp_accepts" in names


@pytest.mark.parametrize("via", ["api", "html"])
def test_the_trusts_office_may_decline_for_a_school_of_the_trust(
    world, office, via, api_client_for, client_for, django_capture_on_commit_callbacks
):
    route = Route(
        world, office, via, api_client_for, client_for, django_capture_on_commit_callbacks
    )
    school = SchoolFactory(
        trust=world.trust, local_authority=LocalAuthorityFactory(region=world.north_west)
    )
    case = world.case(S.SCHOOL_ENGAGEMENT, school=school)
    body = route.office_step("case", case.pk, "school_declines", {"reason": "Not now"})
    assert body["state"] == S.DECLINED
