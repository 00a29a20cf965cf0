"""Pages anyone may open without signing in (by URL name). Every other page
needs a signed-in user and a `rules` permission."""

PUBLIC_URL_NAMES = {
    "invitation-accept",
}
