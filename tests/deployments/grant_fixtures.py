"""Builders for the partnership grant tests: a deployment whose funded
partnership request waits for DfE, a partner trust with a contact, and the
grant once approved."""

import datetime as dt
from dataclasses import dataclass

from deployments.delivery import enhanced
from deployments.delivery.models import EnhancedRequest
from portal.models import Role
from tests.deployments.delivery_fixtures import make_cast
from tests.portal.factories import UserFactory
from tests.schools.factories import TrustFactory


@dataclass
class GrantCast:
    cast: object
    request: object
    partner: object
    partner_contact: object
    other_contact: object

    @property
    def grant(self):
        return self.request.grant


def partnership_with_dfe(*, partner_contact=True, **cast_kwargs) -> GrantCast:
    cast = make_cast(**cast_kwargs)
    partner = TrustFactory(uid="4321", name="Strong Partner Academy Trust")
    request = EnhancedRequest.objects.create(
        deployment=cast.deployment,
        kind="funded_partnership",
        state="with_dfe",
        benefit="Sustained support from a strong trust",
        school_agrees=True,
        suggested_trust=partner,
        requested_by=cast.leader,
    )
    contact = (
        UserFactory(role=Role.SCHOOL_CONTACT, trust=partner, email="ceo@partner.example.org")
        if partner_contact
        else None
    )
    other = UserFactory(role=Role.SCHOOL_CONTACT, trust=TrustFactory())
    return GrantCast(cast, request, partner, contact, other)


def approved_grant(*, starts_on=None, **kwargs) -> GrantCast:
    g = partnership_with_dfe(**kwargs)
    enhanced.enhanced_request_dfe_approves(g.request, user=g.cast.staff, starts_on=starts_on)
    g.request.refresh_from_db()
    return g


def ended_grant(**kwargs) -> GrantCast:
    """A grant whose 12 months are over (started 400 days ago)."""
    return approved_grant(
        starts_on=dt.date.today() - dt.timedelta(days=400), issued_days_ago=420, **kwargs
    )
