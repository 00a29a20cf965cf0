"""The Guarantees loaded from Annex F, served at /api/entitlements/ and on the
public Guarantees page."""

import pytest

from guarantees.models import Ambition, Entitlement, Guarantee
from guarantees.selectors import entitlements_for_school, school_phase_keys
from portal.models import Role
from tests.guarantees.annex_f_text import GUIDANCE, annex_f
from tests.schools.factories import SchoolFactory

needs_text = pytest.mark.skipif(
    not GUIDANCE.exists(), reason=f"the White Paper text is not at {GUIDANCE}"
)


@needs_text
@pytest.mark.django_db
def test_every_ambition_holds_as_many_entitlements_as_the_text_has_bullets():
    source = annex_f()
    assert set(source) == {"pupil", "parent"}
    assert list(source["pupil"]["ambitions"]) == list("abcde")
    assert list(source["parent"]["ambitions"]) == list("abcd")
    for key, guarantee in source.items():
        for letter, ambition in guarantee["ambitions"].items():
            loaded = Entitlement.objects.filter(
                ambition__guarantee__key=key, ambition__letter=letter
            )
            assert loaded.count() == len(ambition["bullets"]), (key, letter)


@needs_text
@pytest.mark.django_db
def test_every_bullet_is_loaded_word_for_word_with_its_kind_and_order():
    for key, guarantee in annex_f().items():
        for letter, ambition in guarantee["ambitions"].items():
            loaded = list(
                Entitlement.objects.filter(
                    ambition__guarantee__key=key, ambition__letter=letter
                ).values_list("kind", "text")
            )
            assert loaded == ambition["bullets"], (key, letter)
            stored = Ambition.objects.get(guarantee__key=key, letter=letter)
            assert stored.statement == guarantee["statements"][letter]
            assert stored.title == ambition["title"]


@pytest.mark.django_db
def test_the_two_guarantees_have_their_lettered_ambitions():
    assert Guarantee.objects.count() == 2
    letters = {
        g.key: "".join(a.letter for a in g.ambitions.order_by("letter"))
        for g in Guarantee.objects.all()
    }
    assert letters == {"pupil": "abcde", "parent": "abcd"}
    # Paragraph 1.3's four new entitlements are marked new.
    new_texts = " ".join(Entitlement.objects.filter(kind="new").values_list("text", flat=True))
    for phrase in ("Personal Tutor", "one-to-one tuition", "progress check", "Home School"):
        assert phrase in new_texts


@pytest.mark.django_db
def test_phases_ages_and_dates_are_kept_where_the_text_gives_them():
    tutor = Entitlement.objects.get(text__contains="receives personalised support from a Personal")
    assert tutor.phases == ["secondary"] and tutor.kind == "new"
    assert tutor.from_date.isoformat() == "2010-09-01"
    tuition = Entitlement.objects.get(text__contains="aged seven to eleven")
    assert (tuition.min_age, tuition.max_age, tuition.one_to_one_tuition) == (7, 11, True)
    year7 = Entitlement.objects.get(text__contains="beginning secondary school behind")
    assert year7.phases == ["secondary"] and year7.one_to_one_tuition
    sport = Entitlement.objects.get(text__contains="five hours, and every 16-19")
    assert (sport.min_age, sport.max_age) == (5, 19)
    online = Entitlement.objects.get(text__contains="online in secondary schools by 2010")
    assert set(online.phases) == {"primary", "secondary"}
    assert online.from_date.year == 2010
    assert Entitlement.objects.get(text__startswith="have effective policies in place to promote")
    assert Entitlement.objects.filter(phases=[]).exists()


@pytest.mark.django_db
def test_a_primary_school_is_not_asked_about_personal_tutors():
    primary = SchoolFactory(phase="Primary", statutory_low_age=4, statutory_high_age=11)
    secondary = SchoolFactory(phase="Secondary", statutory_low_age=11, statutory_high_age=18)
    assert school_phase_keys(primary) == {"primary"}
    assert school_phase_keys(secondary) == {"secondary", "sixteen_plus"}
    primary_texts = [e.text for e in entitlements_for_school(primary)]
    secondary_texts = [e.text for e in entitlements_for_school(secondary)]
    assert not any("Personal Tutor who knows them" in t for t in primary_texts)
    assert any("Personal Tutor who knows them" in t for t in secondary_texts)
    assert any("aged seven to eleven" in t for t in primary_texts)
    assert not any("aged seven to eleven" in t for t in secondary_texts)


@pytest.mark.django_db
def test_a_special_school_without_a_phase_is_placed_by_its_age_range():
    special = SchoolFactory(phase="Not applicable", statutory_low_age=3, statutory_high_age=19)
    assert school_phase_keys(special) == {"primary", "secondary", "sixteen_plus"}


@pytest.mark.django_db
def test_the_entitlements_api_answers_with_the_contracts_fields(api_client_for, make_user):
    api = api_client_for(make_user(Role.RDP))
    response = api.get("/api/entitlements/")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == Entitlement.objects.count() == 62
    first = rows[0]
    for field in ("id", "guarantee", "ambition", "ambition_title", "kind", "text", "phases",
                  "from_date"):  # fmt: skip
        assert field in first
    assert first["guarantee"] == "pupil" and first["ambition"] == "a"
    assert first["kind"] == "already_expected"


@pytest.mark.django_db
def test_the_entitlements_api_filters_by_guarantee_ambition_and_phase(api_client_for, make_user):
    api = api_client_for(make_user(Role.SCHOOL_CONTACT))
    parents = api.get("/api/entitlements/", {"guarantee": "parent"}).json()
    assert {r["guarantee"] for r in parents} == {"parent"}
    assert len(parents) == Entitlement.objects.filter(ambition__guarantee__key="parent").count()
    pupil_c = api.get("/api/entitlements/", {"guarantee": "pupil", "ambition": "c"}).json()
    assert len(pupil_c) == 11 and {r["ambition"] for r in pupil_c} == {"c"}
    primary = api.get("/api/entitlements/", {"phase": "primary"}).json()
    assert all(not r["phases"] or "primary" in r["phases"] for r in primary)
    assert not any("Personal Tutor who knows them" in r["text"] for r in primary)
    assert api.get("/api/entitlements/", {"phase": "martian"}).status_code == 400


@pytest.mark.django_db
def test_the_entitlements_api_refuses_anonymous_callers(client):
    assert client.get("/api/entitlements/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_guarantees_page_shows_every_entitlement_without_signing_in(client):
    response = client.get("/guarantees/")
    assert response.status_code == 200
    html = response.content.decode()
    for entitlement in Entitlement.objects.all():
        assert f'id="entitlement-{entitlement.pk}"' in html
    assert "Schools are already expected to" in html
    assert "Parents can already" in html


@pytest.mark.django_db
def test_every_entitlement_suggests_a_deployment_focus_area_that_exists():
    from deployments.choices import FocusArea, Phase

    for entitlement in Entitlement.objects.all():
        assert entitlement.focus_area in FocusArea.values, entitlement.reference
        assert set(entitlement.phases) <= set(Phase.values), entitlement.reference
