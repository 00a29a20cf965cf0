"""Every page has GOV.UK's header and footer landmarks (axe's "region" rule), and the
footer links the public Guarantees page, the complaint form and the API documentation."""

import re

import pytest

from portal.models import Role

FOOTER_LINKS = {
    "/guarantees/": "Pupil and Parent Guarantees",
    "/complaints/new/": "Make a complaint about a school",
    "/api/docs/": "API documentation",
}


def _footer(html: str) -> str:
    match = re.search(r'<footer class="govuk-template__footer">(.*?)</footer>', html, re.S)
    assert match, "the page has no footer landmark"
    return match.group(1)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/guarantees/", "/complaints/new/"])
def test_public_pages_have_header_and_footer_landmarks(client, path):
    html = client.get(path).content.decode()
    assert '<header class="govuk-template__header">' in html
    footer = _footer(html)
    for href, text in FOOTER_LINKS.items():
        assert re.search(rf'href="{re.escape(href)}"\s*>\s*{re.escape(text)}\s*</a>', footer)


@pytest.mark.django_db
def test_signed_in_home_has_the_footer_links(client_for, make_user, north_west):
    client = client_for(make_user(Role.REGIONS_STAFF, regions=[north_west]))
    footer = _footer(client.get("/").content.decode())
    assert set(re.findall(r'class="govuk-footer__link" href="([^"]+)"', footer)) >= set(
        FOOTER_LINKS
    )


@pytest.mark.django_db
def test_the_sign_in_page_tells_parents_where_to_go_without_an_account(client):
    html = client.get("/accounts/login/").content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/guarantees/">Pupil and Parent Guarantees</a>' in main
    assert 'href="/complaints/new/">make a complaint about a school</a>' in main
