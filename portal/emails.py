"""The one builder of e-mail contexts: absolute links, GOV.UK dates, plain values.

Every `email_queue(...)` call passes `context=email_context(...)`. The context
travels through the Celery broker, so it holds only JSON values; the plain-text
templates render it without HTML escaping (the "emails" template engine), so a
name such as "St Mary's & St John's" reaches the reader as typed.

Conventions, so a caller cannot forget them:
- a value under a link key (`path`, `link`, or a name ending in `_url`, `_link`
  or `_path`) is a portal path such as "/deployments/12/"; it becomes an
  absolute link on PORTAL_BASE_URL (a link already absolute stays as it is);
- a date or datetime becomes "7 May 2024" (`govuk_date`, which the templates
  also have as a filter);
- Decimals, lazy strings (choice labels) and model instances become text.
"""

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from django.utils.functional import Promise

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
LINK_KEYS = ("path", "link")
LINK_SUFFIXES = ("_url", "_link", "_path")


def govuk_date(value) -> str:
    """A date as GOV.UK writes it: "7 May 2024" (no leading zero, the month in
    full, in English whatever the active language). Accepts a date, a datetime
    (shown in local time) or an ISO "2024-05-07" string; other text is returned
    unchanged, so formatting twice is harmless; None gives ""."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if not ISO_DATE.fullmatch(value):
            return value
        value = dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def email_link(path: str) -> str:
    """An absolute link to a portal page, for a mail client to open."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    if not path.startswith("/"):
        raise ValueError(f"an e-mail link must be a portal path starting with '/': {path!r}")
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _is_link_key(key: str) -> bool:
    return key in LINK_KEYS or key.endswith(LINK_SUFFIXES)


def _plain(key: str, value):
    if isinstance(value, (dt.date, dt.datetime)):
        return govuk_date(value)
    if isinstance(value, (Decimal, Promise, Model)):
        value = str(value)
    if isinstance(value, str):
        return email_link(value) if _is_link_key(key) else value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(str(k), v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(key, item) for item in value]
    raise TypeError(
        f"e-mail context value {key}={value!r} is not plain JSON "
        "(strings, numbers, dates, lists, dicts)"
    )


def email_context(values: dict | None = None, /, **more) -> dict:
    """The context of one e-mail: `values` and `more` made plain JSON, links
    absolute and dates in the GOV.UK style. Building it twice gives the same
    dict, which is how `email_queue` knows a context came from here."""
    merged = {**(values or {}), **more}
    return {str(key): _plain(str(key), value) for key, value in merged.items()}
