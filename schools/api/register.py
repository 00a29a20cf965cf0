from schools.api import views


def register_register_routes(router) -> None:
    """Read-only register endpoints: regions, local authorities, trusts, schools, inspections."""
    router.register("regions", views.RegionViewSet, basename="region")
    router.register("local-authorities", views.LocalAuthorityViewSet, basename="local-authority")
    router.register("trusts", views.TrustViewSet, basename="trust")
    router.register("schools", views.SchoolViewSet, basename="school")
    router.register("inspections", views.InspectionViewSet, basename="inspection")
