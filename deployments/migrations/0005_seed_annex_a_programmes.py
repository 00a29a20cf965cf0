"""Seed the approved DfE programmes of Annex A and the additional elements."""

from django.db import migrations


def seed(apps, schema_editor):
    from deployments.programmes.catalogue import ANNEX_A

    Programme = apps.get_model("deployments", "Programme")
    for position, (slug, name, category, summary) in enumerate(ANNEX_A, start=1):
        Programme.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "category": category, "summary": summary, "position": position},
        )


def unseed(apps, schema_editor):
    from deployments.programmes.catalogue import ANNEX_A

    apps.get_model("deployments", "Programme").objects.filter(
        slug__in=[row[0] for row in ANNEX_A]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("deployments", "0004_delivery_form_enhanced_support")]

    operations = [migrations.RunPython(seed, unseed)]
