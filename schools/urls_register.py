from django.urls import path, re_path

from schools import selectors, views

urlpatterns = [
    path("", views.SchoolListView.as_view(), name="school-list"),
    path("trusts/", views.TrustListView.as_view(), name="trust-list"),
    path(
        "trusts/suggestions/",
        views.SuggestionsView.as_view(suggest=selectors.trust_suggestions),
        name="trust-suggestions",
    ),
    path(
        "local-authorities/suggestions/",
        views.SuggestionsView.as_view(suggest=selectors.local_authority_suggestions),
        name="la-suggestions",
    ),
    path("trusts/<str:uid>/", views.TrustDetailView.as_view(), name="trust-detail"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<str:code>/", views.RegionDetailView.as_view(), name="region-detail"),
    path(
        "local-authorities/<str:code>/",
        views.LocalAuthorityDetailView.as_view(),
        name="la-detail",
    ),
    # Six digits only, so other /schools/<word>/ pages (imports) are never taken for a URN.
    re_path(r"^(?P<urn>\d{6})/$", views.SchoolDetailView.as_view(), name="school-detail"),
]
