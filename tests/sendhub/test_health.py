import json

import pytest
import redis
from django.conf import settings
from django.db.utils import OperationalError

from tests.conftest import service_missing

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_are_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] == {"ok": False, "transport": "redis", "error": body["broker"]["error"]}
    assert body["database"]["ok"] is True


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from sendhub import health

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    assert client.get("/healthz/db").status_code == 503


def test_healthz_needs_no_sign_in_and_leaks_no_detail(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.content.decode()
    assert "password" not in body.lower()
    assert "@" not in body  # no connection strings


def test_healthz_checks_the_real_redis_broker(client, settings):
    url = settings.SENDHUB_TEST_REDIS_URL
    if not url:
        service_missing("SENDHUB_TEST_REDIS_URL is not set")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        service_missing(f"Redis is not reachable at {url}")
    settings.CELERY_BROKER_URL = url
    response = client.get("/healthz")
    assert response.status_code == 200, json.dumps(response.json())
    assert response.json()["broker"]["transport"] == "redis"


def test_healthz_checks_the_filesystem_broker(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
    }
    assert client.get("/healthz").json()["broker"] == {"ok": True, "transport": "filesystem"}
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(tmp_path / "missing"),
        "data_folder_out": str(tmp_path / "missing"),
    }
    assert client.get("/healthz").status_code == 503


def test_database_in_ci_is_postgresql():
    if settings.SENDHUB_REQUIRE_SERVICES:
        assert settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
