from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from sendhub.schedules import SCHEDULES


class Command(BaseCommand):
    help = "Create SendHub's periodic tasks (idempotent; edits made in the admin are kept)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="put times edited in the admin back to default"
        )

    @transaction.atomic
    def handle(self, *args, reset: bool, **options):
        for entry in SCHEDULES:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=entry.minute,
                hour=entry.hour,
                day_of_week=entry.day_of_week,
                day_of_month="*",
                month_of_year="*",
                timezone=settings.TIME_ZONE,
            )
            task, created = PeriodicTask.objects.get_or_create(
                name=entry.name, defaults={"task": entry.task, "crontab": crontab}
            )
            if not created:
                task.task = entry.task
                if reset:
                    task.crontab = crontab
                    task.interval = None
                task.save()
            state = "created" if created else "kept"
            self.stdout.write(f"{state}: {entry.name} ({task.crontab})")
