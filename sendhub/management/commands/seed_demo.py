from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sendhub.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = (
        "Build a realistic, deterministic demo (a trust of schools with staff of every role) "
        "and print the demo logins. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=2, help="number of schools (1-50)")
        parser.add_argument("--pupils", type=int, default=200, help="pupils per school (0-5000)")
        parser.add_argument(
            "--weeks", type=int, default=6, help="weeks of logged intervention sessions (0-52)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed for names")

    def handle(self, *args, schools, pupils, weeks, seed, **options):
        if not getattr(settings, "SENDHUB_DEMO_DATA_ALLOWED", True):
            raise CommandError("Demo data is disabled in these settings (production).")
        if not 1 <= schools <= 50:
            raise CommandError("--schools must be between 1 and 50.")
        if not 0 <= pupils <= 5000:
            raise CommandError("--pupils must be between 0 and 5000.")
        if not 0 <= weeks <= 52:
            raise CommandError("--weeks must be between 0 and 52.")
        logins = seed_demo(schools=schools, pupils=pupils, weeks=weeks, seed=seed)
        for login in logins:
            self.stdout.write(
                f"login role={login.role.value} email={login.email} "
                f"password={DEMO_PASSWORD} school={login.school.slug}"
            )
