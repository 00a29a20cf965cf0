"""Response headers every page needs, and the one guard on every request's input."""

import json
import re

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from portal.api.parsers import json_too_deep


def no_store_when_signed_in(get_response):
    """A signed-in page may hold personal data: no browser or proxy keeps a copy
    (the back button after signing out shows nothing)."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

    return middleware


# A NUL or an unpaired surrogate (JSON can spell one as "\ud800") is no text any
# person types; PostgreSQL refuses both (DataError), so they stop here.
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
NOT_ALLOWED = (
    "{where} holds a character that is not allowed (a NUL character or an unpaired surrogate)."
)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _shown(name: str) -> str:
    return _UNSAFE.sub("\ufffd", name)


def _in_pairs(pairs, kind: str) -> str | None:
    """The first (name, values) pair of a QueryDict holding an unsafe character."""
    for name, values in pairs:
        if _UNSAFE.search(name) or any(_UNSAFE.search(v) for v in values if isinstance(v, str)):
            return f"The {kind} “{_shown(name)}”"
    return None


def _in_json(data) -> str | None:
    """The first field of a parsed JSON body holding an unsafe character, as a
    path such as `focus_areas[0].key` (walked without recursion)."""
    stack = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _UNSAFE.search(value):
                return f"The field “{_shown(path) or 'body'}”"
        elif isinstance(value, dict):
            for key, item in value.items():
                name = f"{path}.{key}" if path else key
                if _UNSAFE.search(key):
                    return f"The field name “{_shown(name)}”"
                stack.append((name, item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in enumerate(value))
    return None


def _in_body(request) -> str | None:
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        raw = request.body
        if json_too_deep(raw):
            return None  # the API's parser answers 400
        try:
            data = json.loads(raw.decode(request.encoding or "utf-8"))
        except ValueError:
            return None  # not JSON: the parser answers 400
        return _in_json(data)
    if content_type in _FORM_TYPES:
        if request.method == "POST":
            return _in_pairs(request.POST.lists(), "form field")
        if content_type == _FORM_TYPES[0]:
            return _in_pairs(QueryDict(request.body, encoding=request.encoding).lists(), "field")
    return None


def refuse_unsafe_characters(get_response):
    """One guard for every request: a NUL or an unpaired surrogate in the address,
    a query parameter, a form field or a JSON body is a 400 naming where it was
    (JSON under /api/, the GOV.UK page elsewhere), before any view or query."""

    def middleware(request):
        try:
            where = (
                ("The web address" if _UNSAFE.search(request.path_info) else None)
                or _in_pairs(request.GET.lists(), "query parameter")
                or (_in_body(request) if request.method not in ("GET", "HEAD") else None)
            )
        except RequestDataTooBig:
            where, message = "", "The request body is too large."
        else:
            message = NOT_ALLOWED.format(where=where) if where else ""
        if where is None:
            return get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return render(request, "400.html", {"message": message}, status=400)

    return middleware
