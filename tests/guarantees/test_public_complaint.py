"""The public complaint form: one question a page, check your answers, a
reference, the honeypot, the minimum fill time and the rate limit."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from guarantees import services
from guarantees.choices import ComplaintState
from guarantees.models import Complaint, Entitlement
from tests.schools.factories import SchoolFactory


@pytest.fixture(autouse=True)
def no_wait(settings):
    cache.clear()
    settings.GUARANTEES_COMPLAINT_MIN_FILL_SECONDS = 0
    yield
    cache.clear()


def _answer_everything(client, school, *, email="pat@example.net", tuition=True):
    entitlement = Entitlement.objects.get(
        text__contains="aged seven to eleven" if tuition else "prevent and tackle all forms"
    )
    steps = [
        ("school", {"school": school.urn}),
        ("guarantee", {"ambition": entitlement.ambition_id}),
        ("entitlements", {"entitlements": [entitlement.pk]}),
    ]
    if tuition:
        steps.append(("tuition", {"concerns_la_tuition": "yes"}))
    steps += [
        ("what-happened", {"description": "No tuition since September."}),
        ("about-you", {"relationship": "parent"}),
        ("contact", {"name": "Pat Parent", "email": email}),
    ]
    for step, data in steps:
        response = client.post(f"/complaints/new/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    return response


@pytest.mark.django_db
def test_the_start_page_needs_no_sign_in(client):
    response = client.get("/complaints/new/")
    assert response.status_code == 200
    assert "Start now" in response.content.decode()


@pytest.mark.django_db
def test_a_parent_answers_one_question_a_page_checks_and_gets_a_reference(
    client, nw_school, django_capture_on_commit_callbacks
):
    last = _answer_everything(client, nw_school)
    assert last["Location"] == "/complaints/new/check/"
    check = client.get("/complaints/new/check/").content.decode()
    assert "Check your answers" in check and nw_school.name in check
    assert "No tuition since September." in check
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/complaints/new/check/", {})
    assert sent["Location"] == "/complaints/new/sent/"
    page = client.get("/complaints/new/sent/").content.decode()
    complaint = Complaint.objects.get()
    assert complaint.reference in page
    assert re.fullmatch(r"PG-[A-Z2-9]{4}-[A-Z2-9]{4}", complaint.reference)
    assert complaint.state == ComplaintState.AWAITING_CONFIRMATION
    assert complaint.concerns_la_tuition
    assert mail.outbox[0].to == ["pat@example.net"]
    assert complaint.reference in mail.outbox[0].subject
    link = re.search(r"http\S+/complaints/confirm/(\S+)/", mail.outbox[0].body)
    confirm_page = client.get(f"/complaints/confirm/{link.group(1)}/")
    assert confirm_page.status_code == 200
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.AWAITING_CONFIRMATION  # GET changes nothing
    client.post(f"/complaints/confirm/{link.group(1)}/")
    complaint.refresh_from_db()
    assert complaint.state == ComplaintState.RECEIVED


@pytest.mark.django_db
def test_the_tuition_question_is_asked_only_about_tuition(client, nw_school):
    _answer_everything(client, nw_school, tuition=False)
    check = client.get("/complaints/new/check/").content.decode()
    assert "Tuition provided by the local authority" not in check


@pytest.mark.parametrize(
    "step, data, message",
    [
        ("school", {"school": ""}, "Enter the school&#x27;s name or URN."),
        ("school", {"school": "999999"}, "No open school in England matches"),
        ("guarantee", {}, "Select the part of the Guarantees."),
        ("entitlements", {}, "Select at least one entitlement."),
        ("what-happened", {"description": ""}, "Enter what happened."),
        ("about-you", {"relationship": "uncle"}, "Select a valid choice"),
        ("contact", {"email": "not-an-address"}, "Enter an e-mail address in the correct format"),
    ],
)
@pytest.mark.django_db
def test_each_question_shows_a_gov_uk_error(client, nw_school, step, data, message):
    if step != "school":
        client.post("/complaints/new/school/", {"school": nw_school.urn})
    response = client.post(f"/complaints/new/{step}/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and message in html


@pytest.mark.django_db
def test_a_school_name_matching_several_asks_which(client, north_west):
    SchoolFactory(name="St Mary's Primary, Leeds")
    SchoolFactory(name="St Mary's Primary, York")
    response = client.post("/complaints/new/school/", {"school": "St Mary"})
    assert response["Location"] == "/complaints/new/school-choice/"
    choice = client.get("/complaints/new/school-choice/").content.decode()
    assert "Leeds" in choice and "York" in choice


@pytest.mark.django_db
def test_a_filled_in_honeypot_sends_nothing(client, nw_school):
    _answer_everything(client, nw_school)
    response = client.post("/complaints/new/check/", {"website": "http://spam.example"})
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    bot_question = client.post("/complaints/new/about-you/", {"relationship": "parent",
                                                               "website": "x"})  # fmt: skip
    assert bot_question.status_code == 400


@pytest.mark.django_db
def test_a_form_sent_faster_than_a_person_could_is_refused(client, nw_school, settings):
    settings.GUARANTEES_COMPLAINT_MIN_FILL_SECONDS = 3600
    _answer_everything(client, nw_school)
    response = client.post("/complaints/new/check/", {})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


@pytest.mark.django_db
def test_complaints_are_rate_limited_per_address(client, nw_school, settings):
    settings.GUARANTEES_COMPLAINT_LIMITS = {"per_email": 2, "per_ip": 100}
    for _ in range(2):
        _answer_everything(client, nw_school)
        assert client.post("/complaints/new/check/", {}).status_code == 302
    _answer_everything(client, nw_school)
    refused = client.post("/complaints/new/check/", {})
    assert refused.status_code == 429
    assert "Too many complaints" in refused.content.decode()
    assert Complaint.objects.count() == 2
    _answer_everything(client, nw_school, email="other@example.net")
    assert client.post("/complaints/new/check/", {}).status_code == 302


@pytest.mark.django_db
def test_complaints_are_rate_limited_per_connection(nw_school, settings):
    settings.GUARANTEES_COMPLAINT_LIMITS = {"per_email": 100, "per_ip": 1}
    entitlement = Entitlement.objects.first()
    kwargs = dict(school=nw_school, entitlements=[entitlement], description="x",
                  relationship="pupil", ip="192.0.2.7")  # fmt: skip
    services.complaint_submit_public(email="a@example.net", **kwargs)
    with pytest.raises(services.ValidationError, match="Too many complaints"):
        services.complaint_submit_public(email="b@example.net", **kwargs)


@pytest.mark.django_db
def test_the_complainant_sees_the_status_by_reference_and_email(client, nw_school):
    from tests.guarantees.factories import ComplaintFactory

    complaint = ComplaintFactory(school=nw_school, complainant_email="pat@example.net")
    found = client.post(
        "/complaints/status/",
        {"reference": complaint.reference.lower(), "email": "PAT@example.net"},
    )
    assert found.status_code == 200
    assert "Received by the school" in found.content.decode()
    assert complaint.description not in found.content.decode()
    wrong = client.post(
        "/complaints/status/", {"reference": complaint.reference, "email": "eve@example.net"}
    )
    assert wrong.status_code == 400
    assert "Received by the school" not in wrong.content.decode()


@pytest.mark.django_db
def test_a_primary_school_is_not_offered_the_personal_tutor_entitlement(client, nw_school):
    client.post("/complaints/new/school/", {"school": nw_school.urn})
    tutor = Entitlement.objects.get(text__contains="Personal Tutor who knows them")
    client.post("/complaints/new/guarantee/", {"ambition": tutor.ambition_id})
    page = client.get("/complaints/new/entitlements/").content.decode()
    assert "aged seven to eleven" in page
    assert "Personal Tutor who knows them" not in page
    refused = client.post("/complaints/new/entitlements/", {"entitlements": [tutor.pk]})
    assert refused.status_code == 400
