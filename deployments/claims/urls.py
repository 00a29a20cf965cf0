from django.urls import path, re_path

from deployments.claims import views

urlpatterns = [
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    re_path(
        r"^claims/export\.(?P<fmt>csv|xlsx)$", views.ClaimExportView.as_view(), name="claim-export"
    ),
    path("claims/<int:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path(
        "claims/<int:pk>/<str:transition>/",
        views.ClaimTransitionView.as_view(),
        name="claim-transition",
    ),
    path("payment-runs/", views.PaymentRunListView.as_view(), name="payment-run-list"),
    path("payment-runs/new/", views.PaymentRunConfirmView.as_view(), name="payment-run-confirm"),
    path("payment-runs/<int:pk>/", views.PaymentRunDetailView.as_view(), name="payment-run-detail"),
    re_path(
        r"^payment-runs/(?P<pk>\d+)/payment-file\.(?P<fmt>csv|xlsx)$",
        views.PaymentFileView.as_view(),
        name="payment-run-file",
    ),
    path("spend/", views.SpendView.as_view(), name="spend"),
]
