"""Settings shared by every environment; each value comes from the environment.

See https://docs.djangoproject.com/en/5.2/ref/settings/ and README.md ("Configuration").
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A developer may keep overrides in .env (git-ignored); real deployments use the environment.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Absolute base of links in e-mails sent by background tasks, which have no request.
SENDHUB_BASE_URL = env("SENDHUB_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
SENDHUB_DEMO_DATA_ALLOWED = env.bool("SENDHUB_DEMO_DATA_ALLOWED", default=True)

INSTALLED_APPS = [
    "sendhub.apps.SendHubAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "import_export",
    # AutodiscoverRulesConfig imports each app's rules.py at start-up.
    "rules.apps.AutodiscoverRulesConfig",
    # SendHub, bottom layer first (see DESIGN.md "Layers")
    "staffing",
    "cpd",
    "students",
    "interventions",
    "sendhub",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Order matters: idle sessions end before anything else looks at the user,
    # then the acting school is chosen, then privileged roles are held at MFA set-up.
    "sendhub.middleware.IdleTimeoutMiddleware",
    "sendhub.tenancy.TenancyMiddleware",
    "sendhub.middleware.EnforceMfaMiddleware",
]

ROOT_URLCONF = "sendhub.urls"
WSGI_APPLICATION = "sendhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sendhub.context_processors.sendhub",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'sendhub.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "staffing.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "sendhub.backends.SignInBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- django-allauth: e-mail sign-in, no public sign-up, TOTP + recovery codes ---
# https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_ADAPTER = "sendhub.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # accounts are created by the school's data manager
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no "you have no account" mail to strangers
ACCOUNT_SESSION_REMEMBER = False  # shared tablets: never "remember me"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[SendHub] "
# Failed sign-ins: at most 5 per account per 5 minutes and 10 per minute per IP.
# https://docs.allauth.org/en/latest/account/rate_limits.html
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "SendHub"

# Behind a reverse proxy, the client's IP (for per-IP sign-in rate limits) is the one the
# proxy adds to X-Forwarded-For: https://docs.allauth.org/en/latest/account/rate_limits.html
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("SENDHUB_TRUSTED_PROXY_COUNT", default=0)
# SENDCo, PSO and data managers must set up two-factor before opening pupil data.
SENDHUB_ENFORCE_MFA = env.bool("SENDHUB_ENFORCE_MFA", default=False)
# Shared tablets: a session idle this long ends; the absolute cap is SESSION_COOKIE_AGE.
SENDHUB_IDLE_TIMEOUT_MINUTES = env.int("SENDHUB_IDLE_TIMEOUT_MINUTES", default=30)
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://sendhub"),
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Media is private (pupil documents): no MEDIA_URL is served; files go through
# permission-checked views.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="SendHub <sendhub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: filesystem transport by default (no server), Redis in production/CI ---
# https://docs.celeryq.dev/en/stable/django/first-steps-with-django.html
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default="filesystem://"))
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True  # a cell like =HYPERLINK(...) stays text
SENDHUB_MAX_UPLOAD_MB = env.int("SENDHUB_MAX_UPLOAD_MB", default=20)
# Allocations beyond a person's contracted periods are saved with a warning up to this many
# per cent over, and refused beyond it.
SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT = env.int("SENDHUB_ALLOCATION_HARD_LIMIT_PERCENT", default=10)


def without_postgres_jit(database: dict) -> dict:
    """PostgreSQL's JIT compiler switches on for queries the planner thinks costly (the
    coverage report's, on a large school) and spends longer compiling than the query runs
    (1.4 s measured); SendHub's queries are short, so it stays off for its connections.
    https://www.postgresql.org/docs/current/jit-decision.html"""
    if "postgresql" in database.get("ENGINE", ""):
        options = database.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c jit=off").strip()
    return database


without_postgres_jit(DATABASES["default"])
