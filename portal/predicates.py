"""Role predicates for `rules`. Apps combine these into permissions in their own
rules.py, so that HTML views and the API check the same permission name.

The pattern, for every app:
- `rules.add_perm("<app>.<action>", predicate)` in `<app>/rules.py`, one name per
  action, shared by the HTML view and the API;
- a view declares it: `permission_required = "<app>.<action>"` on the HTML view
  (with `rules.contrib.views.PermissionRequiredMixin`) and on the DRF view or
  viewset (a dict per action is allowed there, see portal/api/permissions.py);
- a view that declares nothing is refused (portal/access.py); public pages are
  listed by URL name in `portal.access.PUBLIC_URL_NAMES`.

Admin is a role like the others: `User.has_perm` asks `rules` even for a
superuser, so Admin reads everything and manages users and reference data, but
takes a workflow action only where a permission names `is_admin`."""

import rules

from portal import scoping
from portal.models import Role


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return bool(user and user.is_authenticated and user.is_active and user.role == role)

    return predicate


is_regions_staff = _has_role(Role.REGIONS_STAFF)
is_regional_director = _has_role(Role.REGIONAL_DIRECTOR)
is_rdp = _has_role(Role.RDP)
is_system_leader = _has_role(Role.SYSTEM_LEADER)
is_school_contact = _has_role(Role.SCHOOL_CONTACT)
is_finance = _has_role(Role.FINANCE)
is_admin = _has_role(Role.ADMIN)

is_signed_in = rules.is_authenticated & rules.is_active
# People who work in regions (Admin is not one: it has no region and decides no case).
is_regional_team = is_regions_staff | is_regional_director | is_rdp


def in_users_regions_by(region_id_of, *, name: str = "in_the_users_regions"):
    """A predicate: the object's region (`region_id_of(obj)`) is one of the user's.

    Without an object it answers "could this user act on some object", the
    convention every object predicate follows: views use it to show links and
    forms, and every write checks again with the object. Apps whose records
    find their region another way (a trust's, a school's) build theirs here, so
    every region check reads `portal.scoping` and carries the same name."""

    @rules.predicate(name=name)
    def predicate(user, obj):
        if obj is None:
            return True
        return scoping.region_in_users_regions(user, region_id_of(obj))

    return predicate


# The object (anything with a `region_id`) is in one of the user's regions.
in_users_regions = in_users_regions_by(lambda obj: getattr(obj, "region_id", None))
works_in_objects_region = in_users_regions  # the name apps imported first


@rules.predicate(name="acts_for_the_school_or_trust")
def acts_for_the_school_or_trust(user, obj):
    """The user is a contact of the school or trust the object is (or is about,
    or whose deployment it is about), or of that school's trust
    (`portal.scoping.acts_for`). Without an object: could be, for some."""
    if obj is None:
        return True
    return scoping.acts_for(user, obj)


@rules.predicate
def created_the_object(user, obj):
    return obj is not None and getattr(obj, "created_by_id", None) == user.id
