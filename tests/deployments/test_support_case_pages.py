"""The support-case pages: lists with "My cases", the watchlist and filters,
the case page's buttons and candidates, the step forms, opening a case from
the eligibility page, changing the owner, and each role's home queue."""

import datetime as dt

from django.core import mail

from deployments.models import SupportCase
from tests.portal.factories import UserFactory
from tests.schools.factories import LocalAuthorityFactory, SchoolFactory

S = SupportCase.State


def _school(world, name):
    return SchoolFactory(name=name, local_authority=LocalAuthorityFactory(region=world.north_west))


def test_my_cases_the_watchlist_and_the_filters(world, client_for):
    colleague = UserFactory(role="regions_staff", regions=[world.north_west], full_name="Col")
    mine = world.case(S.WITH_RDP, due_on=dt.date(2099, 1, 1))
    theirs = world.case(
        S.DIRECTOR_APPROVAL, school=_school(world, "Birch Infants"), opened_by=colleague
    )
    late = world.case(
        S.APPROVED, school=_school(world, "Cherry Juniors"), due_on=dt.date(2020, 1, 6)
    )
    theirs.watchers.add(world.regions_staff_in)
    client = client_for(world.regions_staff_in)

    html = client.get("/cases/").content.decode()
    # Overdue first.
    assert html.index("Cherry Juniors") < html.index("Ashby Primary")
    assert "Overdue" in html

    html = client.get("/cases/?view=mine").content.decode()
    assert "Ashby Primary" in html and "Birch Infants" not in html and "Cherry Juniors" in html

    html = client.get("/cases/?view=watching").content.decode()
    assert "Birch Infants" in html and "Ashby Primary" not in html

    html = client.get(f"/cases/?owner={colleague.pk}").content.decode()
    assert "Birch Infants" in html and "Ashby Primary" not in html

    html = client.get("/cases/?state=with_rdp").content.decode()
    assert "Ashby Primary" in html and "Birch Infants" not in html

    html = client.get("/cases/?overdue=on").content.decode()
    assert "Cherry Juniors" in html and "Ashby Primary" not in html
    assert mine.pk and late.pk


def test_the_case_page_and_the_api_read_the_same_filters(world, client_for, api_client_for):
    """One FilterSet: the page takes the API's parameters, and the API its page's."""
    world.case(S.WITH_RDP, due_on=dt.date(2099, 1, 1))
    late = world.case(
        S.APPROVED, school=_school(world, "Cherry Juniors"), due_on=dt.date(2020, 1, 6)
    )
    client = client_for(world.regions_staff_in)
    api = api_client_for(world.regions_staff_in)

    html = client.get("/cases/?overdue=true&region=North%20West").content.decode()
    assert "Cherry Juniors" in html and "Ashby Primary" not in html
    html = client.get("/cases/?overdue=false").content.decode()
    assert "Ashby Primary" in html and "Cherry Juniors" not in html
    page = client.get("/cases/?overdue=maybe")  # ignored, and the field says why
    assert page.status_code == 200 and "Must be a valid boolean." in page.content.decode()

    listed = api.get("/api/support-cases/?overdue=on&owner=me").json()["results"]
    assert [c["id"] for c in listed] == [late.pk]
    refused = api.get("/api/support-cases/?overdue=maybe&owner=someone")
    assert refused.status_code == 400
    assert set(refused.json()) >= {"overdue", "owner"}


def test_the_my_cases_tab_ignores_a_chosen_owner(world, client_for):
    colleague = UserFactory(role="regions_staff", regions=[world.north_west], full_name="Col")
    world.case(S.WITH_RDP)
    html = client_for(world.regions_staff_in).get(f"/cases/?view=mine&owner={colleague.pk}")
    assert "Ashby Primary" in html.content.decode()


def test_the_case_page_shows_only_the_buttons_this_user_may_press(world, client_for):
    case = world.case(S.MATCH_CONFIRMATION)
    url = f"/cases/{case.pk}/"

    def buttons(user):
        html = client_for(user).get(url).content.decode()
        return [
            t
            for t in ("school_accepts_match", "school_raises_concern", "withdraw")
            if f'data-transition="{t}"' in html
        ]

    assert buttons(world.contact) == ["school_accepts_match", "school_raises_concern"]
    assert buttons(world.rdp_in) == ["school_accepts_match"]
    assert buttons(world.regions_staff_in) == ["withdraw"]
    assert buttons(world.director_in) == []
    assert buttons(world.admin) == []
    assert buttons(world.system_leader) == []


