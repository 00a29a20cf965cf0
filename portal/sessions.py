"""A session lasts a working day from the last activity (SESSION_COOKIE_AGE).

Saving the session on every request would renew it but costs a write per page;
instead a request renews it when the last renewal is over REFRESH_SECONDS old,
and signing in counts as one (the store stamps the session when its key is
cycled at sign-in)."""

import time

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore

REFRESHED_AT = "_refreshed_at"
REFRESH_SECONDS = 5 * 60


class SessionStore(DbSessionStore):
    """SESSION_ENGINE = "portal.sessions": the database store, stamped at sign-in."""

    def cycle_key(self):
        super().cycle_key()
        self[REFRESHED_AT] = int(time.time())


def refresh_session_on_activity(get_response):
    """Renew a signed-in session's expiry (a save sets it to now + the age) at most
    once every REFRESH_SECONDS. Sits after SessionMiddleware, which saves it."""

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only a session the browser already holds: a token API request has none,
        # and must not get one.
        has_session = session is not None and session.session_key is not None
        if has_session and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(REFRESHED_AT, 0) >= REFRESH_SECONDS:
                session[REFRESHED_AT] = now
        return response

    return middleware
