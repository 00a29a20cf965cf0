from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        # govuk-frontend-django compiles every component on every render; see the module.
        from portal import govuk_render

        govuk_render.install()
