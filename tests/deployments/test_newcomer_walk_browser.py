"""A newcomer walks one school from eligible to paid on the demo, in Debian's
chromium: `seed_demo` builds it (the same command `make run` runs), then each
role signs in with its printed login and moves the school on by clicking the
links and buttons its home page and the record's page offer, never typing an
address (the only `goto`s are the sign-in page and the site root after it).

The story: Regions Group staff open a case for the eligible school no case
covers yet and propose the demo system leader; the RDP contacts the school;
the school confirms; the leader accepts; the school accepts the match; the
Regional Director approves; the RDP issues the deployment; the leader records
the initial meeting, fills in the form and the activity log and sends it to the
school; the school signs; the leader submits; the RDP accepts the form and holds
the end-of-deployment call; DfE finance approves the claim and pays it in a
payment run. The school's home then says the support finished and was paid.
With WALK_SHOTS=<dir> set, the walk saves a full-page screenshot after each click."""

import datetime as dt
import io
import os
import re

import pytest
from django.core.management import call_command

from deployments.claims.models import Claim
from deployments.delivery.models import Deployment
from deployments.matching.models import SupportCase
from portal.models import User
from tests.browser import BROWSER_MARKS
from web.demo import DEMO_PASSWORD, NEW_CASE_CONTACT

pytestmark = BROWSER_MARKS

STAFF = "regions.staff@example.gov.uk"
RDP = "rdp.north@example.org"
DIRECTOR = "director.nw@example.gov.uk"
LEADER = "system.leader@example.org"
LEADER_NAME = "Sam Leader"
SCHOOL = NEW_CASE_CONTACT[0]
FINANCE = "finance@example.gov.uk"


class Newcomer:
    """The browser, counting what the newcomer does: sign-ins and clicks (links,
    buttons, radios and boxes); fields typed in are not clicks."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.sign_ins = self.clicks = 0

    def sign_in(self, email):
        page = self.page
        page.context.clear_cookies()
        page.goto(f"{self.base}/accounts/login/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[name=submit]")
        page.wait_for_url(f"{self.base}/")
        page.goto(f"{self.base}/")
        self.sign_ins += 1

    def click(self, locator):
        locator.click()
        self.page.wait_for_load_state()
        self.clicks += 1
        if shots := os.environ.get("WALK_SHOTS"):
            self.page.screenshot(path=f"{shots}/{self.clicks:03}.png", full_page=True)

    def link(self, text):
        self.click(self.page.locator("main a", has_text=text).first)

    def navigation(self, text):
        """A link of the header's service navigation, on every page."""
        self.click(
            self.page.locator(".govuk-service-navigation").get_by_role(
                "link", name=text, exact=True
            )
        )

    def button(self, text):
        self.click(self.page.locator("main form button", has_text=text).first)
        assert not self.page.locator(".govuk-error-summary").count(), self.main_text()

    def choose(self, label_or_locator):
        locator = (
            self.page.get_by_label(label_or_locator, exact=True)
            if isinstance(label_or_locator, str)
            else label_or_locator
        )
        locator.check()
        self.clicks += 1

    def fill(self, label, value):
        self.page.get_by_label(label, exact=True).fill(value)

    def fill_date(self, name, day: dt.date):
        for part, value in enumerate((day.day, day.month, day.year)):
            self.page.fill(f"input[name={name}_{part}]", str(value))

    def home_task(self, school, task):
        """From the home page, the one row naming the school and the task."""
        self.click(self.page.locator("main li a", has_text=f"{school}: {task}"))

    def home_row(self, section, text):
        """From the home page, the row of a section that names `text`."""
        self.click(self.page.locator(f"h2:has-text('{section}') + ul li a", has_text=text))

    def success(self) -> str:
        banner = self.page.locator(".govuk-notification-banner--success")
        assert banner.count(), self.main_text()
        return banner.inner_text()

    def main_text(self) -> str:
        return self.page.locator("main").inner_text()


# --- the roles' parts, in the order the story needs them --------------------


def staff_open_a_case_and_propose_the_leader(walk) -> str:
    walk.sign_in(STAFF)
    row = walk.page.locator("h2:has-text('Eligible schools and trusts to review') + ul li a").first
    # "<school> (<URN>): <criterion>"
    school = row.inner_text().split(":")[0].rsplit(" (", 1)[0]
    walk.click(row)
    walk.link("Open a support case")
    walk.button("Open a support case")
    # The case says what to do next, in the second person to the one who does it.
    assert "Next: Propose a system leader" in walk.main_text()
    walk.click(
        walk.page.locator("[data-candidates] tr", has_text=LEADER_NAME).locator(
            "a", has_text="Propose"
        )
    )
    walk.button("Propose a system leader")
    assert "With the RDP" in walk.main_text()
    return school


