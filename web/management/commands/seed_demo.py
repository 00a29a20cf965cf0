"""Build a deterministic synthetic England, plus one demo user per role.

Idempotent: running it again on seeded data changes nothing."""

import random
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from deployments.demo import seed_offers
from deployments.leaders.demo import seed_system_leaders
from deployments.matching.demo import seed_support_cases
from schools.demo import SCALES, seed_register
from web.demo import DEMO_PASSWORD, seed_users

SEED = 20230901


class Command(BaseCommand):
    help = "Create deterministic demo data (invented names only) and demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--export-files",
            metavar="DIR",
            help="Also write the register out as GIAS and Ofsted files in their real formats.",
        )

    def handle(self, *args, scale, export_files=None, **options):
        rng = random.Random(SEED)
        with transaction.atomic():
            summary = seed_register(scale=scale, rng=rng)
            summary.update(seed_offers())
        for name, count in summary.items():
            self.stdout.write(f"{name}: {count}")
        logins = seed_users()
        for name, count in seed_system_leaders(scale=scale, password=DEMO_PASSWORD).items():
            self.stdout.write(f"{name}: {count}")
        for name, count in seed_support_cases().items():
            self.stdout.write(f"{name}: {count}")
        if export_files:
            from schools.exporters import export_register

            for path in export_register(Path(export_files)):
                self.stdout.write(f"wrote {path}")
        self.stdout.write(self.style.SUCCESS("Demo logins (all share one password):"))
        for role, email, password in logins:
            self.stdout.write(f"  {role:<28} {email:<34} {password}")
        self.stdout.write(
            "  More system leaders: leader.0001@example.org, leader.0002@example.org, ..."
        )
