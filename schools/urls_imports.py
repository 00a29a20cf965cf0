from django.urls import path

from schools import views_imports as views

urlpatterns = [
    path("imports/", views.ImportListView.as_view(), name="import-list"),
    path("imports/new/", views.ImportCreateView.as_view(), name="import-new"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import-detail"),
    path("imports/<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="import-errors"),
]
