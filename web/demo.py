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
