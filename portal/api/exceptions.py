"""API errors in the contract's shapes.

- `WorkflowConflict` -> 409 `{"detail": "...", "state": "..."}`
- Django `ValidationError` raised by a service -> 400 `{"field": ["message"]}`
  (messages without a field go under `non_field_errors`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from portal.workflow import WorkflowConflict


def validation_error_data(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            (field if field != "__all__" else api_settings.NON_FIELD_ERRORS_KEY): messages
            for field, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, WorkflowConflict):
        return Response(
            {"detail": exc.message, "state": exc.state}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_data(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class Conflict(APIException):
    """409 raised directly by a view: the record's state does not allow the action now."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record's state does not allow this now."

    def __init__(self, detail: str, *, state: str):
        super().__init__(detail)
        self.detail = {"detail": self.detail, "state": state}


def api_validation_error(exc: DjangoValidationError) -> ApiValidationError:
    """A service's ValidationError as a 400 body: {"field": ["message"]}, with
    "non_field_errors" for messages about no one field."""
    return ApiValidationError(validation_error_data(exc))
