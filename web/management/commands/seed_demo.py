"""Build a deterministic synthetic England, plus one demo user per role.

Idempotent: running it again on seeded data changes nothing. The e-mails the
demo's own workflow steps send go to files under var/demo-emails/, not the
console, so the output ends with the logins and where to start."""

import logging
import random
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from deployments.claims.demo import seed_demo_claims
from deployments.demo import seed_offers
from deployments.leaders.demo import seed_system_leaders
from deployments.matching.demo import seed_support_cases
from deployments.oversight.demo_outcomes import seed_finished_deployments
from schools.demo import SCALES, seed_register
from web.demo import DEMO_PASSWORD, seed_new_case_contact, seed_users

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
        emails = Path(settings.VAR_DIR) / "demo-emails"
        # In-process Celery logs a line per e-mail task: quiet while seeding.
        logging.getLogger("celery.app.trace").setLevel(logging.WARNING)
        # and kombu's "No hostname was supplied" (no broker: tasks run in-process).
        logging.getLogger("kombu.connection").setLevel(logging.ERROR)
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(emails),
        ):
            self._seed(scale=scale, export_files=export_files)
        self.stdout.write(f"E-mails the demo's own steps sent: {emails}/")
        self._logins_and_first_steps()

    def _seed(self, *, scale, export_files):
        rng = random.Random(SEED)
        with transaction.atomic():
            summary = seed_register(scale=scale, rng=rng)
            summary.update(seed_offers())
        for name, count in summary.items():
            self.stdout.write(f"{name}: {count}")
        self.logins = seed_users()
        for name, count in seed_system_leaders(scale=scale, password=DEMO_PASSWORD).items():
            self.stdout.write(f"{name}: {count}")
        for name, count in seed_support_cases().items():
            self.stdout.write(f"{name}: {count}")
        for name, count in seed_finished_deployments().items():
            self.stdout.write(f"{name}: {count}")
        for name, count in seed_demo_claims().items():
            self.stdout.write(f"{name}: {count}")
        self.logins += seed_new_case_contact()
        if connection.vendor == "postgresql":
            # Planner statistics for every table just filled, so the first page
            # opened does not wait for autovacuum (the forecast ran for minutes
            # on an England demo never analysed).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        if export_files:
            from schools.exporters import export_register

            for path in export_register(Path(export_files)):
                self.stdout.write(f"wrote {path}")

    def _logins_and_first_steps(self):
        self.stdout.write(self.style.SUCCESS("Demo logins (all share one password):"))
        for role, email, password in self.logins:
            self.stdout.write(f"  {role:<28} {email:<34} {password}")
        self.stdout.write(
            "  More system leaders: leader.0001@example.org, leader.0002@example.org, ..."
        )
        self.stdout.write(self.style.SUCCESS("Try this first:"))
        for line in FIRST_STEPS:
            self.stdout.write(f"  {line}")


# The walk tests/deployments/test_newcomer_walk_browser.py clicks, in five lines.
FIRST_STEPS = (
    "1. regions.staff@example.gov.uk: Home > the school under “Eligible schools and trusts to "
    "review” > Open a support case; propose Sam Leader.",
    "2. Then sign in as each in turn and follow your Home's link: rdp.north, new.school, "
    "system.leader, new.school, director.nw, rdp.north.",
    "3. system.leader fills in the deployment form from Home; new.school signs it; "
    "system.leader submits it; rdp.north accepts it and records the call.",
    "4. finance@example.gov.uk: approve the claim, then “start a payment run” on Home: paid. "
    "E-mails you cause print in this terminal.",
    "5. No sign-in: the Guarantees at /guarantees/, the complaint form at /complaints/new/.",
)
