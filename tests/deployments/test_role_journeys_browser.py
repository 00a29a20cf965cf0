"""Each role signs in and reaches its one waiting task from the home page in
one click: the first link of its queue opens the record, showing the action
the user must take."""

import pytest

from tests.browser import BROWSER_MARKS
from tests.deployments.journey_world import build_journey_world

pytestmark = BROWSER_MARKS


@pytest.mark.django_db(transaction=True)
def test_each_role_reaches_its_waiting_task_from_home_in_one_click(
    live_server, browser_page, world
):
    tasks = build_journey_world(world)
    page = browser_page
    base = live_server.url
    reached = {}
    for role, task in tasks.items():
        page.context.clear_cookies()
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", task.user.email)
        page.fill("input[name=password]", "pw-for-tests-1")
        page.click("form button.govuk-button")
        page.wait_for_url(f"{base}/")
        waiting = page.locator("main ul.govuk-list a")
        count = waiting.count()
        waiting.first.click()
        page.wait_for_url(f"{base}{task.path}")
        action = page.locator(task.action).first
        reached[role] = (
            count,
            page.url.removeprefix(base),
            action.is_visible() and task.action_text in action.inner_text(),
        )
    assert reached == {role: (1, task.path, True) for role, task in tasks.items()}
