"""Funded partnership grants over REST (the contract's "Funded partnership
grants"): the grant, its offer letter (PDF) and the partner trust's bank
details. Visibility is the selector (404); each action's `rules` permission
is the HTML pages' (403)."""

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from deployments.delivery import grants, selectors
from deployments.delivery.api.serializers import (
    GrantBankDetailsInput,
    MaskedBankDetailsSerializer,
    PartnershipGrantSerializer,
)
from deployments.delivery.grant_letter import grant_offer_letter_pdf
from portal.api.permissions import HasRulesPermission
from portal.api.workflow import ERROR_RESPONSES


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; errors stay JSON text."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


READ = "deployments.read_enhanced_request"
LETTER = "deployments.read_grant_offer_letter"


def offer_letter_response(grant) -> HttpResponse:
    """The PDF, shown inline, named after the grant."""
    response = HttpResponse(grant_offer_letter_pdf(grant), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="grant-offer-letter-{grant.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


class PartnershipGrantViewSet(viewsets.ReadOnlyModelViewSet):
    """Partnership grants this user sees: those of the enhanced requests they
    see, and for a partner trust's contact the grants paid to their trust."""

    serializer_class = PartnershipGrantSerializer
    permission_classes = [HasRulesPermission]
    permission_required = {"default": READ, "offer_letter": LETTER, "bank_details": READ}
    permission_object_level = True

    def get_queryset(self):
        return selectors.grant_list_for(self.request.user)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The grant offer letter"
            ),
            403: ERROR_RESPONSES[403],
            404: ERROR_RESPONSES[404],
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="offer-letter",
        renderer_classes=[JSONRenderer, PdfRenderer],
    )
    def offer_letter(self, request, pk=None):
        """The grant offer letter (PDF): Regions Group staff of the region, the
        partner trust's contacts, the deployment's system leader and Admin."""
        return offer_letter_response(self.get_object())

    @extend_schema(
        request=GrantBankDetailsInput,
        responses={200: MaskedBankDetailsSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["put"], url_path="bank-details")
    def bank_details(self, request, pk=None):
        """The partner trust's account (a contact of the partner trust, or
        Regions Group staff of the region); answered masked."""
        grant = self.get_object()
        if not request.user.has_perm("deployments.change_grant_bank_details", grant):
            raise PermissionDenied("Only the partner trust's contact or Regions Group staff may.")
        given = GrantBankDetailsInput(data=request.data)
        given.is_valid(raise_exception=True)
        bank = grants.grant_bank_details_save(
            grant, user=request.user, data=dict(given.validated_data)
        )
        return Response(MaskedBankDetailsSerializer(bank).data)
