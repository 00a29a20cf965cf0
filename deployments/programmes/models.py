"""The approved DfE programmes of the guidance's Annex A, and its additional
support elements: the menu a system leader picks mechanisms of support from
(deployment form section 2). Seeded by a data migration; Admin keeps it."""

from django.db import models


class Programme(models.Model):
    class Category(models.TextChoices):
        FINANCIAL_SUPPORT = "financial_support", "Financial support"
        TEACHER_DEVELOPMENT = "teacher_development", "Teacher development"
        HUBS = "hubs", "Recovery, behaviour and curriculum hubs"
        WORKLOAD_REDUCTION = "workload_reduction", "Workload reduction"
        MENTAL_HEALTH = "mental_health", "Mental health"
        ADDITIONAL_SUPPORT = "additional_support", "Additional support elements"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=255)
    category = models.CharField(max_length=32, choices=Category.choices)
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name
