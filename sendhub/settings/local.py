"""Laptop defaults: SQLite under var/, Celery on the filesystem transport, console e-mail."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Only for the local demo; production refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-not-for-production")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

for _folder in ("celery/queue", "celery/processed", "media"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
