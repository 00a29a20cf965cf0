from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Schools register"

    def ready(self):
        from schools import jobs  # noqa: F401 - registers the import job runner
