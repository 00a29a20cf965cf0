"""OpenAPI helpers: the error answers every operation can give, declared once.

Writes still declare their own answers with `extend_schema` (see `write_responses`);
the postprocessing hook adds the generic ones (400 for bad parameters or bodies,
401/403 for the signed-out and the unpermitted, 404 for a missing record or page)
wherever an operation does not already document them."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    """409: the record's state does not allow the action now."""

    detail = serializers.CharField()
    state = serializers.CharField()


_ERROR = {"$ref": "#/components/schemas/Error"}
_FIELD_ERRORS = {
    "type": "object",
    "description": 'Field errors: {"field": ["message"]}; "non_field_errors" for the rest.',
    "additionalProperties": {},
}
_DESCRIPTIONS = {
    "400": "The request is wrong: a parameter or field is missing or invalid.",
    "401": "Not signed in.",
    "403": "Signed in, but not allowed to do this.",
    "404": "No such record (or page), or you may not see it.",
}


def write_responses(ok_status: int, ok, *, conflict: bool = False, not_found: bool = False):
    """The `responses` of an `extend_schema` for a write."""
    responses = {
        ok_status: ok,
        400: OpenApiResponse(description=_DESCRIPTIONS["400"]),
        403: OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS["403"]),
    }
    if not_found:
        responses[404] = OpenApiResponse(ErrorSerializer, description=_DESCRIPTIONS["404"])
    if conflict:
        responses[409] = OpenApiResponse(
            ConflictSerializer, description="The state forbids it now."
        )
    return responses


def _answer(code: str, schema: dict) -> dict:
    return {"description": _DESCRIPTIONS[code], "content": {"application/json": {"schema": schema}}}


def document_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
    )
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            params = {
                p.get("name") for p in operation.get("parameters", []) if p.get("in") == "query"
            }
            # An address with a key can be refused too (a NUL in it: portal.middleware).
            takes_input = bool(params) or "requestBody" in operation or "{" in path
            if takes_input:
                responses.setdefault("400", _answer("400", _FIELD_ERRORS))
            for code in ("401", "403"):
                responses.setdefault(code, _answer(code, _ERROR))
            if "{" in path or "page" in params:
                responses.setdefault("404", _answer("404", _ERROR))
            if responses.get("400") and "content" not in responses["400"]:
                responses["400"]["content"] = {"application/json": {"schema": _FIELD_ERRORS}}
    return result
