from django.apps import AppConfig


class GuaranteesConfig(AppConfig):
    name = "guarantees"
    verbose_name = "Pupil and Parent Guarantees"

    def ready(self):
        from deployments.delivery.api.serializers import register_gap_source
        from guarantees.selectors import guarantee_gaps_for_school

        register_gap_source(guarantee_gaps_for_school)
