from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.html import format_html

from web.selectors import navigation_for

SERVICE_NAME = "Trust and school improvement portal"


def navigation(request):
    """Service name, role-aware navigation and the sign-out control."""
    context = {"service_name": SERVICE_NAME, "service_navigation": [], "service_slots": None}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    context["service_navigation"] = navigation_for(user, request.path)
    context["service_slots"] = {
        "navigationEnd": format_html(
            '<li class="govuk-service-navigation__item">'
            '<form method="post" action="{}" class="portal-signout">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="portal-signout__button govuk-service-navigation__link">'
            'Sign out<span class="govuk-visually-hidden"> {}</span></button></form></li>',
            reverse("logout"),
            get_token(request),
            user.full_name,
        )
    }
    return context
