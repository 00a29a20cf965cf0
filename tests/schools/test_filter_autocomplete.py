"""The long filters (trust, local authority): text inputs taking a name or code, an
autocomplete that asks a small JSON endpoint, and no thousands of options in the page."""

import json

import pytest
from django.urls import reverse

from tests.schools.factories import LocalAuthorityFactory, SchoolFactory, TrustFactory

pytestmark = pytest.mark.django_db

LIST = reverse("schools:school-list")
TRUST_SUGGESTIONS = reverse("schools:trust-suggestions")
LA_SUGGESTIONS = reverse("schools:la-suggestions")


def names(response):
    return sorted(school.name for school in response.context["schools"])


@pytest.fixture
def reader(system_leader, client_for):
    return client_for(system_leader)


@pytest.fixture
def harbour(db):
    trust = TrustFactory(name="Harbour Academy Trust", uid="16014")
    SchoolFactory(name="Harbour Primary", trust=trust)
    SchoolFactory(name="Elsewhere Primary", trust=TrustFactory(name="Other Trust", uid="20001"))
    return trust


@pytest.mark.parametrize(
    "typed", ["16014", "Harbour Academy Trust", "harbour  academy trust", "Harbour (16014)"]
)
def test_the_trust_filter_takes_a_uid_a_name_or_the_autocomplete_label(reader, harbour, typed):
    assert names(reader.get(LIST, {"trust": typed})) == ["Harbour Primary"]


def test_two_trusts_with_one_name_both_match_the_name(reader):
    for uid in ("30001", "30002"):
        SchoolFactory(name=f"School of {uid}", trust=TrustFactory(name="Twin Trust", uid=uid))

    assert names(reader.get(LIST, {"trust": "Twin Trust"})) == [
        "School of 30001",
        "School of 30002",
    ]
    assert names(reader.get(LIST, {"trust": "Twin Trust (30002)"})) == ["School of 30002"]


def test_part_of_a_name_filters_on_every_trust_containing_it(reader):
    for name in ("Harbour Academy Trust", "Harbourside Trust", "Inland Trust"):
        SchoolFactory(name=f"School of {name}", trust=TrustFactory(name=name))

    assert names(reader.get(LIST, {"trust": "harbour"})) == [
        "School of Harbour Academy Trust",
        "School of Harbourside Trust",
    ]
    # The exact name wins over names that contain it.
    assert names(reader.get(LIST, {"trust": "Harbour Academy Trust"})) == [
        "School of Harbour Academy Trust"
    ]


def test_a_name_ending_in_brackets_is_taken_as_a_name(reader):
    SchoolFactory(name="Diocesan School", trust=TrustFactory(name="St Bede (Diocesan) Trust"))
    SchoolFactory(name="Other School", trust=TrustFactory(name="Other Trust"))

    assert names(reader.get(LIST, {"trust": "St Bede (Diocesan)"})) == ["Diocesan School"]


def test_a_trust_name_that_matches_nothing_is_reported_on_the_form(reader, harbour):
    response = reader.get(LIST, {"trust": "Harbor"})

    assert response.context["filterset"].form.errors["trust"] == [
        "No trust is called or numbered \u2018Harbor\u2019: check the spelling, or enter its "
        "Group UID"
    ]
    assert "govuk-error-message" in response.content.decode()


@pytest.mark.parametrize("typed", ["202", "Camden", "camden", "Camden (202)"])
def test_the_local_authority_filter_takes_a_code_a_name_or_the_label(reader, typed):
    SchoolFactory(
        name="In Camden", local_authority=LocalAuthorityFactory(name="Camden", code="202")
    )
    SchoolFactory(name="In Leeds", local_authority=LocalAuthorityFactory(name="Leeds", code="383"))

    assert names(reader.get(LIST, {"local_authority": typed})) == ["In Camden"]


def test_the_api_still_filters_by_trust_uid_and_rejects_an_unknown_one(
    api_client_for, system_leader, harbour
):
    api = api_client_for(system_leader)
    found = api.get("/api/schools/", {"trust": "16014"})
    unknown = api.get("/api/schools/", {"trust": "99999"})

    assert [row["name"] for row in found.json()["results"]] == ["Harbour Primary"]
    assert unknown.status_code == 400


def test_the_schools_page_renders_text_inputs_not_option_lists(reader):
    for number in range(30):
        TrustFactory(name=f"Trust number {number}")
        LocalAuthorityFactory(name=f"Authority {number}")

    html = reader.get(LIST).content.decode()

    assert "Trust number" not in html and "Authority 1" not in html
    assert f'data-source="{TRUST_SUGGESTIONS}"' in html
    assert f'data-source="{LA_SUGGESTIONS}"' in html
    assert 'data-module="portal-autocomplete"' in html


def test_the_autocomplete_loads_from_static_files(reader):
    html = reader.get(LIST).content.decode()

    assert (
        '<script src="/static/accessible-autocomplete/dist/accessible-autocomplete.min.js">' in html
    )
    assert '<script src="/static/portal/autocomplete.js">' in html
    assert "accessible-autocomplete/dist/accessible-autocomplete.min.css" in html


def test_trust_suggestions_match_name_or_uid_and_name_each_trust_uniquely(reader, harbour):
    by_name = reader.get(TRUST_SUGGESTIONS, {"q": "harb"})
    by_uid = reader.get(TRUST_SUGGESTIONS, {"q": "1601"})

    assert by_name["Content-Type"] == "application/json"
    assert json.loads(by_name.content) == {"results": ["Harbour Academy Trust (16014)"]}
    assert json.loads(by_uid.content) == {"results": ["Harbour Academy Trust (16014)"]}


def test_suggestions_are_capped_and_an_empty_query_suggests_nothing(reader):
    for number in range(15):
        LocalAuthorityFactory(name=f"Shire {number:02d}", code=f"{500 + number}")

    assert len(reader.get(LA_SUGGESTIONS, {"q": "shire"}).json()["results"]) == 10
    assert reader.get(LA_SUGGESTIONS, {"q": "  "}).json() == {"results": []}


@pytest.mark.parametrize("url", [TRUST_SUGGESTIONS, LA_SUGGESTIONS])
def test_suggestions_need_a_signed_in_user(client, url):
    response = client.get(url, {"q": "harb"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [TRUST_SUGGESTIONS, LA_SUGGESTIONS])
def test_suggestions_are_refused_without_the_register_permission(
    reader, system_leader, monkeypatch, url
):
    monkeypatch.setattr(
        type(system_leader), "has_perm", lambda self, perm, obj=None: False, raising=True
    )

    assert reader.get(url, {"q": "harb"}).status_code == 403


def test_suggestions_declare_the_register_permission():
    from schools.views import SuggestionsView

    assert SuggestionsView.permission_required == "schools.view_register"
