"""Builders for the claim tests: an accepted deployment with the facts the
checks look at (days claimed, approved extension, activity log, school
confirmation, bank details), in the current academic year's offer."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from deployments.delivery import crypto
from deployments.delivery.models import Activity, BankDetails, DeploymentSection
from portal.models import Role
from tests.deployments.delivery_fixtures import ACCOUNT_NUMBER, SORT_CODE
from tests.deployments.factories import (
    DeploymentFactory,
    IssuedCaseFactory,
    SupportOfferFactory,
)
from tests.portal.factories import UserFactory
from tests.schools.factories import LocalAuthorityFactory, RegionFactory, SchoolFactory

UNSET = object()


def current_offer():
    """The offer whose academic year contains today (so no "year closed" flag)."""
    today = dt.date.today()
    return SupportOfferFactory(year=today.year if today.month >= 9 else today.year - 1)


@dataclass
class ClaimCast:
    deployment: object
    leader: object
    contact: object
    staff: object
    region: object


def accepted_deployment(
    *,
    days="10",
    extension="0",
    logged=UNSET,
    confirmation=True,
    bank=True,
    bank_changed_days_ago=60,
    sort_code=SORT_CODE,
    account_number=ACCOUNT_NUMBER,
    region_name="North West",
    offer=None,
    system_leader=None,
    state="accepted",
) -> ClaimCast:
    region = RegionFactory(name=region_name)
    school = SchoolFactory(local_authority=LocalAuthorityFactory(region=region))
    extra = {"system_leader": system_leader} if system_leader is not None else {}
    case = IssuedCaseFactory(school=school, region=region, offer=offer or current_offer(), **extra)
    deployment = DeploymentFactory(
        support_case=case,
        system_leader=case.system_leader,
        state=state,
        approved_extension_days=Decimal(extension),
        accepted_on=dt.date.today(),
    )
    if days is not None:
        DeploymentSection.objects.create(deployment=deployment, key="claim", data={"days": days})
    if confirmation is not None:
        DeploymentSection.objects.create(
            deployment=deployment,
            key="school_confirmation",
            data={"work_as_described": confirmation, "name": "Ada Head", "role": "Headteacher"},
        )
    logged = days if logged is UNSET else logged
    leader_user = case.system_leader.user
    if logged:
        Activity.objects.create(
            deployment=deployment,
            date=dt.date.today() - dt.timedelta(days=10),
            days=Decimal(logged),
            description="Leadership coaching",
            delivered_by=leader_user.full_name,
            created_by=leader_user,
        )
    if bank:
        BankDetails.objects.create(
            deployment=deployment,
            account_name="Leader Trust",
            sort_code_encrypted=crypto.encrypt(sort_code),
            account_number_encrypted=crypto.encrypt(account_number),
            sort_code_last2=sort_code[-2:],
            account_number_last4=account_number[-4:],
            fingerprint=crypto.fingerprint(sort_code, account_number),
            changed_at=timezone.now() - dt.timedelta(days=bank_changed_days_ago),
        )
    contact = UserFactory(role=Role.SCHOOL_CONTACT, school=school)
    staff = UserFactory(role=Role.REGIONS_STAFF, regions=[region])
    return ClaimCast(deployment, leader_user, contact, staff, region)


def finance(**kwargs):
    return UserFactory(role=Role.FINANCE, **kwargs)
