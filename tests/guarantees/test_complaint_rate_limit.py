"""The public complaint limit holds when complaints arrive at the same moment:
each is counted before it is saved (portal.ratelimit, the helper the password
reset limit uses), so 8 at once pass a limit of 3. And the pages that show a
visitor's answers are never stored by a browser or proxy."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from guarantees import services
from guarantees.models import Complaint, Entitlement
from tests.guarantees.test_public_complaint import _answer_everything

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_wait(settings):
    cache.clear()
    settings.GUARANTEES_COMPLAINT_MIN_FILL_SECONDS = 0
    yield
    cache.clear()


def test_eight_complaints_sent_at_once_pass_a_limit_of_three(nw_school, settings, monkeypatch):
    """The worst interleaving, made certain: every request arrives while the
    ones before it are still being saved (inside `_reference_new`)."""
    settings.GUARANTEES_COMPLAINT_LIMITS = {"per_email": 3, "per_ip": 100}
    kwargs = dict(
        school=nw_school,
        entitlements=[Entitlement.objects.first()],
        description="No tuition.",
        relationship="parent",
        email="pat@example.net",
        ip="192.0.2.7",
    )
    outcomes, arrived = [], [0]

    def send():
        arrived[0] += 1
        try:
            services.complaint_submit_public(**kwargs)
            outcomes.append("accepted")
        except ValidationError as exc:
            assert exc.code == "rate_limited"
            outcomes.append("refused")

    reference_new = services._reference_new

    def the_rest_arrive_mid_save():
        while arrived[0] < 8:
            send()
        return reference_new()

    monkeypatch.setattr(services, "_reference_new", the_rest_arrive_mid_save)
    send()
    assert sorted(outcomes) == ["accepted"] * 3 + ["refused"] * 5
    assert Complaint.objects.count() == 3


@pytest.mark.parametrize("step", ["check", "contact"])
def test_the_pages_holding_a_visitors_answers_are_never_stored(client, nw_school, step):
    _answer_everything(client, nw_school)
    response = client.get(f"/complaints/new/{step}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
