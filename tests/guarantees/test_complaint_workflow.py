"""The complaint's redress route, from the school to a Secretary of State
direction, through the services and the API, with every stage recorded."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from guarantees import services
from guarantees.choices import ComplaintState, Outcome
from guarantees.models import (
    Complaint,
    ComplaintStageSla,
    Entitlement,
    LocalAuthorityTuitionContact,
)
from portal.models import Role
from portal.workdays import add_working_days
from portal.workflow import WorkflowConflict
from tests.guarantees.factories import (
    ComplaintFactory,
    GoverningBodyComplaintFactory,
    ResolvingComplaintFactory,
    SchoolStageExhaustedComplaintFactory,
    UnconfirmedComplaintFactory,
    WithOmbudsmanComplaintFactory,
)


@pytest.mark.django_db
def test_a_complaint_goes_from_the_school_to_a_secretary_of_state_direction(
    contact, nw_staff, nw_school, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(school=nw_school)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_acknowledge(complaint, user=contact)
        assert complaint.state == ComplaintState.SCHOOL_RESOLUTION
        complaint = services.complaint_refer_to_governing_body(
            complaint, user=contact, response="We offered tuition.", link_governor_name="Gita"
        )
        assert complaint.state == ComplaintState.GOVERNING_BODY_REVIEW
        complaint = services.complaint_governing_body_decides(
            complaint, user=contact, outcome=Outcome.NOT_UPHELD, response="Tuition was offered."
        )
        assert complaint.state == ComplaintState.SCHOOL_STAGE_EXHAUSTED
        complaint = services.complaint_refer_to_ombudsman(
            complaint, user=nw_staff, ombudsman_reference="LGO-1"
        )
        complaint = services.complaint_ombudsman_recommends(
            complaint, user=nw_staff, outcome=Outcome.UPHELD, recommendation="Provide tuition."
        )
        complaint = services.complaint_secretary_of_state_directs(
            complaint, user=nw_staff, direction="Comply within 20 days."
        )
        assert complaint.state == ComplaintState.SECRETARY_OF_STATE_DIRECTION
        complaint = services.complaint_school_complies(complaint, user=nw_staff)
    assert complaint.state == ComplaintState.CLOSED and complaint.closed_at
    assert complaint.outcome == Outcome.UPHELD
    names = [e.name for e in complaint.timeline_events.all()]
    assert names == [
        "acknowledge",
        "refer_to_governing_body",
        "governing_body_decides",
        "refer_to_ombudsman",
        "ombudsman_recommends",
        "secretary_of_state_directs",
        "school_complies",
    ]
    # The complainant hears of every stage.
    to_complainant = [m for m in mail.outbox if m.to == [complaint.complainant_email]]
    assert len(to_complainant) == 7


@pytest.mark.django_db
def test_each_stage_is_due_after_its_working_days_kept_as_data(contact, nw_school):
    ComplaintStageSla.objects.filter(state=ComplaintState.SCHOOL_RESOLUTION).update(working_days=3)
    complaint = services.complaint_acknowledge(ComplaintFactory(school=nw_school), user=contact)
    from django.utils import timezone

    assert complaint.due_on == add_working_days(timezone.localdate(), 3)


@pytest.mark.django_db
def test_the_ombudsman_referral_is_refused_before_the_school_stage_ends(nw_staff, nw_school):
    for factory in (ComplaintFactory, ResolvingComplaintFactory, GoverningBodyComplaintFactory):
        complaint = factory(school=nw_school)
        with pytest.raises(WorkflowConflict, match="only after the school stage"):
            services.complaint_refer_to_ombudsman(complaint, user=nw_staff)
        complaint.refresh_from_db()
        assert complaint.state == factory._meta.model.objects.get(pk=complaint.pk).state


@pytest.mark.django_db
def test_vexatious_needs_a_reason_and_the_governing_body_review_or_later(contact, nw_school):
    early = ResolvingComplaintFactory(school=nw_school)
    with pytest.raises(WorkflowConflict, match="governing body's review or later"):
        services.complaint_mark_vexatious(early, user=contact, reason="Fifth identical complaint")
    review = GoverningBodyComplaintFactory(school=nw_school)
    with pytest.raises(ValidationError) as error:
        services.complaint_mark_vexatious(review, user=contact, reason="  ")
    assert error.value.message_dict == {"reason": [services.REASON_REQUIRED]}
    done = services.complaint_mark_vexatious(
        review, user=contact, reason="Fifth identical complaint"
    )
    assert done.vexatious and done.vexatious_reason == "Fifth identical complaint"
    assert done.state == ComplaintState.CLOSED and done.outcome == Outcome.NOT_UPHELD


@pytest.mark.django_db
def test_school_contacts_act_up_to_the_governing_body_and_staff_after(
    contact, nw_staff, nw_school, make_user
):
    exhausted = SchoolStageExhaustedComplaintFactory(school=nw_school)
    with pytest.raises(PermissionDenied):
        services.complaint_refer_to_ombudsman(exhausted, user=contact)
    resolving = ResolvingComplaintFactory(school=nw_school)
    with pytest.raises(PermissionDenied):
        services.complaint_school_resolves(
            resolving, user=nw_staff, outcome=Outcome.UPHELD, response="x"
        )
    admin = make_user(Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.complaint_acknowledge(ComplaintFactory(school=nw_school), user=admin)
    with_ombudsman = WithOmbudsmanComplaintFactory(school=nw_school)
    with pytest.raises(PermissionDenied):
        services.complaint_withdraw(with_ombudsman, user=contact, reason="Moved school")


@pytest.mark.django_db
def test_the_school_can_resolve_it_with_an_outcome(contact, nw_school):
    complaint = ResolvingComplaintFactory(school=nw_school)
    with pytest.raises(ValidationError) as error:
        services.complaint_school_resolves(complaint, user=contact, outcome="", response="x")
    assert "outcome" in error.value.message_dict
    done = services.complaint_school_resolves(
        complaint, user=contact, outcome=Outcome.PARTLY_UPHELD, response="Tuition starts Monday."
    )
    assert (done.state, done.outcome) == (ComplaintState.CLOSED, Outcome.PARTLY_UPHELD)


@pytest.mark.django_db
def test_confirming_the_address_sends_it_to_the_school_and_draws_in_the_la(
    contact, nw_school, django_capture_on_commit_callbacks
):
    LocalAuthorityTuitionContact.objects.create(
        local_authority=nw_school.local_authority, email="tuition@la.example"
    )
    tuition = Entitlement.objects.get(text__contains="aged seven to eleven")
    with django_capture_on_commit_callbacks(execute=True):
        complaint = services.complaint_submit_public(
            school=nw_school,
            entitlements=[tuition],
            description="No tuition.",
            relationship="parent",
            email="pat@example.net",
            concerns_la_tuition=True,
            ip="10.0.0.1",
        )
    assert complaint.state == ComplaintState.AWAITING_CONFIRMATION
    assert [m.to for m in mail.outbox] == [["pat@example.net"]]
    token = re.search(r"/complaints/confirm/(\S+)/", mail.outbox[0].body).group(1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.complaint_confirm_email(token=token)
    assert confirmed.state == ComplaintState.RECEIVED and confirmed.email_confirmed_at
    confirmed.refresh_from_db()
    assert confirmed.local_authority == nw_school.local_authority and confirmed.la_notified_at
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["head@brookside.example", "tuition@la.example"]
    assert confirmed.due_on is not None
    # A second click changes nothing.
    assert services.complaint_confirm_email(token=token).state == ComplaintState.RECEIVED
    with pytest.raises(ValidationError):
        services.complaint_confirm_email(token=token + "x")


@pytest.mark.django_db
def test_erasing_personal_data_keeps_the_anonymised_record(contact, nw_school, make_user):
    complaint = ComplaintFactory(school=nw_school, complainant_email="pat@example.net")
    services.complaint_acknowledge(complaint, user=contact)
    with pytest.raises(PermissionDenied):
        services.complaint_erase_personal_data(complaint, user=make_user(Role.RDP))
    erased = services.complaint_erase_personal_data(complaint, user=contact, note="By phone")
    assert (erased.complainant_name, erased.complainant_email) == ("", "")
    assert erased.description == "[erased]" and erased.erased_at
    assert erased.state == ComplaintState.SCHOOL_RESOLUTION and erased.reference
    assert not Complaint.history.filter(complainant_email="pat@example.net").exists()
    assert Complaint.history.filter(id=complaint.pk).exists()


@pytest.mark.django_db
def test_an_unconfirmed_complaint_is_invisible_to_the_school(
    api_client_for, contact, nw_school, nw_staff
):
    UnconfirmedComplaintFactory(school=nw_school)
    ComplaintFactory(school=nw_school)
    assert len(api_client_for(contact).get("/api/complaints/").json()["results"]) == 1
    assert len(api_client_for(nw_staff).get("/api/complaints/").json()["results"]) == 1


@pytest.mark.django_db
def test_an_overdue_complaint_is_chased_once(
    contact, nw_staff, nw_school, django_capture_on_commit_callbacks
):
    import datetime as dt

    from portal.overdue import workflow_notify_overdue

    ComplaintFactory(school=nw_school, due_on=dt.date(2026, 11, 2))
    WithOmbudsmanComplaintFactory(school=nw_school, due_on=dt.date(2026, 11, 2))
    ComplaintFactory(school=nw_school, due_on=dt.date(2026, 12, 20))
    with django_capture_on_commit_callbacks(execute=True):
        assert workflow_notify_overdue(today=dt.date(2026, 11, 30)) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contact.email, nw_staff.email])
    assert workflow_notify_overdue(today=dt.date(2026, 12, 1)) == 0
