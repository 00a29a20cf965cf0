"""Build a deterministic synthetic England, plus one demo user per role.

Idempotent: running it again on seeded data changes nothing."""

import random

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.demo import seed_users
from schools.demo import SCALES, seed_register

SEED = 20230901


class Command(BaseCommand):
    help = "Create deterministic demo data (invented names only) and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")

    def handle(self, *args, scale, **options):
        rng = random.Random(SEED)
        with transaction.atomic():
            summary = seed_register(scale=scale, rng=rng)
        for name, count in summary.items():
            self.stdout.write(f"{name}: {count}")
        logins = seed_users()
        self.stdout.write(self.style.SUCCESS("Demo logins (all share one password):"))
        for role, email, password in logins:
            self.stdout.write(f"  {role:<28} {email:<34} {password}")