def rdp_contacts_the_school(walk, school):
    walk.sign_in(RDP)
    walk.home_task(school, "Contact the school or trust")
    walk.link("Record that you contacted the school")
    walk.fill("Note (optional)", "Called the head: she is keen.")
    walk.button("Record that you contacted the school")


def school_confirms_taking_part(walk, school):
    walk.sign_in(SCHOOL)
    walk.home_task(school, "Confirm taking part")
    walk.link("Confirm taking part")
    walk.page.locator("main form textarea").fill("We want help with reading.")
    walk.button("Confirm taking part")


def leader_accepts_the_request(walk, school):
    walk.sign_in(LEADER)
    walk.home_task(school, "Confirm you can support")
    walk.link("Accept this request")
    walk.choose(walk.page.get_by_label("I have the capacity", exact=False))
    walk.choose(walk.page.get_by_label("I have no conflict of interest", exact=False))
    walk.button("Accept this request")


def school_accepts_the_leader(walk, school):
    walk.sign_in(SCHOOL)
    walk.home_task(school, "Accept the proposed system leader")
    walk.link("Accept the system leader")
    walk.button("Accept the system leader")


def director_approves_the_match(walk, school):
    walk.sign_in(DIRECTOR)
    walk.home_task(school, "Approve the match")
    walk.link("Approve the match")
    walk.button("Approve the match")


def rdp_issues_the_deployment(walk, school):
    walk.sign_in(RDP)
    walk.home_task(school, "Issue the deployment")
    walk.link("Issue the deployment")
    walk.button("Issue the deployment")
    assert "Deployment issued" in walk.success()


def leader_fills_in_the_form_and_sends_it(walk, school, today):
    walk.sign_in(LEADER)
    walk.home_task(school, "Arrange the initial meeting")
    walk.link("Record the initial meeting")
    walk.fill_date("meeting_on", today)
    walk.button("Record the initial meeting")

    walk.link("1. School or trust details")
    walk.fill("Contact name", "Wes Nimble")
    walk.fill("Contact email address", "head@school.example.org")
    walk.fill("Contact role", "Headteacher")
    walk.fill("Contact telephone (optional)", "01632 960001")
    walk.button("Save and continue")

    walk.link("2. Scope and diagnostics")
    walk.fill("Additional details about eligibility", "Reading results fell two years running.")
    walk.page.get_by_label("Teaching and learning").select_option(label="High")
    walk.clicks += 1
    walk.choose("English Hubs Programme")
    walk.choose(walk.page.locator("input[name=governance_support_needed][value=false]"))
    walk.button("Save and continue")
    # The page says what the next step needs; with the scope done, its button shows.
    assert "Next: Make the first visit and complete the scoping." in walk.main_text()
    walk.link("Scoping done: start delivery")
    walk.button("Scoping done: start delivery")

    walk.link("Activity log")
    for days, what in (("1", "First visit: observed reading."), ("1.5", "Coached the lead.")):
        walk.fill_date("date", today)
        walk.fill("Days", days)
        walk.fill("Activity", what)
        walk.choose("Face to face")
        walk.button("Add to the log")
    walk.link("Back to the deployment form")

    walk.link("3. Mid-engagement review")
    walk.fill("Progress so far", "Phonics teaching is consistent across key stage 1.")
    walk.fill("Changes to the programme of support", "None.")
    walk.choose(walk.page.locator("input[name=return_sent_to_rdp][value=true]"))
    walk.button("Save and continue")

    walk.link("4. Closure and next steps")
    walk.choose(walk.page.locator("input[name=all_activities_completed][value=true]"))
    walk.fill("Impact", "Reading assessments rose.")
    walk.choose("No further support needed")
    walk.button("Save and continue")

    walk.link("5. Bank details")
    walk.fill("Name on the account", "Cloverridge Learning Partnership")
    walk.fill("Sort code", "108800")
    walk.fill("Account number", "00012345")
    walk.button("Save and continue")

    walk.link("6. Payment claim")
    walk.fill("Days claimed", "2.5")
    walk.button("Save and continue")

    walk.link("7. Declaration")
    walk.choose(walk.page.locator("input[name=confirmed][value=true]"))
    walk.fill("Your name", LEADER_NAME)
    walk.button("Save and continue")

    walk.link("Send to the school to sign off")
    walk.button("Send to the school to sign off")


