"""Test settings: PostgreSQL and Redis when DATABASE_URL / CELERY_BROKER_URL say so (CI),
otherwise SQLite in memory. SENDHUB_REQUIRE_SERVICES=1 makes a missing service fail tests."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env

DEBUG = False
SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
DATABASES = {"default": env.db("DATABASE_URL", default="sqlite://:memory:")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SENDHUB_ENFORCE_MFA = False
SENDHUB_BASE_URL = "http://testserver"
SENDHUB_REQUIRE_SERVICES = env.bool("SENDHUB_REQUIRE_SERVICES", default=False)
# Tasks run inline in unit tests (when their on_commit fires); the worker integration
# test points the app at the real Redis named here and runs a real worker.
CELERY_BROKER_URL = "memory://"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SENDHUB_TEST_REDIS_URL = env("SENDHUB_TEST_REDIS_URL", default="")
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Static files in tests come from the finders (live_server), not a collected STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise")]
