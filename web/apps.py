from django.apps import AppConfig


class WebConfig(AppConfig):
    """The site shell: settings, URLs, home and navigation, user management, demo data."""

    name = "web"
    verbose_name = "Site"
