"""Permissions for the Guarantees, self-assessments and complaints, shared by the
HTML views and the API.

Objects are a School, a SelfAssessment or a Complaint. Without an object a check
answers "may this person use the action at all" (lists, links); every record
is checked again with its object. Admin reads self-assessments and reports but
takes no complaint step and never sees a complainant's details."""

import rules

from guarantees.choices import OMBUDSMAN_STAGES
from portal.predicates import (
    acts_for_the_school_or_trust,
    in_users_regions_by,
    is_admin,
    is_regional_director,
    is_regions_staff,
    is_school_contact,
    is_signed_in,
    is_system_leader,
)


def _school_of(obj):
    from schools.models import School

    if obj is None or isinstance(obj, School):
        return obj
    return getattr(obj, "school", None)


# The school's own contact, or its trust's.
contact_of_the_school = acts_for_the_school_or_trust
# The school's region (a complaint or self-assessment is in its school's region).
works_in_the_schools_region = in_users_regions_by(
    lambda obj: getattr(_school_of(obj), "region_id", None)
)


@rules.predicate
def leads_an_active_deployment_at_the_school(user, obj):
    school = _school_of(obj)
    if school is None:
        return True
    from deployments.delivery.models import Deployment

    return Deployment.objects.filter(
        school=school, state__in=Deployment.OPEN_STATES, system_leader__user=user
    ).exists()


@rules.predicate
def at_an_ombudsman_stage(user, complaint):
    return complaint is not None and complaint.state in OMBUDSMAN_STAGES


school_contact = is_school_contact & contact_of_the_school
region_staff = is_regions_staff & works_in_the_schools_region

rules.add_perm("guarantees.view_entitlements", is_signed_in)
rules.add_perm(
    "guarantees.view_self_assessment",
    is_signed_in
    & (
        is_admin
        | school_contact
        | region_staff
        | (is_system_leader & leads_an_active_deployment_at_the_school)
    ),
)
rules.add_perm("guarantees.edit_self_assessment", is_signed_in & school_contact)
rules.add_perm(
    "guarantees.view_reports", is_signed_in & (is_admin | is_regions_staff | is_regional_director)
)
# Complaints: the school's contacts and the region's Regions Group staff only.
rules.add_perm("guarantees.read_complaint", is_signed_in & (school_contact | region_staff))
rules.add_perm("guarantees.record_paper_complaint", is_signed_in & (school_contact | region_staff))
rules.add_perm("guarantees.erase_complainant_data", is_signed_in & (school_contact | region_staff))
rules.add_perm("guarantees.act_for_school_on_complaint", is_signed_in & school_contact)
rules.add_perm("guarantees.record_ombudsman_stage", is_signed_in & region_staff)
rules.add_perm("guarantees.close_complaint", is_signed_in & (school_contact | region_staff))
rules.add_perm(
    "guarantees.withdraw_complaint",
    is_signed_in & ((school_contact & ~at_an_ombudsman_stage) | region_staff),
)
rules.add_perm(
    "guarantees.mark_complaint_vexatious",
    is_signed_in
    & ((school_contact & ~at_an_ombudsman_stage) | (region_staff & at_an_ombudsman_stage)),
)
