"""Demo users, one per role, with invented names and a shared printed password."""

from portal.models import Role, User
from portal.services import user_create
from schools.models import Region, School, Trust

DEMO_PASSWORD = "demo-password-2023"

# (email, name, role, region names)
DEMO_USERS = (
    ("admin@example.gov.uk", "Ada Admin", Role.ADMIN, ()),
    ("regions.staff@example.gov.uk", "Rhys Regions", Role.REGIONS_STAFF, ("North West",)),
    ("director.nw@example.gov.uk", "Dana Director", Role.REGIONAL_DIRECTOR, ("North West",)),
    ("rdp.london@example.org", "Lena Partner", Role.RDP, ("London", "South East")),
    (
        "rdp.north@example.org",
        "Niall Partner",
        Role.RDP,
        ("North West", "Yorkshire and the Humber"),
    ),
    ("system.leader@example.org", "Sam Leader", Role.SYSTEM_LEADER, ()),
    ("school.contact@example.org", "Cara Contact", Role.SCHOOL_CONTACT, ()),
    ("finance@example.gov.uk", "Fin Finance", Role.FINANCE, ()),
)


def _contact_school():
    """An eligible North West school (so the demo contact has a support case to
    follow), else the first open school."""
    from deployments.models import EligibilityAssessment

    eligible = (
        EligibilityAssessment.objects.current()
        .eligible()
        .filter(region__name="North West", school__status=School.Status.OPEN)
        .order_by("school__urn")
        .first()
    )
    if eligible is not None:
        return eligible.school
    return School.objects.filter(status=School.Status.OPEN).order_by("urn").first()


def seed_users() -> list[tuple[str, str, str]]:
    """Create the demo users if missing; return (role, email, password) rows."""
    rows = []
    for email, name, role, region_names in DEMO_USERS:
        if not User.objects.filter(email=email).exists():
            school = trust = None
            if role == Role.SCHOOL_CONTACT:
                school = _contact_school()
                if school is None:
                    trust = Trust.objects.order_by("uid").first()
            user_create(
                email=email,
                full_name=name,
                role=role,
                password=DEMO_PASSWORD,
                regions=Region.objects.filter(name__in=region_names),
                school=school,
                trust=trust,
            )
        rows.append((Role(role).label, email, DEMO_PASSWORD))
    return rows


# The contact of the eligible school the demo leaves without a case, so a
# newcomer can walk a case from scratch to paid and sign in as that school too
# (confirm taking part, accept the match, sign off the deployment form).
NEW_CASE_CONTACT = ("new.school@example.org", "Nia Newcase")


def seed_new_case_contact() -> list[tuple[str, str, str]]:
    """Create the contact of the North West school left to open a case for (run
    after the demo's cases, which choose that school); its login row, or none."""
    from deployments.matching.models import SupportCase
    from deployments.models import EligibilityAssessment

    email, name = NEW_CASE_CONTACT
    if not User.objects.filter(email=email).exists():
        without_case = (
            EligibilityAssessment.objects.current()
            .eligible()
            .filter(region__name="North West", school__status=School.Status.OPEN)
            .exclude(school__in=SupportCase.objects.filter(school__isnull=False).values("school"))
            .order_by("school__urn")
            .first()
        )
        if without_case is None:
            return []
        user_create(
            email=email,
            full_name=name,
            role=Role.SCHOOL_CONTACT,
            password=DEMO_PASSWORD,
            school=without_case.school,
        )
    return [("School contact, no case yet", email, DEMO_PASSWORD)]
