"""The periodic work SendHub runs, as django-celery-beat schedules.

``manage.py setup_periodic_tasks`` creates or updates these by name, so it is safe to run on
every deploy; times can then be changed in the admin (Periodic tasks) and are kept, unless
``--reset`` is given. Later features add their entries here.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    minute: str
    hour: str
    day_of_week: str = "*"


SCHEDULES = [
    Schedule("Clear expired sessions", "sendhub.tasks.clear_expired_sessions", "30", "2"),
]
