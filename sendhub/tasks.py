from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task
def clear_expired_sessions() -> None:
    """Delete expired sign-in sessions (shared tablets leave many behind)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