def test_the_case_page_shows_candidates_with_reasons_to_the_regional_team(world, client_for):
    case = world.case()
    html = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/").content.decode()
    assert "data-candidates" in html
    assert "Works in North West" in html
    assert html.index("System_Leader") < html.index("Other_System_Leader")  # MAT CEO first
    assert f"/cases/{case.pk}/propose/?system_leader={world.leader.pk}" in html


def test_the_case_page_shows_due_and_done_steps_and_the_history(world, client_for):
    case = world.case(S.WITH_RDP, due_on=dt.date(2099, 3, 2))
    from deployments.matching import services

    services.support_case_rdp_contacts_school(case, user=world.rdp_in, note="Rang the head")
    html = client_for(world.regions_staff_in).get(f"/cases/{case.pk}/").content.decode()
    assert "data-steps" in html
    assert "Done</strong>" in html  # the RDP's step
    assert "Due " in html  # the school's step
    assert "To come" in html
    assert "RDP contacted the school or trust" in html  # the history's past-tense label
    assert "Rang the head" in html


def test_the_propose_form_needs_a_reason_outside_the_list_and_shows_the_error_summary(
    world, client_for
):
    from tests.deployments.factories import SystemLeaderFactory

    outsider = SystemLeaderFactory(
        mat_ceo=True, user=UserFactory(role="system_leader", full_name="Out Sider"), available=False
    )
    case = world.case()
    client = client_for(world.regions_staff_in)
    form = client.get(f"/cases/{case.pk}/propose/?system_leader={world.leader.pk}")
    html = form.content.decode()
    assert "1. System_Leader (MAT CEO)" in html
    assert "Not ranked: Out Sider" in html
    response = client.post(f"/cases/{case.pk}/propose/", {"system_leader": outsider.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Give a reason for proposing a system leader who is not in the ranked list" in html
    response = client.post(
        f"/cases/{case.pk}/propose/",
        {"system_leader": outsider.pk, "override_reason": "Knows the area"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.override_reason == "Knows the area"


def test_a_required_reason_shows_the_govuk_error(world, client_for):
    case = world.case(S.DIRECTOR_APPROVAL)
    response = client_for(world.director_in).post(f"/cases/{case.pk}/director-rejects/", {})
    assert response.status_code == 200
    assert "Enter a reason" in response.content.decode()


def test_opening_a_case_from_the_eligibility_page(
    world, client_for, django_capture_on_commit_callbacks
):
    page = f"/eligibility/schools/{world.school.urn}/"
    assert (
        "Open a support case" not in client_for(world.regions_staff_out).get(page).content.decode()
    )
    client = client_for(world.regions_staff_in)
    html = client.get(page).content.decode()
    assert f"/cases/open/?eligibility={world.eligibility.pk}" in html
    confirm = client.get(f"/cases/open/?eligibility={world.eligibility.pk}")
    assert confirm.status_code == 200
    response = client.post(f"/cases/open/?eligibility={world.eligibility.pk}", {})
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    assert case.owner == world.regions_staff_in
    assert case.watchers.filter(pk=world.regions_staff_in.pk).exists()
    html = client.get(page).content.decode()
    assert "See the support case" in html and "Open a support case" not in html
    again = client.post(f"/cases/open/?eligibility={world.eligibility.pk}", {})
    assert again.status_code == 200
    assert "There is already a support case" in again.content.decode()
    assert (
        client_for(world.rdp_in).get(f"/cases/open/?eligibility={world.eligibility.pk}").status_code
        == 403
    )


def test_changing_the_owner_e_mails_the_new_owner(
    world, client_for, django_capture_on_commit_callbacks
):
    colleague = UserFactory(
        role="regions_staff", regions=[world.north_west], email="col@example.org", full_name="Col"
    )
    case = world.case()
    client = client_for(world.regions_staff_in)
    assert "Col" in client.get(f"/cases/{case.pk}/owner/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.pk}/owner/", {"owner": colleague.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.owner == colleague
    assert [m.to for m in mail.outbox] == [["col@example.org"]]
    assert client_for(world.rdp_in).get(f"/cases/{case.pk}/owner/").status_code == 403


def test_watching_from_the_case_page(world, client_for):
    case = world.case()
    client = client_for(world.rdp_in)
    client.post(f"/cases/{case.pk}/watch/", {"watch": "1"})
    assert case.watchers.filter(pk=world.rdp_in.pk).exists()
    client.post(f"/cases/{case.pk}/watch/", {"watch": "0"})
    assert not case.watchers.filter(pk=world.rdp_in.pk).exists()
    assert (
        client_for(world.admin).post(f"/cases/{case.pk}/watch/", {"watch": "1"}).status_code == 403
    )


def test_each_role_sees_the_cases_waiting_for_it_on_home_overdue_first(world, client_for):
    world.case(S.SYSTEM_LEADER_CHECK, due_on=dt.date(2099, 5, 4))
    world.case(
        S.DIRECTOR_APPROVAL, school=_school(world, "Birch Infants"), due_on=dt.date(2099, 1, 1)
    )
    world.case(
        S.DIRECTOR_APPROVAL, school=_school(world, "Cherry Juniors"), due_on=dt.date(2020, 1, 6)
    )

    html = client_for(world.system_leader).get("/").content.decode()
    assert "Requests to answer" in html
    assert "Ashby Primary: Confirm you can support" in html
    assert "due 4 May 2099" in html

    html = _section(client_for(world.director_in).get("/"), "Matches to approve")
    assert html.index("Cherry Juniors") < html.index("Birch Infants")
    assert "Overdue" in html
    assert "Ashby Primary" not in html

    html = client_for(world.contact).get("/").content.decode()
    assert "Your support" in html
    assert "Ashby Primary: System leader check" in html
    assert "next: the system leader confirms they can support" in html

    assert "Ashby Primary" not in _section(client_for(world.director_out).get("/"), "Matches")


def _section(response, title):
    """The home page's section under the heading `title`, up to the next heading."""
    html = response.content.decode()
    start = html.index(f'<h2 class="govuk-heading-m">{title}')
    end = html.find('<h2 class="govuk-heading-m">', start + 1)
    return html[start : end if end != -1 else None]


def test_the_school_contact_sees_its_turn_on_home(world, client_for):
    world.case(S.MATCH_CONFIRMATION, due_on=dt.date(2099, 5, 4))
    html = client_for(world.contact).get("/").content.decode()
    assert "Ashby Primary: Accept the proposed system leader" in html
    assert "Your turn" in html


def test_the_concern_answer_form_asks_with_govuk_radios_and_keeps_the_match(world, client_for):
    case = world.case(S.CONCERN, concern="Too far")
    client = client_for(world.regions_staff_in)
    html = client.get(f"/cases/{case.pk}/concern-answered/").content.decode()
    assert "govuk-radios" in html and "Does the match stand?" in html
    response = client.post(
        f"/cases/{case.pk}/concern-answered/", {"keep_match": "yes", "rationale": "Close enough"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == S.DIRECTOR_APPROVAL


def test_the_leader_accepts_with_the_school_in_view_and_both_confirmations(world, client_for):
    from portal.workflow import timeline_for

    case = world.case(S.SYSTEM_LEADER_CHECK)
    url = f"/cases/{case.pk}/system-leader-accepts/"
    client = client_for(world.system_leader)
    page = client.get(url).content.decode()
    for label in ("Headteacher", "Address", "Pupils", "Latest inspection", "Distance from you"):
        assert f">{label}</dt>" in page
    assert f"{case.offer.core_days} days at £" in page
    refused = client.post(url, {"confirms_capacity": "on"})
    assert refused.status_code == 200
    assert "Confirm that you have no conflict of interest" in refused.content.decode()
    case.refresh_from_db()
    assert case.state == S.SYSTEM_LEADER_CHECK
    done = client.post(url, {"confirms_capacity": "on", "confirms_no_conflict": "on"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == S.MATCH_CONFIRMATION
    note = list(timeline_for(case))[-1].note
    assert "capacity to deliver the days" in note and "no conflict of interest" in note


def test_approving_and_issuing_show_the_match_and_what_will_happen(world, client_for):
    approving = world.case(S.DIRECTOR_APPROVAL)
    page = client_for(world.director_in).get(f"/cases/{approving.pk}/director-approves/")
    html = page.content.decode()
    assert ">System leader</dt>" in html and world.leader.user.full_name in html
    assert "What happens next" in html and "issues the deployment" in html
    issuing = world.case(S.APPROVED, school=_school(world, "Birch Infants"))
    html = client_for(world.rdp_in).get(f"/cases/{issuing.pk}/issue-deployment/").content.decode()
    assert ">Core days</dt>" in html and "e-mailed the link to the deployment form" in html
