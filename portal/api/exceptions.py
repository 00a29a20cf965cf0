"""API errors the contract names (api-contract.md, Conventions)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as ApiValidationError


class Conflict(APIException):
    """409: the record's state does not allow the action now."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record's state does not allow this now."

    def __init__(self, detail: str, *, state: str):
        super().__init__(detail)
        self.detail = {"detail": self.detail, "state": state}


def api_validation_error(exc: DjangoValidationError) -> ApiValidationError:
    """A service's ValidationError as a 400 body: {"field": ["message"]}, with
    "non_field_errors" for messages about no one field."""
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"non_field_errors": exc.messages})
