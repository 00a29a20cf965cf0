"""A URL configuration with views that forget to declare a permission, for the
deny-by-default tests (ROOT_URLCONF is pointed here by the test)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views import View
from rest_framework.response import Response
from rest_framework.views import APIView


class ForgottenPage(View):
    def get(self, request):
        return HttpResponse("open")


class ForgottenApi(APIView):
    def get(self, request):
        return Response({"open": True})


urlpatterns = [
    path("forgotten/", ForgottenPage.as_view(), name="forgotten-page"),
    path("api/forgotten/", ForgottenApi.as_view(), name="forgotten-api"),
    path("", include("web.urls")),
]
