"""WhiteNoise serves the static files (ours, the apps', the npm packages') under
/static/ and GOV.UK Frontend's fonts and images under /assets/, to anyone, before
the sign-in check; a name that is no file is not served. The same whether it lists
the files when it starts (as in production) or finds each when asked (the test
settings: every test client starts the middleware afresh)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SERVED = {
    "/static/portal/portal.css": "text/css",
    "/static/portal/govuk-init.js": "text/javascript",
    "/static/govuk-frontend/dist/govuk/govuk-frontend.min.css": "text/css",
    "/static/admin/css/base.css": "text/css",
    "/assets/images/favicon.svg": "image/svg+xml",
    "/assets/fonts/light-94a07e06a1-v2.woff2": "font/woff2",
}
MISSING = ["/static/portal/missing.css", "/assets/images/missing.svg"]


@pytest.mark.parametrize("autorefresh", [False, True])
def test_static_files_are_served_without_signing_in(settings, autorefresh):
    settings.WHITENOISE_AUTOREFRESH = autorefresh
    client = Client()

    for url, content_type in SERVED.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith(content_type), url
        assert b"".join(response.streaming_content), url
    for url in MISSING:
        assert client.get(url).status_code == 404, url
