"""Funded partnership grants (guidance section 5): DfE's approval names the
partner trust and the start, the grant is paid to the partner trust in the
offer's instalments, the offer letter is a PDF, the trust gives its bank
details, and the last instalment waits for the end of the partnership."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from pypdf import PdfReader

from deployments.delivery import grants
from deployments.delivery.grant_letter import grant_offer_letter_pdf
from deployments.delivery.grants import grant_ends_on
from portal.models import Role, User
from tests.deployments.grant_fixtures import approved_grant, ended_grant, partnership_with_dfe
from tests.schools.factories import TrustFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def approve(api, g, **body):
    return api.post(f"/api/enhanced-requests/{g.request.pk}/dfe-approves/", body, format="json")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF")
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Approval ---------------------------------------------------------------------


def test_approval_defaults_to_the_suggested_trust_and_today_with_the_offers_figures(
    api_client_for,
):
    g = partnership_with_dfe()
    offer = g.cast.deployment.offer
    offer.partnership_grant = Decimal("9000.00")  # figures come from the offer row
    offer.save()
    r = approve(api_client_for(g.cast.staff), g)
    assert r.status_code == 200, r.json()
    grant = r.json()["grant"]
    assert grant["partner_trust_uid"] == "4321"
    assert grant["partner_trust_name"] == "Strong Partner Academy Trust"
    assert grant["starts_on"] == TODAY.isoformat()
    assert grant["ends_on"] == grant_ends_on(TODAY, 12).isoformat()
    assert grant["total"] == "9000.00"
    assert grant["bank_details"] is None
    assert grant["offer_letter_url"].endswith(
        f"/api/partnership-grants/{grant['id']}/offer-letter/"
    )
    assert [(i["number"], i["amount"], i["is_due"], i["claim"]) for i in grant["instalments"]] == [
        (1, "4500.00", False, None),
        (2, "4500.00", False, None),
    ]
    again = api_client_for(g.cast.staff).get(f"/api/partnership-grants/{grant['id']}/")
    assert again.status_code == 200 and again.json() == grant


def test_approval_takes_another_partner_trust_and_a_start_date(api_client_for):
    g = partnership_with_dfe()
    chosen = TrustFactory(uid="9876")
    starts = TODAY + dt.timedelta(days=10)
    r = approve(
        api_client_for(g.cast.staff),
        g,
        partner_trust_uid="9876",
        starts_on=starts.isoformat(),
        partner_contact_email="head@chosen.example.org",
    )
    assert r.status_code == 200, r.json()
    grant = r.json()["grant"]
    assert grant["partner_trust_uid"] == chosen.uid
    assert grant["starts_on"] == starts.isoformat()
    assert grant["ends_on"] == grant_ends_on(starts, 12).isoformat()


def test_twelve_months_on_from_the_31st_ends_on_the_months_last_day():
    assert grant_ends_on(dt.date(2024, 1, 31), 12) == dt.date(2025, 1, 31)
    assert grant_ends_on(dt.date(2023, 2, 28), 12) == dt.date(2024, 2, 28)
    assert grant_ends_on(dt.date(2023, 3, 31), 11) == dt.date(2024, 2, 29)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"partner_trust_uid": "0000"}, "partner_trust_uid"),
        ({"partner_trust_uid": "closed"}, "partner_trust_uid"),
        ({"partner_trust_uid": "own"}, "partner_trust_uid"),
        ({"starts_on": "2000-01-01"}, "starts_on"),
    ],
)
def test_approval_refuses_a_wrong_partner_trust_or_start(api_client_for, body, field):
    g = partnership_with_dfe()
    if body.get("partner_trust_uid") == "closed":
        body = {"partner_trust_uid": TrustFactory(status="closed").uid}
    if body.get("partner_trust_uid") == "own":
        own = TrustFactory()
        g.cast.deployment.school.trust = own
        g.cast.deployment.school.save()
        body = {"partner_trust_uid": own.uid}
    r = approve(api_client_for(g.cast.staff), g, **body)
    assert r.status_code == 400 and field in r.json(), r.json()
    g.request.refresh_from_db()
    assert g.request.state == "with_dfe"


def test_a_partner_trust_without_a_contact_needs_an_address_to_invite(
    api_client_for, django_capture_on_commit_callbacks
):
    g = partnership_with_dfe(partner_contact=False)
    staff = api_client_for(g.cast.staff)
    r = approve(staff, g)
    assert r.status_code == 400
    assert r.json()["partner_contact_email"] == [grants.CONTACT_NEEDED]
    r = approve(staff, g, partner_contact_email=g.cast.leader.email)
    assert r.json()["partner_contact_email"] == [grants.CONTACT_OF_OTHER]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = approve(staff, g, partner_contact_email="Bursar@Partner.example.org")
    assert r.status_code == 200, r.json()
    invited = User.objects.get(email="bursar@partner.example.org")
    assert invited.role == Role.SCHOOL_CONTACT and invited.trust == g.partner
    assert not invited.has_usable_password()
    to_invited = [m for m in mail.outbox if invited.email in m.to]
    subjects = sorted(m.subject for m in to_invited)
    assert any("invited" in s for s in subjects)
    letter_mail = next(m for m in to_invited if "Grant offer" in m.subject)
    grant_id = r.json()["grant"]["id"]
    link = f"{settings.PORTAL_BASE_URL}/partnership-grants/{grant_id}/offer-letter.pdf"
    assert link in letter_mail.body
    assert "£10,000.00" in letter_mail.body


def test_the_offer_letter_is_emailed_to_the_partner_trusts_contacts_at_approval(
    api_client_for, django_capture_on_commit_callbacks
):
    g = partnership_with_dfe()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert approve(api_client_for(g.cast.staff), g).status_code == 200
    letters = [m for m in mail.outbox if m.subject.startswith("Grant offer")]
    assert [m.to for m in letters] == [[g.partner_contact.email]]
    assert "offer-letter.pdf" in letters[0].body
    assert g.other_contact.email not in {a for m in mail.outbox for a in m.to}


def test_the_html_approval_finds_the_partner_trust_by_name(client_for):
    g = partnership_with_dfe()
    chosen = TrustFactory(name="Northern Lights Learning Trust")
    page = f"/enhanced-requests/{g.request.pk}/dfe-approves/"
    client = client_for(g.cast.staff)
    r = client.get(page)
    assert r.status_code == 200
    assert 'name="partner_trust_uid"' in r.text and 'data-module="portal-autocomplete"' in r.text
    assert f'value="{g.request.suggested_trust.name} (4321)"' in r.text  # the suggested one
    assert "portal/autocomplete.js" in r.text  # the register's autocomplete, by name
    r = client.post(page, {"partner_trust_uid": f"{chosen.name} ({chosen.uid})"})  # as picked
    assert r.status_code == 200 and 'href="#id_partner_contact_email"' in r.text
    assert "No trust has" not in r.text
    assert 'name="starts_on_0"' in r.text and 'name="partner_contact_email"' in r.text
    r = client.post(page, {"partner_trust_uid": "No Such Trust Anywhere"})
    assert r.status_code == 200 and "No trust has this group UID or name" in r.text
    assert "govuk-error-summary" in r.text
    r = client.post(
        page,
        {"partner_trust_uid": "northern lights learning trust", "partner_contact_email": "a@b.org"},
    )
    assert r.status_code == 302
    g.request.refresh_from_db()
    assert g.request.state == "approved" and g.request.grant.partner_trust == chosen


# The offer letter -------------------------------------------------------------


def test_the_offer_letter_names_the_partner_trust_as_payee_the_school_and_the_amounts():
    g = approved_grant()
    text = pdf_text(grant_offer_letter_pdf(g.grant))
    assert "Payee (the partner trust): Strong Partner Academy Trust" in text
    assert g.cast.deployment.school.name in text
    assert "£10,000.00" in text and text.count("£5,000.00") == 2
    assert "signed grant offer" in text and "end of the partnership" in text
    assert "Terms and conditions" in text and "repaid" in text


def _roles(g, make_user, london):
    return {
        "regions_staff": g.cast.staff,
        "regions_staff_elsewhere": make_user(Role.REGIONS_STAFF, regions=[london]),
        "rdp": g.cast.rdp,
        "system_leader": g.cast.leader,
        "school_contact": g.cast.contact,
        "partner_contact": g.partner_contact,
        "other_trust_contact": g.other_contact,
        "admin": make_user(Role.ADMIN, is_staff=True),
        "finance": make_user(Role.FINANCE),
    }


LETTER = {
    "regions_staff": 200,
    "regions_staff_elsewhere": 404,
    "rdp": 403,
    "system_leader": 200,
    "school_contact": 403,
    "partner_contact": 200,
    "other_trust_contact": 404,
    "admin": 200,
    "finance": 404,
}


def test_who_may_read_the_offer_letter_api_and_html(api_client_for, client_for, make_user, london):
    g = approved_grant()
    api_url = f"/api/partnership-grants/{g.grant.pk}/offer-letter/"
    html_url = f"/partnership-grants/{g.grant.pk}/offer-letter.pdf"
    api, html = {}, {}
    for role, user in _roles(g, make_user, london).items():
        r = api_client_for(user).get(api_url)
        api[role] = r.status_code
        if r.status_code == 200:
            assert r["Content-Type"] == "application/pdf"
        r = client_for(user).get(html_url)
        html[role] = r.status_code
        if r.status_code == 200:
            assert r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert api == LETTER
    assert html == LETTER
    r = api_client_for(g.partner_contact).get(api_url, HTTP_ACCEPT="application/pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


# Bank details -------------------------------------------------------------------

BANK = {"account_name": "Strong Partner AT", "sort_code": "20-00-00", "account_number": "12345678"}
BANK_WRITERS = {
    "regions_staff": 200,
    "regions_staff_elsewhere": 404,
    "rdp": 403,
    "system_leader": 403,
    "school_contact": 403,
    "partner_contact": 200,
    "other_trust_contact": 404,
    "admin": 403,
    "finance": 404,
}


def test_who_may_give_the_partner_trusts_bank_details_api_and_html(
    api_client_for, client_for, make_user, london
):
    g = approved_grant()
    url = f"/api/partnership-grants/{g.grant.pk}/bank-details/"
    page = f"/partnership-grants/{g.grant.pk}/bank-details/"
    api, html = {}, {}
    for role, user in _roles(g, make_user, london).items():
        api[role] = api_client_for(user).put(url, BANK, format="json").status_code
        html[role] = client_for(user).get(page).status_code
    assert api == BANK_WRITERS
    assert html == BANK_WRITERS


def test_bank_details_are_answered_masked_and_a_wrong_one_saves_nothing(api_client_for):
    g = approved_grant()
    api = api_client_for(g.partner_contact)
    url = f"/api/partnership-grants/{g.grant.pk}/bank-details/"
    r = api.put(url, {**BANK, "sort_code": "12"}, format="json")
    assert r.status_code == 400 and "sort_code" in r.json()
    assert api.get(f"/api/partnership-grants/{g.grant.pk}/").json()["bank_details"] is None
    r = api.put(url, BANK, format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["sort_code_masked"] == "**-**-00" and body["account_number_masked"] == "****5678"
    assert "12345678" not in r.content.decode()
    grant = api.get(f"/api/enhanced-requests/{g.request.pk}/").json()["grant"]
    assert grant["bank_details"]["account_number_masked"] == "****5678"
    assert "12345678" not in str(grant) and "200000" not in str(grant)


def test_the_html_bank_details_page_saves_and_shows_them_masked(client_for):
    g = approved_grant()
    client = client_for(g.partner_contact)
    page = f"/partnership-grants/{g.grant.pk}/bank-details/"
    r = client.post(page, {**BANK, "account_number": "1234"})
    assert r.status_code == 400 and "govuk-error-summary" in r.text
    r = client.post(page, BANK)
    assert r.status_code == 302
    r = client.get(f"/partnership-grants/{g.grant.pk}/")
    assert r.status_code == 200 and "****5678" in r.text and "12345678" not in r.text


# Evidence -----------------------------------------------------------------------

REPORT_SENDERS = {
    "regions_staff": 200,
    "regions_staff_elsewhere": 404,
    "rdp": 403,
    "system_leader": 403,
    "school_contact": 403,
    "partner_contact": 200,
    "other_trust_contact": 404,
    "admin": 403,
    "finance": 404,
}


def test_who_may_send_the_partnership_report_api_and_html(
    api_client_for, client_for, make_user, london
):
    g = ended_grant()
    url = f"/api/enhanced-requests/{g.request.pk}/grant-evidence/"
    report = {"instalment": 2, "evidence": "partnership_report", "received_on": TODAY.isoformat()}
    page = f"/partnership-grants/{g.grant.pk}/evidence/"
    api, html = {}, {}
    for role, user in _roles(g, make_user, london).items():
        api[role] = api_client_for(user).post(url, report, format="json").status_code
        html[role] = client_for(user).get(page).status_code
    assert api == REPORT_SENDERS
    assert html == REPORT_SENDERS


def test_the_partner_trusts_contact_sends_only_the_report(api_client_for, client_for):
    g = ended_grant()
    url = f"/api/enhanced-requests/{g.request.pk}/grant-evidence/"
    offer = {"instalment": 1, "evidence": "signed_grant_offer", "received_on": TODAY.isoformat()}
    assert api_client_for(g.partner_contact).post(url, offer, format="json").status_code == 403
    r = client_for(g.partner_contact).get(f"/partnership-grants/{g.grant.pk}/evidence/")
    assert 'value="partnership_report"' in r.text and 'value="signed_grant_offer"' not in r.text


def test_the_html_evidence_form_refuses_the_last_instalment_before_the_end_with_409(client_for):
    g = approved_grant()
    client = client_for(g.cast.staff)
    page = f"/partnership-grants/{g.grant.pk}/evidence/"
    r = client.post(
        page,
        {
            "instalment": "2",
            "evidence": "school_confirmation",
            "received_on_0": TODAY.day,
            "received_on_1": TODAY.month,
            "received_on_2": TODAY.year,
        },
    )
    assert r.status_code == 409
    assert "paid at the end of the partnership" in r.text and "govuk-error-summary" in r.text
    r = client.post(
        page,
        {
            "instalment": "1",
            "evidence": "signed_grant_offer",
            "received_on_0": TODAY.day,
            "received_on_1": TODAY.month,
            "received_on_2": TODAY.year,
        },
    )
    assert r.status_code == 302
    assert g.grant.instalments.get(number=1).is_due


# Claims: paid to the partner trust --------------------------------------------


def test_an_instalment_is_claimed_for_the_partner_trust_and_needs_its_bank_details(
    api_client_for, make_user, django_capture_on_commit_callbacks
):
    from deployments.claims import payment_runs

    g = ended_grant()
    staff = api_client_for(g.cast.staff)
    evidence = f"/api/enhanced-requests/{g.request.pk}/grant-evidence/"
    with django_capture_on_commit_callbacks(execute=True):
        r = staff.post(
            evidence,
            {"instalment": 1, "evidence": "signed_grant_offer", "received_on": TODAY.isoformat()},
            format="json",
        )
    assert r.status_code == 200
    # The claim is made in the background once the evidence is recorded.
    grant = staff.get(f"/api/partnership-grants/{g.grant.pk}/").json()
    claim_id = grant["instalments"][0]["claim"]
    assert claim_id is not None and grant["instalments"][1]["claim"] is None
    reviewer = make_user(Role.FINANCE)
    finance = api_client_for(reviewer)
    claim = finance.get(f"/api/claims/{claim_id}/").json()
    assert claim["payee"] == {
        "kind": "trust",
        "name": "Strong Partner Academy Trust",
        "trust_uid": "4321",
    }
    assert claim["kind"] == "partnership_instalment" and claim["instalment"] == 1
    assert "bank_details_missing" in {f["code"] for f in claim["flags"]}
    assert "approve" not in claim["allowed_transitions"]
    r = finance.post(f"/api/claims/{claim_id}/approve/", {}, format="json")
    assert r.status_code == 409 and "bank details" in r.json()["detail"]

    r = api_client_for(g.partner_contact).put(
        f"/api/partnership-grants/{g.grant.pk}/bank-details/", BANK, format="json"
    )
    assert r.status_code == 200
    claim = finance.get(f"/api/claims/{claim_id}/").json()
    assert "bank_details_missing" not in {f["code"] for f in claim["flags"]}
    assert finance.post(f"/api/claims/{claim_id}/approve/", {}, format="json").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        run = payment_runs.payment_run_start(user=reviewer)
    run.refresh_from_db()
    rows = payment_runs.payment_file_decrypt(run.csv_encrypted).decode("utf-8-sig").splitlines()
    assert len(rows) == 2
    assert rows[1].startswith("Strong Partner Academy Trust,Trust,4321,Strong Partner AT,200000,")
    assert ",12345678,5000.00," in rows[1]


def test_a_day_claims_payee_is_the_system_leader(api_client_for):
    from deployments.claims.services import claim_create_for_deployment
    from tests.deployments.claim_fixtures import accepted_deployment

    cast = accepted_deployment()
    claim = claim_create_for_deployment(deployment_id=cast.deployment.pk)
    body = api_client_for(cast.staff).get(f"/api/claims/{claim.pk}/").json()
    assert body["payee"] == {
        "kind": "system_leader",
        "name": cast.leader.full_name,
        "trust_uid": None,
    }


def test_the_grant_page_shows_the_partner_trust_the_letter_and_the_instalments(client_for):
    g = approved_grant()
    r = client_for(g.partner_contact).get(f"/partnership-grants/{g.grant.pk}/")
    assert r.status_code == 200
    assert "Strong Partner Academy Trust" in r.text and "£5,000.00" in r.text
    assert "offer-letter.pdf" in r.text and "Record evidence" in r.text
    r = client_for(g.cast.contact).get(f"/partnership-grants/{g.grant.pk}/")
    assert r.status_code == 200 and "offer-letter.pdf" not in r.text
    assert client_for(g.other_contact).get(f"/partnership-grants/{g.grant.pk}/").status_code == 404


def test_three_instalments_add_up_to_the_offers_grant_the_last_taking_the_pennies():
    g = partnership_with_dfe()
    offer = g.cast.deployment.offer
    offer.partnership_instalments = 3
    offer.save()
    from deployments.delivery import enhanced

    enhanced.enhanced_request_dfe_approves(g.request, user=g.cast.staff)
    amounts = list(g.request.grant.instalments.values_list("amount", flat=True))
    assert amounts == [Decimal("3333.33"), Decimal("3333.33"), Decimal("3333.34")]
    assert sum(amounts) == g.request.grant.total == Decimal("10000.00")
    needs = list(g.request.grant.instalments.values_list("needs", flat=True))
    assert needs[0] == ["signed_grant_offer"] and needs[1] == ["partnership_report"]
    assert needs[2] == ["partnership_report", "school_confirmation"]
