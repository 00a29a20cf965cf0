"""The form's sections: valid values save, wrong ones answer 400 and save
nothing, each section's rules, and the bank details never leave in full."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command

from deployments.delivery import crypto
from deployments.delivery.models import BankDetails, Deployment, DeploymentSection
from tests.deployments.delivery_fixtures import ACCOUNT_NUMBER, SECTION_VALUES, SORT_CODE, make_cast
from tests.schools.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def section_url(deployment, key):
    return f"/api/deployments/{deployment.pk}/sections/{key}/"


def in_delivery(cast):
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    return cast.deployment


def test_valid_values_save_and_the_section_stays_in_progress_until_complete(api_client_for):
    cast = make_cast()
    api = api_client_for(cast.leader)
    r = api.put(section_url(cast.deployment, "details"), {"contact_name": "Ada"}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "in_progress"
    assert r.json()["missing"] == ["contact_email", "contact_role"]
    assert r.json()["prefilled"]["school_urn"] == cast.deployment.school.urn


def test_a_wrong_value_answers_400_and_saves_nothing_of_the_request(api_client_for):
    cast = make_cast()
    api = api_client_for(cast.leader)
    r = api.put(
        section_url(cast.deployment, "details"),
        {"contact_name": "Ada", "contact_email": "not-an-email"},
        format="json",
    )
    assert r.status_code == 400 and "contact_email" in r.json()
    assert not DeploymentSection.objects.filter(deployment=cast.deployment).exists()


def test_a_bad_sort_code_is_refused(api_client_for):
    cast = make_cast()
    r = api_client_for(cast.leader).put(
        section_url(cast.deployment, "bank_details"),
        {"account_name": "X", "sort_code": "12345", "account_number": ACCOUNT_NUMBER},
        format="json",
    )
    assert r.status_code == 400
    assert r.json()["sort_code"] == ["Sort code must be 6 digits."]
    assert not BankDetails.objects.exists()


def test_a_bad_account_number_is_refused(api_client_for):
    cast = make_cast()
    r = api_client_for(cast.leader).put(
        section_url(cast.deployment, "bank_details"), {"account_number": "1234567"}, format="json"
    )
    assert r.status_code == 400 and "account_number" in r.json()


def test_claim_days_over_the_cap_are_refused_and_half_days_required(api_client_for):
    cast = make_cast()
    in_delivery(cast)
    api = api_client_for(cast.leader)
    url = section_url(cast.deployment, "claim")
    assert api.put(url, {"days": "10.5"}, format="json").status_code == 400
    assert api.put(url, {"days": "9.25"}, format="json").status_code == 400
    assert api.put(url, {"days": "many"}, format="json").status_code == 400
    r = api.put(url, {"days": "10"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "6000.00"


def test_twelve_days_are_refused_until_a_five_day_extension_is_approved(api_client_for):
    cast = make_cast()
    in_delivery(cast)
    leader, rdp, staff = (api_client_for(u) for u in (cast.leader, cast.rdp, cast.staff))
    url = section_url(cast.deployment, "claim")
    assert leader.put(url, {"days": "12"}, format="json").status_code == 400
    request = leader.post(
        "/api/enhanced-requests/",
        {"deployment": cast.deployment.pk, "kind": "extension", "days": "5",
         "context": "Phonics plan needs embedding", "school_agrees": True},
        format="json",
    )  # fmt: skip
    assert request.status_code == 201, request.json()
    rid = request.json()["id"]
    assert leader.put(url, {"days": "12"}, format="json").status_code == 400
    r = rdp.post(f"/api/enhanced-requests/{rid}/rdp-forwards/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "with_dfe"
    r = staff.post(f"/api/enhanced-requests/{rid}/dfe-approves/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    deployment = leader.get(f"/api/deployments/{cast.deployment.pk}/").json()
    assert deployment["claim_cap_days"] == "15.0"
    assert deployment["approved_extension_days"] == "5.0"
    assert deployment["completion_date"] == (dt.date.today() + dt.timedelta(weeks=12)).isoformat()
    r = leader.put(url, {"days": "12"}, format="json")
    assert r.status_code == 200 and r.json()["amount"] == "7200.00"


def test_school_confirmation_is_refused_to_the_system_leader(api_client_for):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="school_sign_off")
    url = section_url(cast.deployment, "school_confirmation")
    values = SECTION_VALUES["school_confirmation"]
    assert api_client_for(cast.leader).put(url, values, format="json").status_code == 403
    r = api_client_for(cast.contact).put(url, values, format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"


def test_the_declaration_waits_for_sections_one_to_six_and_comes_before_the_school(
    api_client_for,
):
    cast = make_cast()
    deployment = in_delivery(cast)
    api = api_client_for(cast.leader)
    url = section_url(deployment, "declaration")
    r = api.put(url, SECTION_VALUES["declaration"], format="json")
    assert r.status_code == 409 and "sections 1 to 6" in r.json()["detail"]
    for key in ["details", "scope", "mid_review", "closure", "bank_details", "claim"]:
        assert api.put(section_url(deployment, key), SECTION_VALUES[key],
                       format="json").status_code == 200  # fmt: skip
    statuses = {s["key"]: s["status"] for s in api.get(
        f"/api/deployments/{deployment.pk}/").json()["sections"]}  # fmt: skip
    assert statuses["declaration"] == "not_started"
    assert statuses["school_confirmation"] == "cannot_start_yet"
    r = api.put(url, SECTION_VALUES["declaration"], format="json")
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert r.json()["number"] == 7
    r = api.post(f"/api/deployments/{deployment.pk}/send-for-sign-off/", {}, format="json")
    assert r.status_code == 200 and r.json()["state"] == "school_sign_off"
    # Signed by the leader: the declaration is closed once the form is with the school.
    assert api.put(url, SECTION_VALUES["declaration"], format="json").status_code == 409


def test_the_school_signs_off_only_its_own_confirmation_and_the_leader_then_submits(
    api_client_for,
):
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="school_sign_off")
    contact = api_client_for(cast.contact)
    base = f"/api/deployments/{cast.deployment.pk}"
    r = contact.post(f"{base}/school-signs-off/", {}, format="json")
    assert r.status_code == 409
    r = contact.put(section_url(cast.deployment, "school_confirmation"),
                    SECTION_VALUES["school_confirmation"], format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["number"] == 8
    assert contact.post(f"{base}/school-signs-off/", {}, format="json").status_code == 200


def test_send_for_sign_off_with_a_section_missing_answers_409(api_client_for):
    cast = make_cast()
    in_delivery(cast)
    api = api_client_for(cast.leader)
    for key in ["details", "scope", "mid_review", "closure", "bank_details"]:
        assert api.put(section_url(cast.deployment, key), SECTION_VALUES[key],
                       format="json").status_code == 200  # fmt: skip
    r = api.post(f"/api/deployments/{cast.deployment.pk}/send-for-sign-off/", {}, format="json")
    assert r.status_code == 409
    assert "Payment claim" in r.json()["detail"] and "declaration" in r.json()["detail"]


def test_a_school_in_a_multi_academy_trust_needs_the_trust_ceo_confirmation(api_client_for):
    from tests.schools.factories import TrustFactory

    cast = make_cast()
    school = cast.deployment.school
    school.trust = TrustFactory()
    school.save()
    api = api_client_for(cast.leader)
    r = api.put(section_url(cast.deployment, "scope"), SECTION_VALUES["scope"], format="json")
    assert r.json()["missing"] == [
        "through_trust_ceo_confirmed", "support_level", "mat_assurance_self_assessment_done",
    ]  # fmt: skip
    r = api.put(section_url(cast.deployment, "scope"), {"through_trust_ceo_confirmed": True,
                "support_level": "trust", "mat_assurance_self_assessment_done": False},
                format="json")  # fmt: skip
    assert r.json()["status"] == "completed"


def test_an_unknown_programme_or_focus_area_is_refused(api_client_for):
    cast = make_cast()
    api = api_client_for(cast.leader)
    url = section_url(cast.deployment, "scope")
    assert api.put(url, {"programmes": ["made-up"]}, format="json").status_code == 400
    bad = {"focus_areas": [{"key": "astrology", "priority": "high"}]}
    assert api.put(url, bad, format="json").status_code == 400


def test_closure_needs_a_reason_when_not_everything_was_completed(api_client_for):
    cast = make_cast()
    in_delivery(cast)
    api = api_client_for(cast.leader)
    values = {**SECTION_VALUES["closure"], "all_activities_completed": False}
    r = api.put(section_url(cast.deployment, "closure"), values, format="json")
    assert r.json()["missing"] == ["not_completed_reason"]


def test_bank_details_are_encrypted_at_rest_and_answered_masked(api_client_for):
    cast = make_cast()
    r = api_client_for(cast.leader).put(
        section_url(cast.deployment, "bank_details"), SECTION_VALUES["bank_details"], format="json"
    )
    assert r.status_code == 200
    assert r.json()["account_number_masked"] == "****6819"
    assert r.json()["sort_code_masked"] == "**-**-13"
    bank = BankDetails.objects.get()
    assert ACCOUNT_NUMBER not in bank.account_number_encrypted
    assert crypto.decrypt(bank.account_number_encrypted) == ACCOUNT_NUMBER
    assert crypto.decrypt(bank.sort_code_encrypted) == SORT_CODE
    assert bank.fingerprint == crypto.fingerprint(SORT_CODE, ACCOUNT_NUMBER)
    cast.deployment.refresh_from_db()
    assert cast.deployment.bank_details_changed_at is not None


def test_old_keys_still_decrypt_after_rotation(settings):
    from cryptography.fernet import Fernet

    old = settings.BANK_DETAILS_KEYS[0]
    token = crypto.encrypt(ACCOUNT_NUMBER)
    settings.BANK_DETAILS_KEYS = [Fernet.generate_key().decode(), old]
    assert crypto.decrypt(token) == ACCOUNT_NUMBER
    rotated = crypto.rotate(token)
    settings.BANK_DETAILS_KEYS = settings.BANK_DETAILS_KEYS[:1]
    assert crypto.decrypt(rotated) == ACCOUNT_NUMBER


def test_the_account_number_appears_in_no_response_export_history_or_log(
    api_client_for, client_for, caplog, tmp_path
):
    """Search every place the full number could leak for it."""
    caplog.set_level(logging.DEBUG)
    cast = make_cast()
    d = cast.deployment
    leader = api_client_for(cast.leader)
    seen = []
    r = leader.put(section_url(d, "bank_details"), SECTION_VALUES["bank_details"], format="json")
    seen.append(r.content)
    bad = leader.put(section_url(d, "bank_details"), {"account_number": "3192681X"}, format="json")
    seen.append(bad.content)
    for user in (cast.leader, cast.rdp, cast.staff, cast.contact):
        api = api_client_for(user)
        seen.append(api.get(f"/api/deployments/{d.pk}/").content)
        seen.append(api.get(section_url(d, "bank_details")).content)
        seen.append(api.get("/api/deployments/").content)
    html = client_for(cast.leader)
    for path in ["", "sections/bank_details/", "print/", "export.xlsx", "activities/"]:
        seen.append(html.get(f"/deployments/{d.pk}/{path}").content)
    from deployments.delivery.export import deployment_workbook

    xlsx = tmp_path / "form.xlsx"
    xlsx.write_bytes(deployment_workbook(d))
    import openpyxl

    cells = [
        str(c.value)
        for sheet in openpyxl.load_workbook(xlsx).worksheets
        for row in sheet.iter_rows()
        for c in row
    ]
    seen.append(" ".join(cells).encode())
    dump = tmp_path / "dump.json"
    call_command("dumpdata", "deployments", "portal.timelineevent", output=str(dump))
    seen.append(dump.read_bytes().replace(
        BankDetails.objects.get().account_number_encrypted.encode(), b""
    ))  # fmt: skip
    seen.append(caplog.text.encode())
    for blob in seen:
        assert ACCOUNT_NUMBER.encode() not in blob
        assert SORT_CODE.encode() not in blob
    # No history table holds bank details at all.
    from django.apps import apps

    assert not any(m._meta.model_name == "historicalbankdetails" for m in apps.get_models())


def test_a_trust_deployment_is_prefilled_from_the_trust_and_confirmed_by_its_contact(
    api_client_for,
):
    from portal.models import Role
    from tests.deployments.factories import (
        DeploymentFactory,
        EligibilityAssessmentFactory,
        IssuedCaseFactory,
    )
    from tests.portal.factories import UserFactory
    from tests.schools.factories import RegionFactory, TrustFactory

    region = RegionFactory(name="North West", code="E12000002")
    trust = TrustFactory(head_of_group="Chief Executive")
    case = IssuedCaseFactory(
        school=None,
        trust=trust,
        region=region,
        eligibility=EligibilityAssessmentFactory(school=None, trust=trust, region=region),
    )
    deployment = DeploymentFactory(
        support_case=case, system_leader=case.system_leader, school=None, trust=trust
    )
    leader = api_client_for(case.system_leader.user)
    body = leader.get(section_url(deployment, "details")).json()
    assert body["prefilled"]["trust_uid"] == trust.uid
    assert body["prefilled"]["headteacher_or_ceo"] == "Chief Executive"
    Deployment.objects.filter(pk=deployment.pk).update(state="school_sign_off")
    contact = UserFactory(role=Role.SCHOOL_CONTACT, trust=trust)
    school_contact = UserFactory(role=Role.SCHOOL_CONTACT, school=SchoolFactory(region=region))
    values = SECTION_VALUES["school_confirmation"]
    url = section_url(deployment, "school_confirmation")
    assert api_client_for(school_contact).put(url, values, format="json").status_code == 404
    assert api_client_for(contact).put(url, values, format="json").status_code == 200


def test_a_form_the_school_signed_before_the_declaration_came_first_is_declared_then_submitted(
    api_client_for,
):
    cast = make_cast()
    deployment = in_delivery(cast)
    for key in ["details", "scope", "mid_review", "closure", "bank_details", "claim"]:
        api_client_for(cast.leader).put(
            section_url(deployment, key), SECTION_VALUES[key], format="json"
        )
    Deployment.objects.filter(pk=deployment.pk).update(state="school_sign_off")
    api_client_for(cast.contact).put(
        section_url(deployment, "school_confirmation"),
        SECTION_VALUES["school_confirmation"],
        format="json",
    )
    Deployment.objects.filter(pk=deployment.pk).update(state="signed")
    leader = api_client_for(cast.leader)
    submit = f"/api/deployments/{deployment.pk}/submit/"
    assert leader.post(submit, {}, format="json").status_code == 409
    r = leader.put(section_url(deployment, "declaration"), SECTION_VALUES["declaration"],
                   format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "completed"
    assert leader.post(submit, {}, format="json").status_code == 200
