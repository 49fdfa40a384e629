# SendHub production image: gunicorn serving Django; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=sendhub.settings.production

# WeasyPrint (PDF passports) needs Pango.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 sendhub

WORKDIR /app
COPY pyproject.toml README.md ./
COPY sendhub ./sendhub
COPY staffing ./staffing
COPY students ./students
COPY interventions ./interventions
COPY cpd ./cpd
RUN pip install .
COPY . .

# collectstatic needs settings but no real secrets or database.
RUN DJANGO_SECRET_KEY=collectstatic-only-build-time-key-not-used-at-run-time-000 \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R sendhub:sendhub /app/var

USER sendhub
EXPOSE 8000
CMD ["gunicorn", "sendhub.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
