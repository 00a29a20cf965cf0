"""The system leader's enhanced-support form: GOV.UK radios for the kind with each
kind's questions revealed under its radio, only the chosen kind's answers validated and
saved, and the partner trust picked by name (the register's autocomplete) as its UID."""

import re

import pytest

from deployments.delivery.models import Deployment, EnhancedRequest
from tests.deployments.delivery_fixtures import make_cast
from tests.schools.factories import TrustFactory

pytestmark = pytest.mark.django_db


def in_delivery():
    cast = make_cast()
    Deployment.objects.filter(pk=cast.deployment.pk).update(state="delivery")
    cast.deployment.refresh_from_db()
    return cast


def url(cast):
    return f"/deployments/{cast.deployment.pk}/enhanced-support/"


def conditional_blocks(page: str) -> dict[str, set[str]]:
    """The field names inside each govuk-radios__conditional block, by the kind whose
    radio controls it."""
    blocks = {}
    for match in re.finditer(r'value="(\w+)"\s+aria-controls="(conditional_kind_\d)"', page):
        kind, block_id = match.groups()
        start = page.index(f'id="{block_id}"')
        end = page.find('name="kind"', start)  # the next kind's radio, or the form's end
        block = page[start : end if end != -1 else page.index("<button", start)]
        blocks[kind] = set(re.findall(r'name="(\w+)"', block))
    return blocks


def test_each_kind_reveals_its_own_questions_under_its_radio(client_for):
    cast = in_delivery()
    page = client_for(cast.leader).get(url(cast)).content.decode()
    assert 'data-module="govuk-radios"' in page
    assert page.count("govuk-radios__conditional govuk-radios__conditional--hidden") == 3
    assert conditional_blocks(page) == {
        "extension": {"days", "context", "school_agrees"},
        "funded_partnership": {"benefit", "funded_school_agrees", "funded_trust"},
        "unfunded_partnership": {"unfunded_trust", "tell_regions_group"},
    }
    assert "govuk-fieldset__legend--m" in page
    assert "group UID)" not in page  # the trust is no longer asked for as a code


def test_the_trust_fields_use_the_registers_autocomplete(client_for):
    cast = in_delivery()
    client = client_for(cast.leader)
    page = client.get(url(cast)).content.decode()
    for name in ("funded_trust", "unfunded_trust"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'data-module="portal-autocomplete"' in tag
        assert 'data-source="/schools/trusts/suggestions/"' in tag
    assert "portal/autocomplete.js" in page and "accessible-autocomplete.min.js" in page
    TrustFactory(name="Harbour Academy Trust", uid="16014")
    found = client.get("/schools/trusts/suggestions/", {"q": "harb"}).json()
    assert found == {"results": ["Harbour Academy Trust (16014)"]}  # the leader may ask


def test_an_extension_ignores_the_partnership_answers(client_for):
    cast = in_delivery()
    response = client_for(cast.leader).post(
        url(cast),
        {
            "kind": "extension",
            "days": "2.5",
            "context": "Phonics",
            "school_agrees": "true",
            "benefit": "Left over from the other kind",
            "funded_trust": "No Such Trust",
            "unfunded_trust": "Nor this one",
            "tell_regions_group": "on",
        },
    )
    assert response.status_code == 302
    request = EnhancedRequest.objects.get()
    assert (request.kind, str(request.days), request.context) == ("extension", "2.5", "Phonics")
    assert request.benefit == "" and request.suggested_trust is None
    assert request.tell_regions_group is False


def test_an_extension_only_asks_for_its_own_fields_each_error_on_its_field(client_for):
    cast = in_delivery()
    response = client_for(cast.leader).post(url(cast), {"kind": "extension"})
    page = response.content.decode()
    assert response.status_code == 200 and not EnhancedRequest.objects.exists()
    assert "govuk-error-summary" in page
    for anchor in ("id_days", "id_context", "id_school_agrees_1"):
        assert f'href="#{anchor}"' in page
    assert 'id="div_id_days" class="govuk-form-group govuk-form-group--error"' in page
    assert 'id="div_id_school_agrees" class="govuk-form-group govuk-form-group--error"' in page
    assert "govuk-form-group--error" not in page.split('id="div_id_benefit"')[1][:60]
    assert 'href="#id_funded_school_agrees_1"' not in page


def test_a_funded_partnership_puts_its_agreement_error_on_its_own_question(client_for):
    cast = in_delivery()
    page = (
        client_for(cast.leader)
        .post(url(cast), {"kind": "funded_partnership", "school_agrees": "true"})
        .content.decode()
    )
    assert 'href="#id_benefit"' in page and 'href="#id_funded_school_agrees_1"' in page
    assert 'id="div_id_funded_school_agrees" class="govuk-form-group govuk-form-group--error"' in (
        page
    )
    assert 'href="#id_school_agrees_1"' not in page  # the extension's answer is ignored


def test_no_kind_chosen_links_the_summary_to_the_first_radio(client_for):
    cast = in_delivery()
    page = client_for(cast.leader).post(url(cast), {"days": "2"}).content.decode()
    assert '<a href="#id_kind_0">Select the kind of enhanced support</a>' in page
    assert 'id="id_kind_0"' in page


@pytest.mark.parametrize(
    "typed",
    ["Harbour Academy Trust (16014)", "16014", "harbour academy trust"],
    ids=["picked-label", "group-uid", "name-without-javascript"],
)
def test_a_funded_partnership_resolves_the_trust_picked_or_typed(client_for, typed):
    cast = in_delivery()
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    TrustFactory(name="Other Trust", uid="20001")
    response = client_for(cast.leader).post(
        url(cast),
        {
            "kind": "funded_partnership",
            "benefit": "A strong trust nearby",
            "funded_school_agrees": "true",
            "funded_trust": typed,
        },
    )
    assert response.status_code == 302
    request = EnhancedRequest.objects.get()
    assert request.suggested_trust == harbour and request.school_agrees is True


def test_an_unknown_trust_is_an_error_on_the_chosen_kinds_trust_field(client_for):
    cast = in_delivery()
    page = (
        client_for(cast.leader)
        .post(url(cast), {"kind": "unfunded_partnership", "unfunded_trust": "Nowhere Trust"})
        .content.decode()
    )
    assert 'href="#id_unfunded_trust"' in page and "No trust has this group UID or name" in page
    assert not EnhancedRequest.objects.exists()


def test_an_unfunded_partnership_records_its_trust_and_the_regions_group_choice(client_for):
    cast = in_delivery()
    harbour = TrustFactory(name="Harbour Academy Trust", uid="16014")
    response = client_for(cast.leader).post(
        url(cast),
        {
            "kind": "unfunded_partnership",
            "unfunded_trust": "Harbour Academy Trust (16014)",
            "tell_regions_group": "on",
            "funded_trust": "Ignored Trust",
        },
    )
    assert response.status_code == 302
    request = EnhancedRequest.objects.get()
    assert (request.state, request.suggested_trust) == ("recorded", harbour)
    assert request.tell_regions_group is True
