"""The "one school or one trust" target shared by workflow records."""

from django.db import models
from django.db.models import Q


class SchoolOrTrustTarget(models.Model):
    """A record about exactly one school or exactly one trust, in one region."""

    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    trust = models.ForeignKey(
        "schools.Trust", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("schools.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(school__isnull=True, trust__isnull=False)
                | Q(school__isnull=False, trust__isnull=True),
                name="%(app_label)s_%(class)s_school_xor_trust",
            )
        ]

    @property
    def target(self):
        return self.school or self.trust