def school_signs_off(walk, school):
    walk.sign_in(SCHOOL)
    walk.home_task(school, "Sign off the deployment form")
    walk.link("8. Supported school or trust confirmation")
    # The school reads the work before it signs.
    assert "Coached the lead." in walk.main_text()
    walk.choose(walk.page.locator("input[name=work_as_described][value=true]"))
    walk.fill("Your name", "Nia Newcase")
    walk.fill("Your role", "Headteacher")
    walk.button("Confirm and sign")


def leader_submits_to_the_rdp(walk, school):
    walk.sign_in(LEADER)
    walk.home_task(school, "Submit the signed form to the RDP")
    walk.link("Submit to the RDP")
    walk.button("Submit to the RDP")


def rdp_accepts_and_holds_the_closing_call(walk, school, today):
    walk.sign_in(RDP)
    walk.home_task(school, "Review the deployment form")
    walk.link("Accept the deployment form")
    walk.button("Accept the deployment form")
    walk.link("Record the end-of-deployment call")
    walk.fill_date("held_on", today)
    walk.fill("The school's experience of the offer", "Practical help, quickly.")
    walk.fill("Future plans", "Joining the English hub's network.")
    walk.button("Record the end-of-deployment call")
    assert "Call recorded: deployment closed." in walk.success()


def finance_approves_and_pays(walk, school) -> str:
    walk.sign_in(FINANCE)
    walk.home_row("Payment claims to review", school)
    walk.link("Approve the claim")
    walk.fill("Note (optional)", "Bank details checked with the trust by phone.")
    walk.button("Approve the claim")
    walk.navigation("Home")
    walk.home_row("Approved claims to pay", "start a payment run")
    walk.button("Start the payment run")
    walk.link("See the result")
    # The run pays the demo's approved claims too: this school's is one row.
    walk.click(walk.page.locator("main a", has_text=re.compile(r"^\d+ claims?$")))
    row = walk.page.locator("main tr", has_text=school)
    walk.click(row.locator("td a", has_text=re.compile(r"^TSI-")))
    return walk.main_text()


@pytest.mark.django_db(transaction=True)
def test_a_newcomer_walks_a_school_from_eligible_to_paid(
    live_server, browser_page, programmes_loaded
):
    call_command("seed_demo", stdout=io.StringIO())
    walk = Newcomer(browser_page, live_server.url)
    today = dt.date.today()

    school = staff_open_a_case_and_propose_the_leader(walk)
    rdp_contacts_the_school(walk, school)
    school_confirms_taking_part(walk, school)
    leader_accepts_the_request(walk, school)
    school_accepts_the_leader(walk, school)
    director_approves_the_match(walk, school)
    rdp_issues_the_deployment(walk, school)
    leader_fills_in_the_form_and_sends_it(walk, school, today)
    school_signs_off(walk, school)
    leader_submits_to_the_rdp(walk, school)
    rdp_accepts_and_holds_the_closing_call(walk, school, today)
    claim_page = finance_approves_and_pays(walk, school)

    # What DfE finance sees: the claim, paid, and its history in words.
    assert re.search(r"Claim TSI-\d{4}-\d{6}\s+Paid\s", claim_page), claim_page
    assert f"School or trust\t{school}" in claim_page
    assert "Amount\t£1,500.00" in claim_page and "Claim made" in claim_page
    # What the school sees on its home page: finished and paid, not "Deployment issued".
    walk.sign_in(SCHOOL)
    row = walk.page.locator("h2:has-text('Your support') + ul li").first.inner_text()
    assert row.startswith(f"{school}: Support finished: deployment closed on")
    assert "claim paid" in row

    case = SupportCase.objects.get(school__name=school)
    deployment = Deployment.objects.get(support_case=case)
    claim = Claim.objects.get(deployment=deployment)
    assert (case.state, deployment.state, claim.state) == (
        SupportCase.State.DEPLOYMENT_ISSUED,
        Deployment.State.CLOSED,
        Claim.State.PAID,
    )
    assert User.objects.get(email=SCHOOL).school == case.school
    print(f"\nThe walk: {walk.sign_ins} sign-ins, {walk.clicks} clicks.")
