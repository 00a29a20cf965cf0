"""A system leader completes the task list and a school contact signs it off,
in Debian's chromium."""

import pytest

from deployments.delivery.models import Deployment
from deployments.delivery.services import deployment_section_save
from tests.browser import BROWSER_MARKS
from tests.deployments.delivery_fixtures import SECTION_VALUES, make_cast

pytestmark = BROWSER_MARKS


def sign_in(page, base, email):
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("form button.govuk-button")
    page.wait_for_url(f"{base}/")


@pytest.mark.django_db(transaction=True)
def test_a_system_leader_completes_the_task_list_and_the_school_signs_it_off(
    live_server, browser_page, programmes_loaded
):
    cast = make_cast()
    d = cast.deployment
    Deployment.objects.filter(pk=d.pk).update(state="delivery")
    d.refresh_from_db()
    for key in ("scope", "closure", "bank_details"):
        deployment_section_save(d, key, user=cast.leader, data=SECTION_VALUES[key])
    page, base = browser_page, live_server.url
    sign_in(page, base, cast.leader.email)
    page.goto(f"{base}/deployments/{d.pk}/")
    assert page.locator(".govuk-task-list").is_visible()

    page.click("text=1. School or trust details")
    page.fill("input[name=contact_name]", "Ada Head")
    page.fill("input[name=contact_email]", "not an email")
    page.click("text=Save and continue")
    assert page.locator(".govuk-error-summary").is_visible()
    page.fill("input[name=contact_email]", "ada@school.example.org")
    page.fill("input[name=contact_role]", "Headteacher")
    page.click("text=Save and continue")
    page.wait_for_url(f"{base}/deployments/{d.pk}/")

    page.click("text=3. Mid-engagement review")
    page.fill("textarea[name=progress]", "Leaders monitor teaching")
    page.fill("textarea[name=changes]", "None")
    page.click("text=Save and continue")

    page.click("text=6. Payment claim")
    page.fill("input[name=days]", "9.5")
    page.click("text=Save and continue")
    page.wait_for_url(f"{base}/deployments/{d.pk}/")
    statuses = page.locator(".govuk-task-list__status").all_inner_texts()
    assert [s.strip() for s in statuses[:6]] == ["Completed"] * 6

    # The leader's declaration comes before the school's confirmation.
    page.click("text=7. Declaration")
    page.check("input[name=confirmed][value=true]")
    page.fill("input[name=name]", "Leader")
    page.click("text=Save and continue")
    page.wait_for_url(f"{base}/deployments/{d.pk}/")

    page.click("text=Send to the school to sign off")
    page.click("form button.govuk-button")
    page.wait_for_url(f"{base}/deployments/{d.pk}/")
    assert "School sign-off" in page.content()

    sign_in(page, base, cast.contact.email)
    page.goto(f"{base}/deployments/{d.pk}/")
    page.click("text=8. Supported school or trust confirmation")
    # The school reads what the leader reported, then confirms and signs at once.
    assert page.locator("text=What the system leader reported").is_visible()
    assert page.locator("text=Leaders monitor teaching").is_visible()
    page.check("input[name=work_as_described][value=true]")
    page.fill("input[name=name]", "Ada Head")
    page.fill("input[name=role]", "Headteacher")
    page.click("button:has-text('Confirm and sign')")
    page.wait_for_url(f"{base}/deployments/{d.pk}/")
    d.refresh_from_db()
    assert d.state == "signed"
